/** The standards routes' schemas and helpers, and the dashboard's reader of every target's KPIs. */
import { makeCalendar, nextOpening } from "@tenet/calendar"
import { type Db, Errors } from "@tenet/core"
import { Standard, Standards } from "@tenet/standards"
import { Schema } from "effect"
import { registry } from "../../registry"
import { DateTime, NonEmpty, NonEmptyShort, ShortText, TimeZone } from "../schemas"

export const Int = Schema.NumberFromString.check(Schema.isInt())

export const ImportBody = Schema.Struct({
  format: Schema.Literals(["json", "yaml"]).annotate({ message: "must be json or yaml" }),
  text: NonEmpty,
}).annotate({ identifier: "StandardImport" })
export const StepBody = Schema.Struct({
  to: Schema.Literals(Standard.STATUSES).annotate({
    message: `must be one of: ${Standard.STATUSES.join(", ")}`,
  }),
  note: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "StandardStep" })
export const DraftBody = Schema.Struct({
  fromVersion: Schema.Finite.check(Schema.isInt()),
  document: Schema.optionalKey(Schema.Unknown),
  cycleId: Schema.optionalKey(ShortText),
  label: Schema.optionalKey(ShortText),
}).annotate({ identifier: "StandardDraft" })
export const DocumentBody = Schema.Struct({ document: Schema.Unknown }).annotate({
  identifier: "StandardDocumentBody",
})
export const EvaluateBody = Schema.Struct({
  from: DateTime,
  to: DateTime,
  timeZone: Schema.optionalKey(TimeZone),
  version: Schema.optionalKey(Schema.Finite.check(Schema.isInt())),
}).annotate({ identifier: "EvaluateStandard" })
export const MappingBody = Schema.Struct({
  fromStandard: NonEmptyShort,
  fromRequirement: NonEmptyShort,
  toStandard: NonEmptyShort,
  toRequirement: NonEmptyShort,
  relation: NonEmptyShort,
  strength: Schema.Finite,
  rationale: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "RequirementMapping" })
export const Period = Schema.Struct({ from: DateTime, to: DateTime, timeZone: Schema.optionalKey(TimeZone) })
export const ChartQuery = Schema.Struct({
  from: DateTime,
  to: DateTime,
  timeZone: Schema.optionalKey(TimeZone),
  filter: Schema.optionalKey(ShortText),
  chart: Schema.optionalKey(Schema.Literals(["p", "laney", "xmr"])),
})

/** Local midnight (in `tz`) of the day containing `at`: the opening of a calendar open only that day (DST-aware). */
export const startOfLocalDay = (at: Date, tz: string) => {
  const day = new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at)
  const onlyThatDay = makeCalendar({
    timeZone: tz,
    hours: {},
    workdays: [{ date: day, hours: [["00:00", "24:00"]] }],
  })
  return nextOpening(onlyThatDay, new Date(Date.parse(`${day}T00:00:00Z`) - 14 * 3_600_000))
}

export const version = (p: Record<string, string>) => {
  const v = Number(p.version)
  if (!/^\d{1,10}$/.test(p.version ?? "") || !Number.isInteger(v) || v < 1 || v > 2_147_483_647)
    throw new Errors.ValidationError({
      message: "invalid version",
      issues: [
        {
          path: ["version"],
          message: "must be a whole number from 1 to 2147483647",
          code: "wholeRange",
          params: { min: 1, max: 2_147_483_647 },
        },
      ],
    })
  return v
}
export const filterOf = (s?: string) =>
  Object.fromEntries((s ? s.split(",") : []).filter(Boolean).map((p) => p.split(":") as [string, string]))

/** Today's values and daily series of every target of the published standards (read-only). */
export const kpis = async (db: Db.Database, orgId: string, from: Date, to: Date, timeZone: string) => {
  const out = []
  // every metric of this dashboard reads the rollups as of this request's start: one refresh of
  // the dirty days serves them all (and the other requests that started before it)
  const freshAsOf = Date.now()
  for (const s of await Standards.listStandards(db, orgId)) {
    const pub = await Standards.publishedVersion(db, orgId, s.id)
    if (!pub) continue
    for (const { requirement } of Standard.requirements(pub.document)) {
      for (const t of requirement.targets ?? []) {
        const def = registry.get(t.metric)
        if (!def) continue
        const q = { orgId, from, to, timeZone, filter: t.filter ?? {}, params: { freshAsOf } }
        const [total] = await def.compute({ ...q, bucket: "none" }, db)
        const series = def.kind === "count" ? [] : await def.compute({ ...q, bucket: "day" }, db)
        out.push({
          standardId: s.id,
          standardTitle: s.title,
          version: pub.version,
          requirementId: requirement.id,
          requirementTitle: requirement.title,
          targetId: t.id,
          metric: {
            id: def.id,
            code: def.code,
            name: def.name,
            unit: def.unit,
            direction: def.direction,
            kind: def.kind,
          },
          operator: t.operator,
          target: t.value,
          warningBand: t.warningBand ?? 0,
          filter: t.filter ?? {},
          value: total?.value ?? null,
          numerator: total?.numerator,
          denominator: total?.denominator,
          n: total?.n ?? 0,
          interval: total?.interval,
          status: Standard.judge(t, total?.value ?? null, total?.n ?? 0),
          series: series.map((p) => ({ day: p.bucket, value: p.value, n: p.n })),
        })
      }
    }
  }
  return out
}
