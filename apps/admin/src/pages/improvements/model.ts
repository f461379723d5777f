import { useQuery } from "@tanstack/react-query"
import { api, getCurrentOrg } from "../../api/client"
import { i18next } from "../../i18n"
import { useFormatValue } from "../dashboard/shared"

/** Improvement cycles as the admin app reads them, and the shared formatting. */
type L10n = Record<string, string>
interface Stage {
  id: string
  name: L10n
  terminal?: boolean
  dueInDays?: number
  fields?: {
    properties?: Record<
      string,
      {
        type?: string
        title?: string
        "x-title"?: Partial<Record<"zh-CN" | "en", string>>
        enum?: string[]
        "x-widget"?: string
        "x-unit"?: "metric"
      }
    >
    required?: string[]
  }
  guard?: { required?: string[]; approverRole?: string }
}
export interface Workflow {
  id: string
  name: L10n
  stages: Stage[]
  transitions: Array<{ from: string; to: string }>
  triggers: string[]
  plugin?: string
  source?: "plugin" | "library"
}
export interface Measurement {
  from: string
  to: string
  value: number | null
  numerator?: number
  denominator?: number
  n: number
}
export interface Cycle {
  id: string
  number: number
  workflowId: string
  workflow: Workflow
  title: string
  stage: string
  status: "active" | "on_hold" | "cancelled" | "closed"
  statusReason: string | null
  trigger: {
    kind: string
    metric?: string
    value?: number | null
    target?: number
    operator?: string
    period?: { from: string; to: string }
    standardId?: string
    requirementId?: string
  }
  fields: Record<string, Record<string, unknown>>
  baseline: Measurement | null
  check: null | {
    baseline: Measurement
    after: Measurement
    test: { statistic: number; pValue: number } | null
    verdict: string
    metric: { unit: string }
  }
  outcome: null | {
    decision: string
    draft?: { version: number; label: string; standardId: string }
    reason?: string
  }
  stageDueAt: string | null
  history: Array<{ at: string; by: string; from: string | null; to: string; note?: string }>
  updatedAt: string
}

export const pct = (lang: string, v: number | null | undefined) =>
  v === null || v === undefined
    ? "—"
    : new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(v)

/**
 * How the cycle's metric is written: as the dashboard writes it (a rate as a percentage, a duration
 * in business time, a count as a number), from the metric's unit in the registry.
 */
export const useMetricValue = (metricId: string | undefined) => {
  const format = useFormatValue()
  const unit = useMetricUnit(metricId)
  return (v: number | null | undefined) => format(unit, v)
}

const useMetrics = () =>
  useQuery({
    queryKey: ["metrics", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Array<{ id: string; unit: string; name: Partial<Record<string, string>> }> }>(
        "/api/v1/metrics",
      ),
    staleTime: 5 * 60_000,
  })

/** The unit of a metric in the registry (percent until it is known). */
export const useMetricUnit = (metricId: string | undefined) =>
  useMetrics().data?.items.find((m) => m.id === metricId)?.unit ?? "percent"

/** A metric's name in the reader's language (the registry's name; its id only while unknown). */
export const useMetricName = () => {
  const metrics = useMetrics()
  return (metricId: string | undefined, lang: string) => {
    const name = metrics.data?.items.find((m) => m.id === metricId)?.name
    return name?.[lang] ?? name?.en ?? name?.["zh-CN"] ?? metricId ?? ""
  }
}

/**
 * A number typed as people write it in the metric's unit: a rate in percent ("92", "92 %", "92.5%"
 * → 0.925), anything else as the number itself. Empty: null. Not a number: undefined.
 */
export const parseInUnit = (unit: string, text: string): number | null | undefined => {
  const t = text
    .trim()
    .replace(/[％%]\s*$/, "")
    .replace(/\s+/g, "")
    .replace("，", ".")
  if (t === "") return null
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return undefined
  const n = Number(t)
  return unit === "percent" ? n / 100 : n
}

/** A stored value as the text to edit it (a rate in percent). */
export const inUnitText = (unit: string, v: unknown) =>
  typeof v !== "number" || !Number.isFinite(v)
    ? ""
    : unit === "percent"
      ? String(+(v * 100).toFixed(4))
      : String(v)

/**
 * A stage field's label in the reader's language: its `x-title` in that language, else its `title`;
 * a title written "English / 中文" (the built-in workflows' convention) shows the reader's half.
 */
export const fieldLabel = (
  p: { title?: string; "x-title"?: Partial<Record<"zh-CN" | "en", string>> } | undefined,
  key: string,
  lang: string,
) => {
  const l = lang === "en" ? "en" : "zh-CN"
  const own = p?.["x-title"]?.[l]
  if (own) return own
  const title = p?.title ?? key
  const halves = title.split(" / ")
  if (halves.length === 2) {
    const cjk = /[\u3400-\u9fff]/
    const zh = halves.find((h) => cjk.test(h))
    const en = halves.find((h) => !cjk.test(h))
    if (zh && en) return l === "en" ? en : zh
  }
  return title
}

/** A cycle's history note in the reader's language ("opened from kpi_breach" is the server's text). */
export const historyNote = (note: string) => {
  const opened = /^opened from (\w+)$/.exec(note)
  if (!opened) return note
  const key = `improvements.triggers.${opened[1]}`
  return i18next.t("improvements.openedFrom", { trigger: i18next.exists(key) ? i18next.t(key) : opened[1] })
}
