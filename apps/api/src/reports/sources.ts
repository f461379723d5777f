/**
 * What a report shows, as a `ReportDocument`: the dashboard's KPIs for a period (the same
 * computation as GET /api/v1/dashboard/kpis), the compliance report (the stored evaluations of
 * the period, as the compliance screen and its CSV show them) or a saved case view (the queue's
 * filters). Every source reads; none changes anything.
 */
import { type Db, Errors, Organizations } from "@tenet/core"
import { Cases } from "@tenet/process"
import { Standards } from "@tenet/standards"
import { sql } from "kysely"
import { registry } from "../registry"
import { caseQueryOf } from "../routes/process"
import { kpis } from "../routes/standards"
import { formatValue, type Locale, labels, localDate, localDateTime, pick } from "./labels"
import type { Cell, ReportDocument, Section } from "./render"
import type { ReportSource } from "./schema"

export interface SourceInput {
  readonly orgId: string
  readonly source: ReportSource
  readonly params: Readonly<Record<string, string>>
  readonly from: Date
  readonly to: Date
  readonly timeZone: string
  readonly locale: Locale
  /** The report's own name (a schedule's), shown under the title. */
  readonly name?: string | undefined
}

/** At most this many cases in one report (the streamed export has no such limit). */
export const CASE_ROWS = 5000

const periodText = (i: SourceInput) =>
  labels(i.locale).period(
    localDate(i.from, i.timeZone),
    localDate(new Date(i.to.getTime() - 1), i.timeZone),
    i.timeZone,
  )

const kpiColumns = (l: ReturnType<typeof labels>) => [
  { key: "standard", label: l.standard, width: 1.4 },
  { key: "requirement", label: l.requirement, width: 2 },
  { key: "metric", label: l.metric, width: 1.6 },
  { key: "value", label: l.value },
  { key: "target", label: l.target },
  { key: "status", label: l.status, width: 0.8 },
  { key: "n", label: l.n, kind: "number" as const, width: 0.7 },
  { key: "interval", label: l.interval, width: 1.2 },
]

const statusText = (l: ReturnType<typeof labels>, s: string) =>
  (l as unknown as Record<string, string>)[`status_${s}`] ?? s

/** The dashboard's KPIs (every target of the published standards) for the period. */
export const dashboardSection = async (db: Db.Database, i: SourceInput, only?: ReadonlySet<string>) => {
  const l = labels(i.locale)
  const items = (await kpis(db, i.orgId, i.from, i.to, i.timeZone)).filter(
    (k) => !only || only.has(`${k.standardId}/${k.targetId}`),
  )
  const rows: Array<Record<string, Cell>> = items.map((k) => ({
    standard: pick(k.standardTitle, i.locale),
    requirement: `${k.requirementId} ${pick(k.requirementTitle, i.locale)}`,
    metric: `${k.metric.code ?? ""} ${pick(k.metric.name, i.locale)}`.trim(),
    value: formatValue(k.metric.unit, k.value, i.locale),
    target: `${k.operator} ${formatValue(k.metric.unit, k.target, i.locale)}`,
    status: statusText(l, k.status),
    n: k.n,
    interval: k.interval
      ? `${formatValue(k.metric.unit, k.interval.lower, i.locale)} – ${formatValue(k.metric.unit, k.interval.upper, i.locale)}`
      : "—",
  }))
  return { section: { title: l.dashboard, columns: kpiColumns(l), rows } satisfies Section, items }
}

