/**
 * The contracts every module implements and plugins contribute to: metric definitions,
 * workflow definitions and extension points. Modules declare their own extension points
 * with `extensionPoint`; the plugin host (plugin-sdk) wires contributions to them.
 *
 * @since 0.1.0
 */
import type { Database } from "./Db"
import type { Role } from "./Tenancy"

/** A string in each of the product's languages. @category models @since 0.1.0 */
export interface Localized {
  readonly "zh-CN": string
  readonly en: string
}

// ---------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------

/** @category models @since 0.1.0 */
export type MetricUnit = "percent" | "seconds" | "count" | "score" | "points" | "ratio" | "ppm" | "money"
/** @category models @since 0.1.0 */
export type MetricDirection = "higher_is_better" | "lower_is_better" | "context"
/** How a value is formed, which also says which interval applies. @category models @since 0.1.0 */
export type MetricKind = "proportion" | "mean" | "median" | "percentile" | "count" | "nps" | "index"
/** @category models @since 0.1.0 */
export type Bucket = "day" | "week" | "month" | "none"

/** A request for metric values. @category models @since 0.1.0 */
export interface MetricQuery {
  readonly orgId: string
  /** Inclusive start, exclusive end. */
  readonly from: Date
  readonly to: Date
  /** Buckets are local days/weeks/months in this IANA zone. */
  readonly timeZone: string
  readonly bucket: Bucket
  /** Filters on dimensions, e.g. `{ channel: "chat" }`. */
  readonly filter?: Readonly<Record<string, string>>
  /** Dimensions to split by, e.g. `["channel"]`. */
  readonly groupBy?: ReadonlyArray<string>
  /** Parameter values, e.g. `{ threshold: 900 }`. */
  readonly params?: Readonly<Record<string, string | number>>
}

/** One value of a metric, with what it is made of. @category models @since 0.1.0 */
export interface MetricValue {
  /** Local bucket start (YYYY-MM-DD) or undefined for `none`. */
  readonly bucket?: string
  readonly dimensions?: Readonly<Record<string, string>>
  readonly value: number | null
  readonly numerator?: number
  readonly denominator?: number
  /** Sample size the value rests on. */
  readonly n: number
  /** Confidence interval where the domain doc says one applies (proportions, means, NPS). */
  readonly interval?: { readonly lower: number; readonly upper: number; readonly confidence: number }
}

/**
 * The records behind a value: the cases counted against it (for a rate, those that failed it),
 * the first ones by intake time (at most a few hundred) and how many there are in all.
 * @category models
 * @since 0.6.0
 */
export interface MetricEvidence {
  readonly caseIds: ReadonlyArray<string>
  readonly total: number
}

/** A parameter a metric accepts. @category models @since 0.1.0 */
export interface MetricParameter {
  readonly name: Localized
  readonly type: "duration" | "number" | "string"
  readonly default?: string | number
}

/**
 * A metric: id, names, unit, direction, parameters, dimensions and a computation.
 * @category models
 * @since 0.1.0
 */
export interface MetricDefinition {
  /** Stable id, e.g. `process.first_response_time` (catalogue id in `code`, e.g. SVC-04). */
  readonly id: string
  readonly code?: string
  readonly module: string
  readonly name: Localized
  readonly description?: Localized
  readonly unit: MetricUnit
  readonly direction: MetricDirection
  readonly kind: MetricKind
  readonly dimensions: ReadonlyArray<string>
  readonly parameters?: Readonly<Record<string, MetricParameter>>
  readonly compute: (query: MetricQuery, db: Database) => Promise<ReadonlyArray<MetricValue>>
  /** The cases counted against the value of the whole period (no bucket, no grouping), where the metric can say. */
  readonly evidence?: (query: MetricQuery, db: Database) => Promise<MetricEvidence>
}

// ---------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------

/** A JSON Schema object (fields of a stage). @category models @since 0.1.0 */
export type JsonSchema = Readonly<Record<string, unknown>>

/** @category models @since 0.1.0 */
export interface WorkflowStage {
  readonly id: string
  readonly name: Localized
  readonly fields?: JsonSchema
  /** Leaving the stage needs these fields filled, and approval by this role where set. */
  readonly guard?: { readonly required?: ReadonlyArray<string>; readonly approverRole?: Role }
  readonly dueInDays?: number
  readonly terminal?: boolean
}

/** What may start an improvement cycle. @category models @since 0.3.0 */
export const TRIGGER_KINDS = [
  "kpi_breach",
  "control_chart_signal",
  "complaint",
  "audit_finding",
  "qa_critical_error",
  "risk",
  "idea",
] as const
/** @category models @since 0.3.0 */
export type TriggerKind = (typeof TRIGGER_KINDS)[number]

/**
 * A workflow (PDCA, 8D, DMAIC…): stages with fields and guards, allowed transitions
 * (backward ones included), and what may trigger it. `on_hold` and `cancelled` are
 * available from every non-terminal stage and need a reason.
 * @category models
 * @since 0.1.0
 */
export interface WorkflowDefinition {
  readonly id: string
  readonly version: string
  readonly name: Localized
  readonly stages: ReadonlyArray<WorkflowStage>
  readonly transitions: ReadonlyArray<{ readonly from: string; readonly to: string }>
  readonly triggers: ReadonlyArray<TriggerKind>
}

// ---------------------------------------------------------------------------
// Extension points
// ---------------------------------------------------------------------------

/**
 * A typed extension point declared by a module (Backstage style): an id and the
 * interface contributors call, e.g. `{ addMetric(def) }`.
 * @category models
 * @since 0.1.0
 */
export interface ExtensionPoint<T> {
  readonly $$type: "@tenet/ExtensionPoint"
  readonly id: string
  /** Phantom: the interface of the point. */
  readonly T: T
}

/** @category constructors @since 0.1.0 */
export const extensionPoint = <T>(options: { readonly id: string }): ExtensionPoint<T> => {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(options.id))
    throw new TypeError(`extension point id "${options.id}" must look like "module.name"`)
  return { $$type: "@tenet/ExtensionPoint", id: options.id, T: undefined as T }
}

/** The metric registry every module contributes to. @category models @since 0.1.0 */
export interface MetricsExtensionPoint {
  readonly addMetric: (definition: MetricDefinition) => void
}
/** @category constructors @since 0.1.0 */
export const metricsExtensionPoint = extensionPoint<MetricsExtensionPoint>({ id: "core.metrics" })

/** Workflows available to improvement cycles. @category models @since 0.1.0 */
export interface WorkflowsExtensionPoint {
  readonly addWorkflow: (definition: WorkflowDefinition) => void
}
/** @category constructors @since 0.1.0 */
export const workflowsExtensionPoint = extensionPoint<WorkflowsExtensionPoint>({ id: "core.workflows" })

/**
 * An in-memory metric registry (the host builds one and hands `addMetric` to modules and plugins).
 * @category constructors
 * @since 0.1.0
 */
export const metricRegistry = () => {
  const defs = new Map<string, MetricDefinition>()
  return {
    addMetric: (d: MetricDefinition) => {
      if (defs.has(d.id)) throw new Error(`metric ${d.id} is already registered`)
      defs.set(d.id, d)
    },
    get: (id: string) => defs.get(id),
    list: () => [...defs.values()],
  }
}
