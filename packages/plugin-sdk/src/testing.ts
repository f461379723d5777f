/**
 * The plugin testing kit: a host on an in-memory database with every module migrated and an
 * organisation ready, so a plugin's test is a few lines. Handlers run as on the server: give the
 * plugin's module (a file URL or path) and they run in a worker thread with the same time and
 * heap limits, so a handler that hangs or loops fails the test with a timeout, and a handler that
 * keeps failing is quarantined. (A plugin given as a value runs its handlers in the test's own
 * thread, with a time limit only.)
 *
 * ```ts
 * import { startTestHost } from "@tenet/plugin-sdk/testing"
 * const t = await startTestHost({ plugins: [new URL("../src/index.ts", import.meta.url)] })
 * expect(t.host.plugins[0].status).toBe("loaded")
 * const { standardId } = await t.installStandard(myPlugin.id)
 * await t.stop()
 * ```
 *
 * @since 0.1.0
 */
import { Contracts, type Db, Organizations, Outbox, type Tenancy } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { Metrics as FeedbackMetrics, feedbackMigrations } from "@tenet/feedback"
import { Metrics, processMigrations } from "@tenet/process"
import { QualityService, Standards, standardsMigrations } from "@tenet/standards"
import { loadPlugins, type PluginHost, type PluginSource } from "./host"
import type { Plugin } from "./index"

/** @category testing @since 0.1.0 */
export interface TestHost {
  readonly db: Db.Database
  readonly host: PluginHost
  readonly ctx: Tenancy.OrgContext
  readonly registry: ReturnType<typeof Contracts.metricRegistry>
  /** Import a plugin's first standard into the test organisation. */
  readonly installStandard: (pluginId: string) => Promise<{ standardId: string; version: number }>
  /**
   * Deliver pending domain events to the plugins' handlers: one pass. A failed event stays at the
   * head of its handler's queue and is tried again by the next call (no back-off in tests).
   */
  readonly dispatch: () => Promise<Outbox.DispatchReport>
  readonly stop: () => Promise<void>
}

/** @category testing @since 0.1.0 */
export const startTestHost = async (options: {
  /** Plugins: a module (file URL or path: handlers in a worker, as on the server) or a value. */
  readonly plugins: ReadonlyArray<URL | string | Plugin | unknown>
  /** Heap limit of each plugin's worker in MB (default as on the server, 128). */
  readonly heapMb?: number
}): Promise<TestHost> => {
  const db = await makeTestDatabase([processMigrations, standardsMigrations, feedbackMigrations])
  const org = await Organizations.create(
    db,
    { type: "system", id: "test-host" },
    { name: "Plugin test", slug: "plugin-test" },
  )
  const ctx: Tenancy.OrgContext = { orgId: org.id, actor: { type: "plugin", id: "test-host" } }
  const registry = Contracts.metricRegistry()
  for (const m of [...Metrics.metrics, ...QualityService.qualityMetrics, ...FeedbackMetrics.metrics])
    registry.addMetric(m)
  const host = await loadPlugins(
    options.plugins.map(
      (p, i): PluginSource =>
        p instanceof URL || typeof p === "string"
          ? p
          : { source: (p as Plugin)?.id ?? `plugin #${i}`, load: async () => p },
    ),
    {
      knownMetric: (id) => registry.get(id) !== undefined,
      maxRetryDelaySeconds: 0,
      ...(options.heapMb ? { heapMb: options.heapMb } : {}),
    },
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
    stop: async () => {
      await host.close()
      await db.close()
    },
  }
}
