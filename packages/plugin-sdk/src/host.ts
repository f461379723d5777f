/**
 * The plugin host: loads plugins, validates each (an invalid or incompatible plugin is refused
 * with a message naming the plugin, the field and the reason, and the rest load), collects their
 * contributions, and wraps their event handlers so that a handler that throws, hangs or is slow
 * cannot take the server down: a time limit per call, errors recorded, bounded retries (by the
 * outbox), and quarantine after repeated failure.
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import type { Contracts, Outbox } from "@tenet/core"
import { isPlugin, type Plugin } from "./index"
import { formatIssue, type PluginIssue, validatePlugin } from "./validate"

/** The Tenet version plugins are checked against. @category models @since 0.1.0 */
export const TENET_VERSION = "0.1.0"

/** Consecutive failures after which a handler is quarantined. @category models @since 0.1.0 */
export const QUARANTINE_AFTER = 3

/** @category models @since 0.1.0 */
export interface HandlerState {
  readonly name: string
  readonly events: ReadonlyArray<string>
  calls: number
  failures: number
  consecutiveFailures: number
  quarantined: boolean
  lastError: string | null
  lastErrorAt: string | null
}

/** @category models @since 0.1.0 */
export interface LoadedPlugin {
  readonly id: string
  readonly version: string | null
  readonly source: string
  readonly name: Plugin["name"] | null
  readonly status: "loaded" | "refused"
  readonly issues: ReadonlyArray<PluginIssue>
  readonly messages: ReadonlyArray<string>
  readonly contributions: {
    standards: number
    workflows: string[]
    metrics: string[]
    scorecards: number
    calendars: number
    handlers: number
  }
  readonly handlers: HandlerState[]
  readonly plugin: Plugin | null
}

/** Where a plugin comes from: a folder, a package name, or a value (tests). @category models @since 0.1.0 */
export type PluginSource = string | { readonly source: string; readonly load: () => Promise<unknown> }

const entryOf = (dir: string) => {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  const exp = typeof pkg.exports === "string" ? pkg.exports : pkg.exports?.["."]
  const entry =
    typeof exp === "string" ? exp : (exp?.import ?? exp?.default ?? pkg.module ?? pkg.main ?? "dist/index.js")
  return join(dir, entry)
}

/** Import a plugin module from a folder (its package.json entry) or a package name. @category constructors @since 0.1.0 */
export const importPlugin = async (source: string, base = process.cwd()): Promise<unknown> => {
  const path = resolve(base, source)
  const mod =
    existsSync(path) && statSync(path).isDirectory()
      ? await import(pathToFileURL(entryOf(path)).href)
      : existsSync(path)
        ? await import(pathToFileURL(path).href)
        : await import(source)
  return (mod as { default?: unknown }).default ?? mod
}

const matches = (patterns: ReadonlyArray<string>, type: string) =>
  patterns.some((p) => (p.endsWith("*") ? type.startsWith(p.slice(0, -1)) : p === type))

