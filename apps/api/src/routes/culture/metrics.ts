/** The people metrics by team (culture's registry metrics split by the `team` dimension), for the teams screen. */
import { Metrics } from "@tenet/culture"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { orgTimeZone } from "../../http/org-zone"

/** The metrics in the order the screen shows them, by the key each takes in a row. */
const COLUMNS = [
  ["coverage", Metrics.certificationCoverage],
  ["trainingOnTime", Metrics.trainingOnTime],
  ["recertificationsOverdue", Metrics.recertsOverdue],
  ["skillGap", Metrics.skillGapIndex],
  ["attrition", Metrics.attrition],
  ["timeToProficiency", Metrics.timeToProficiency],
] as const

export const peopleMetricEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/people-metrics",
    exportable: true,
    operationId: "peopleMetricsByTeam",
    summary:
      "The people metrics of the last N days by team (certification coverage, training on time, re-certifications overdue, skill-gap index, attrition, time to proficiency), each with n, and for everyone",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({
      days: Schema.optionalKey(
        Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 7, maximum: 730 })),
      ),
    }),
    handler: async (c, { ctx, query }) => {
      const db = c.get("db")
      const to = new Date()
      const days = query.days ?? 90
      const base = {
        orgId: ctx.orgId,
        from: new Date(to.getTime() - days * 86_400_000),
        to,
        timeZone: await orgTimeZone(db, ctx.orgId),
        bucket: "none" as const,
      }
      const rows = new Map<string, Record<string, unknown>>()
      const total: Record<string, unknown> = { team: null }
      for (const [key, def] of COLUMNS) {
        const [all] = await def.compute(base, db)
        total[key] = all ?? { value: null, n: 0 }
        for (const v of await def.compute({ ...base, groupBy: ["team"] }, db)) {
          const team = v.dimensions?.team ?? "—"
          const row = rows.get(team) ?? { team }
          row[key] = { value: v.value, n: v.n, ...(v.interval ? { interval: v.interval } : {}) }
          rows.set(team, row)
        }
      }
      const empty = { value: null, n: 0 }
      return {
        days,
        from: base.from,
        to,
        items: [...rows.values()]
          .sort((a, b) => String(a.team).localeCompare(String(b.team)))
          .map((r) => Object.fromEntries([["team", r.team], ...COLUMNS.map(([k]) => [k, r[k] ?? empty])])),
        total,
      }
    },
  }),
]