const complianceSections = async (db: Db.Database, i: SourceInput): Promise<Section[]> => {
  const l = labels(i.locale)
  const stored = await sql<{
    id: string
    standard_id: string
  }>`select distinct on (standard_id) id, standard_id
    from standards.evaluation where org_id = ${i.orgId} and period_to > ${i.from} and period_to <= ${i.to}
      ${i.params.standardId ? sql`and standard_id = ${i.params.standardId}` : sql``}
    order by standard_id, period_to desc, created_at desc`.execute(db.kysely)
  const standards = await Standards.listStandards(db, i.orgId)
  const out: Section[] = []
  for (const s of standards) {
    if (i.params.standardId && s.id !== i.params.standardId) continue
    const evId = stored.rows.find((r) => r.standard_id === s.id)?.id
    const columns = kpiColumns(l).filter((c) => c.key !== "standard")
    if (!evId) {
      out.push({ title: `${pick(s.title, i.locale)} — ${l.noEvaluation}`, columns, rows: [] })
      continue
    }
    const e = await Standards.getEvaluation(db, i.orgId, evId)
    out.push({
      title: `${pick(s.title, i.locale)} · ${l.version} ${e.version} · ${l.evaluatedAt} ${localDateTime(new Date(e.createdAt), i.timeZone)}`,
      columns,
      rows: e.results.map((r) => {
        const unit = registry.get(r.metric)?.unit ?? "ratio"
        return {
          requirement: `${r.requirementId} ${pick(r.requirementTitle, i.locale)}`,
          metric:
            `${registry.get(r.metric)?.code ?? ""} ${pick(registry.get(r.metric)?.name ?? r.metric, i.locale)}`.trim(),
          value: formatValue(unit, r.value, i.locale),
          target: `${r.operator} ${formatValue(unit, r.target, i.locale)}`,
          status: statusText(l, r.status),
          n: r.n,
          interval: r.interval
            ? `${formatValue(unit, r.interval.lower, i.locale)} – ${formatValue(unit, r.interval.upper, i.locale)}`
            : "—",
        }
      }),
    })
  }
  return out
}

const caseSection = async (db: Db.Database, i: SourceInput): Promise<Section> => {
  const l = labels(i.locale)
  const view = await sql<{ query: unknown; name: string }>`select query, name from process.saved_view
    where org_id = ${i.orgId} and id = ${i.params.viewId ?? ""}`.execute(db.kysely)
  if (!view.rows[0]) throw new Errors.NotFoundError({ entity: "saved_view", id: i.params.viewId ?? "" })
  const q = caseQueryOf(view.rows[0].query ?? {})
  const rows: Array<Record<string, Cell>> = []
  let cursor: string | undefined
  while (rows.length < CASE_ROWS) {
    const page = await Cases.listCases(db, i.orgId, { ...q, cursor, limit: 500 })
    for (const c of page.items) {
      const r = { ...c, customer: c.customerName ?? "" } as Record<string, unknown>
      rows.push(
        Object.fromEntries(
          Cases.CSV_COLUMNS.map((k) => {
            const v = r[k]
            return [
              k,
              v instanceof Date ? localDateTime(v, i.timeZone) : v === undefined ? null : (v as Cell),
            ]
          }),
        ),
      )
    }
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  return {
    title: `${l.cases} · ${view.rows[0].name}`,
    columns: Cases.CSV_COLUMNS.map((k) => ({
      key: k,
      label: l.case[k] ?? k,
      ...(k === "number" ? { kind: "number" as const, width: 0.6 } : k === "subject" ? { width: 2 } : {}),
    })),
    rows: rows.slice(0, CASE_ROWS),
  }
}

/** The report of a source for a period, in a language. */
export const buildReport = async (db: Db.Database, i: SourceInput): Promise<ReportDocument> => {
  const l = labels(i.locale)
  const org = await Organizations.get(db, i.orgId)
  const sections =
    i.source === "dashboard"
      ? [(await dashboardSection(db, i)).section]
      : i.source === "compliance"
        ? await complianceSections(db, i)
        : [await caseSection(db, i)]
  const title = i.source === "dashboard" ? l.dashboard : i.source === "compliance" ? l.compliance : l.cases
  return {
    title: `${org.name} · ${i.name ?? title}`,
    subtitle: `${title} · ${periodText(i)}`,
    footer: l.footer(localDateTime(new Date(), i.timeZone)),
    sections,
  }
}
