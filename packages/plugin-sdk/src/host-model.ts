/** The plugin host's constants and models, where plugins come from, and a handler's failure. @since 0.5.0 */
import { existsSync, readFileSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import type { Plugin } from "./index"
import type { PluginIssue } from "./validate"

/** The Tenet version plugins are checked against. @category models @since 0.1.0 */
export const TENET_VERSION = "0.1.0"

/** Consecutive failures (errors, timeouts, crashes) after which a handler is quarantined. @category models @since 0.1.0 */
export const QUARANTINE_AFTER = 3

/** A handler's time limit per call when it sets none. @category models @since 0.4.0 */
export const DEFAULT_TIMEOUT_MS = 5000

/** The heap limit of a plugin's worker when the host is given none. @category models @since 0.4.0 */
export const DEFAULT_HEAP_MB = 128

/** How long a plugin's worker may take to start (import the plugin). @category models @since 0.4.0 */
export const START_LIMIT_MS = 30_000

/** A plugin metric's time limit per computation (its worker is stopped after it). @category models @since 0.4.0 */
export const METRIC_TIMEOUT_MS = 30_000

/** Errors kept per handler in the database (older ones are deleted). @category models @since 0.4.0 */
export const ERRORS_KEPT = 100

/** What ended a failed call. @category models @since 0.4.0 */
export type FailureKind = "error" | "timeout" | "memory" | "crash"

/** @category models @since 0.1.0 */
export interface HandlerState {
  readonly name: string
  readonly events: ReadonlyArray<string>
  /** Calls in this process since it started. */
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
  /**
   * Where its handlers run: `worker` (a worker thread, the module imported there) or `in-process`
   * (a plugin given as a value with no module to import: a time limit only, no protection from an
   * endless loop). Null for a refused plugin or one without handlers.
   */
  readonly isolation: "worker" | "in-process" | null
  readonly handlers: HandlerState[]
  readonly plugin: Plugin | null
}

/**
 * Where a plugin comes from: a folder, a file or a package name (a string or file URL), or a value
 * (tests) — with `module`, the file the value came from, so that its handlers can run in a worker.
 * @category models
 * @since 0.1.0
 */
export type PluginSource =
  | string
  | URL
  | {
      readonly source: string
      readonly load: () => Promise<unknown>
      readonly module?: string | URL | undefined
    }

export const entryOf = (dir: string) => {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  const exp = typeof pkg.exports === "string" ? pkg.exports : pkg.exports?.["."]
  const entry =
    typeof exp === "string" ? exp : (exp?.import ?? exp?.default ?? pkg.module ?? pkg.main ?? "dist/index.js")
  return join(dir, entry)
}

/**
 * The module specifier (a file URL where the plugin is a file or folder) to import a plugin from.
 * @category constructors
 * @since 0.4.0
 */
export const pluginModule = (source: string | URL, base = process.cwd()): string => {
  if (source instanceof URL) return source.href
  if (source.startsWith("file:")) return source
  const path = resolve(base, source)
  if (existsSync(path)) return pathToFileURL(statSync(path).isDirectory() ? entryOf(path) : path).href
  try {
    return import.meta.resolve(source)
  } catch {
    return source
  }
}

/** Import a plugin module from a folder (its package.json entry), a file or a package name. @category constructors @since 0.1.0 */
export const importPlugin = async (source: string | URL, base = process.cwd()): Promise<unknown> => {
  const mod = await import(pluginModule(source, base))
  return (mod as { default?: unknown }).default ?? mod
}

export const matches = (patterns: ReadonlyArray<string>, type: string) =>
  patterns.some((p) => (p.endsWith("*") ? type.startsWith(p.slice(0, -1)) : p === type))

/** A failed handler call, with what ended it. @category errors @since 0.4.0 */
export class HandlerFailure extends Error {
  /** The discriminant every Tenet error carries (as Effect's `Data.TaggedError` does). */
  readonly _tag = "HandlerFailure" as const
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message)
  }
}

export const failureOf = (e: unknown): HandlerFailure =>
  e instanceof HandlerFailure ? e : new HandlerFailure("error", e instanceof Error ? e.message : String(e))

export const limit = <A>(p: Promise<A>, ms: number, onTimeout: () => HandlerFailure) =>
  new Promise<A>((res, rej) => {
    const t = setTimeout(() => rej(onTimeout()), ms)
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
