/**
 * The plugin testing kit: a host on an in-memory database with every module migrated and an
 * organisation ready, so a plugin's test is a few lines.
 *
 * ```ts
 * import { startTestHost } from "@tenet/plugin-sdk/testing"
 * const t = await startTestHost({ plugins: [myPlugin] })
 * expect(t.host.plugins[0].status).toBe("loaded")
 * const { standardId } = await t.installStandard(myPlugin.id)
 * await t.stop()
 * ```
 *
 * @since 0.1.0
 */
import { Contracts, type Db, Organizations, Outbox, type Tenancy } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { Metrics, processMigrations } from "@tenet/process"
import { QualityService, Standards, standardsMigrations } from "@tenet/standards"
import { loadPlugins, type PluginHost } from "./host"
import type { Plugin } from "./index"

/** @category testing @since 0.1.0 */
export interface TestHost {
  readonly db: Db.Database
  readonly host: PluginHost
  readonly ctx: Tenancy.OrgContext
  readonly registry: ReturnType<typeof Contracts.metricRegistry>
  /** Import a plugin's first standard into the test organisation. */
  readonly installStandard: (pluginId: string) => Promise<{ standardId: string; version: number }>
  /** Deliver pending domain events to the plugins' handlers. */
  readonly dispatch: () => Promise<Outbox.DispatchReport>
  readonly stop: () => Promise<void>
}

/** @category testing @since 0.1.0 */
export const startTestHost = async (options: {
  readonly plugins: ReadonlyArray<Plugin | unknown>
}): Promise<TestHost> => {
  const db = await makeTestDatabase([processMigrations, standardsMigrations])
  const org = await Organizations.create(
    db,
    { type: "system", id: "test-host" },
    { name: "Plugin test", slug: "plugin-test" },
  )
  const ctx: Tenancy.OrgContext = { orgId: org.id, actor: { type: "plugin", id: "test-host" } }
  const registry = Contracts.metricRegistry()
  for (const m of [...Metrics.metrics, ...QualityService.qualityMetrics]) registry.addMetric(m)
  const host = await loadPlugins(
    options.plugins.map((p, i) => ({ source: (p as Plugin)?.id ?? `plugin #${i}`, load: async () => p })),
    { knownMetric: (id) => registry.get(id) !== undefined },
  )
  for (const m of host.metrics()) registry.addMetric(m)
  return {
    db,
    host,
    ctx,
    registry,
    installStandard: async (pluginId) => {
      const s = host.standards().find((x) => x.plugin === pluginId)
      if (!s) throw new Error(`plugin ${pluginId} contributes no standard`)
      const r = await Standards.importLibrary(db, ctx, registry, s.document)
      return { standardId: r.standardId, version: r.version }
    },
    dispatch: () => Outbox.dispatch(db, host.eventHandlers()),
    stop: () => db.close(),
  }
}
