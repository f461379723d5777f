/**
 * @tenet/plugin-sdk — what a plugin is. A plugin is a package (or a folder under `plugins/`)
 * whose default export is `definePlugin({ id, version, engines: { tenet: "^0.1" }, … })`. It
 * contributes data checked at load (standards, workflows, scorecards, calendars, risk libraries), metric
 * definitions, and event handlers that the host runs isolated (time limit, bounded retries,
 * quarantine after repeated failure).
 *
 * @since 0.1.0
 */
import type { Contracts, DataClasses, Db, Outbox } from "@tenet/core"
import type { Notify } from "./notify"

export { type Notify, notificationEvent, type PluginNotification } from "./notify"

/** A string in each language. @category models @since 0.1.0 */
export type Localized = Readonly<Partial<Record<"zh-CN" | "en", string>>>

/**
 * What a handler gets besides its event: the server's database, and `notify` to tell people
 * something through the notification centre (in the event's organisation).
 * @category models
 * @since 0.6.0
 */
export interface HandlerContext {
  readonly db: Db.Database
  readonly notify: Notify
}

/** An event handler contributed by a plugin. @category models @since 0.1.0 */
export interface PluginHandler {
  /** Unique within the plugin, e.g. "notify-on-breach". */
  readonly name: string
  /** Event types, with a trailing * for a prefix (e.g. "standards.*"). */
  readonly events: ReadonlyArray<string>
  readonly handle: (event: Outbox.DomainEvent, context: HandlerContext) => Promise<void>
  /** Time limit per call (default 5 000 ms). */
  readonly timeoutMs?: number
}

/** What a plugin may contribute. @category models @since 0.1.0 */
export interface Contributions {
  /** Standard libraries (format tenet-standard/v1), installable into an organisation. */
  readonly standards?: ReadonlyArray<unknown>
  /** Improvement workflows (PDCA, 8D, DMAIC, …). */
  readonly workflows?: ReadonlyArray<Contracts.WorkflowDefinition>
  /** Metric definitions for the registry. */
  readonly metrics?: ReadonlyArray<Contracts.MetricDefinition>
  /** QA scorecards `{ name, definition }`. */
  readonly scorecards?: ReadonlyArray<{ readonly name: string; readonly definition: unknown }>
  /** Business calendars `{ name, spec }` (the @tenet/calendar JSON spec). */
  readonly calendars?: ReadonlyArray<{ readonly name: string; readonly spec: unknown }>
  /** Risk libraries (format tenet-risk-library/v1): matrices and category catalogues, installable into an organisation. */
  readonly riskLibraries?: ReadonlyArray<unknown>
  /** The personal data the plugin stores (data classes; `plugin` and `where` are set by the host, not the plugin). */
  readonly dataClasses?: ReadonlyArray<Omit<DataClasses.DataClass, "plugin" | "where">>
}

/** The manifest a plugin author writes. @category models @since 0.1.0 */
export interface PluginManifest {
  /** kebab-case, e.g. "copc-baseline". */
  readonly id: string
  /** semver of the plugin. */
  readonly version: string
  /** The Tenet versions it works with (a semver range). */
  readonly engines: { readonly tenet: string }
  readonly name?: Localized
  readonly description?: Localized
  readonly contributes?: Contributions
  readonly handlers?: ReadonlyArray<PluginHandler>
}

/** A defined plugin: the manifest marked with the format version. @category models @since 0.1.0 */
export interface Plugin extends PluginManifest {
  readonly $$type: "@tenet/Plugin"
  readonly format: "v1"
}

/**
 * Define a plugin. The value is checked by the host when it loads (and by
 * `tenet plugin validate`), not here, so that a broken plugin is refused with a message instead
 * of failing at import.
 * @category constructors
 * @since 0.1.0
 */
export const definePlugin = (manifest: PluginManifest): Plugin => ({
  ...manifest,
  $$type: "@tenet/Plugin",
  format: "v1",
})

/** @category guards @since 0.1.0 */
export const isPlugin = (u: unknown): u is Plugin =>
  typeof u === "object" && u !== null && (u as Plugin).$$type === "@tenet/Plugin"
export {
  formatIssue,
  type PluginIssue,
  validatePlugin,
  validateWorkflow,
  type WorkflowIssue,
} from "./validate"