const timeout = <A>(p: Promise<A>, ms: number, what: string) =>
  new Promise<A>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${what} took longer than ${ms} ms`)), ms)
    t.unref?.()
    p.then(
      (a) => {
        clearTimeout(t)
        res(a)
      },
      (e) => {
        clearTimeout(t)
        rej(e)
      },
    )
  })

/** A running set of plugins. @category models @since 0.1.0 */
export interface PluginHost {
  readonly plugins: ReadonlyArray<LoadedPlugin>
  readonly workflows: () => ReadonlyArray<Contracts.WorkflowDefinition & { readonly plugin: string }>
  readonly standards: () => ReadonlyArray<{ readonly plugin: string; readonly document: unknown }>
  readonly metrics: () => ReadonlyArray<Contracts.MetricDefinition>
  readonly scorecards: () => ReadonlyArray<{
    readonly plugin: string
    readonly name: string
    readonly definition: unknown
  }>
  readonly calendars: () => ReadonlyArray<{
    readonly plugin: string
    readonly name: string
    readonly spec: unknown
  }>
  /** Outbox handlers, one per plugin handler, isolated. */
  readonly eventHandlers: () => ReadonlyArray<Outbox.EventHandler>
  /** Lines describing refused plugins (for the server log). */
  readonly problems: () => ReadonlyArray<string>
}

/**
 * Load plugins. Never throws for a bad plugin: it is listed as refused with its issues.
 * @category constructors
 * @since 0.1.0
 */
export const loadPlugins = async (
  sources: ReadonlyArray<PluginSource>,
  options: {
    readonly tenetVersion?: string
    readonly base?: string
    readonly knownMetric?: (id: string) => boolean
  } = {},
): Promise<PluginHost> => {
  const loaded: LoadedPlugin[] = []
  const seen = new Set<string>()
  for (const s of sources) {
    const source = typeof s === "string" ? s : s.source
    let value: unknown
    try {
      value = typeof s === "string" ? await importPlugin(s, options.base) : await s.load()
    } catch (e) {
      const issue = {
        plugin: source,
        field: "(module)",
        reason: `cannot be loaded: ${(e as Error).message.split("\n")[0]}`,
      }
      loaded.push(refused(source, [issue]))
      continue
    }
    const issues = validatePlugin(value, {
      tenetVersion: options.tenetVersion ?? TENET_VERSION,
      source,
      ...(options.knownMetric ? { knownMetric: options.knownMetric } : {}),
    })
    if (isPlugin(value) && seen.has(value.id))
      issues.push({ plugin: value.id, field: "id", reason: "another loaded plugin has the same id" })
    if (issues.length || !isPlugin(value)) {
      loaded.push(refused(source, issues, value))
      continue
    }
    seen.add(value.id)
    const c = value.contributes ?? {}
    loaded.push({
      id: value.id,
      version: value.version,
      source,
      name: value.name ?? null,
      status: "loaded",
      issues: [],
      messages: [],
      contributions: {
        standards: c.standards?.length ?? 0,
        workflows: (c.workflows ?? []).map((w) => w.id),
        metrics: (c.metrics ?? []).map((m) => m.id),
        scorecards: c.scorecards?.length ?? 0,
        calendars: c.calendars?.length ?? 0,
        handlers: value.handlers?.length ?? 0,
      },
      handlers: (value.handlers ?? []).map((h) => ({
        name: h.name,
        events: h.events,
        calls: 0,
        failures: 0,
        consecutiveFailures: 0,
        quarantined: false,
        lastError: null,
        lastErrorAt: null,
      })),
      plugin: value,
    })
  }
  const ok = () => loaded.filter((p) => p.status === "loaded" && p.plugin)
  return {
    plugins: loaded,
    workflows: () =>
      ok().flatMap((p) => (p.plugin!.contributes?.workflows ?? []).map((w) => ({ ...w, plugin: p.id }))),
    standards: () =>
      ok().flatMap((p) =>
        (p.plugin!.contributes?.standards ?? []).map((document) => ({ plugin: p.id, document })),
      ),
    metrics: () => ok().flatMap((p) => p.plugin!.contributes?.metrics ?? []),
    scorecards: () =>
      ok().flatMap((p) => (p.plugin!.contributes?.scorecards ?? []).map((x) => ({ plugin: p.id, ...x }))),
    calendars: () =>
      ok().flatMap((p) => (p.plugin!.contributes?.calendars ?? []).map((x) => ({ plugin: p.id, ...x }))),
    problems: () => loaded.flatMap((p) => p.issues.map(formatIssue)),
    eventHandlers: () =>
      ok().flatMap((p) =>
        (p.plugin!.handlers ?? []).map((h): Outbox.EventHandler => {
          const state = p.handlers.find((x) => x.name === h.name)!
          return {
            name: `plugin:${p.id}:${h.name}`,
            types: h.events,
            maxAttempts: QUARANTINE_AFTER,
            timeoutMs: (h.timeoutMs ?? 5000) + 1000,
            handle: async (event, db) => {
              if (state.quarantined || !matches(h.events, event.type)) return
              state.calls++
              try {
                await timeout(
                  Promise.resolve().then(() => h.handle(event, { db })),
                  h.timeoutMs ?? 5000,
                  `handler ${h.name} of plugin ${p.id}`,
                )
                state.consecutiveFailures = 0
              } catch (e) {
                state.failures++
                state.consecutiveFailures++
                state.lastError = (e as Error)?.message ?? String(e)
                state.lastErrorAt = new Date().toISOString()
                if (state.consecutiveFailures >= QUARANTINE_AFTER) state.quarantined = true
                throw e
              }
            },
          }
        }),
      ),
  }
}

const refused = (source: string, issues: PluginIssue[], value?: unknown): LoadedPlugin => ({
  id: isPlugin(value) && typeof value.id === "string" ? value.id : source,
  version: isPlugin(value) && typeof value.version === "string" ? value.version : null,
  source,
  name: isPlugin(value) ? (value.name ?? null) : null,
  status: "refused",
  issues,
  messages: issues.map(formatIssue),
  contributions: { standards: 0, workflows: [], metrics: [], scorecards: 0, calendars: 0, handlers: 0 },
  handlers: [],
  plugin: null,
})
