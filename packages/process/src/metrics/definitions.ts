// The process module's metric definitions (SVC-04 … SVC-12), each with its computation.
import type { Contracts } from "@tenet/core"
import { sql } from "kysely"
import { attainment, attainmentEvidence, backlog, duration, share, shareEvidence } from "./compute"
import { DIMENSIONS } from "./query"
import { workforceMetrics } from "./workforce"

type MetricDefinition = Contracts.MetricDefinition

const dimensions = Object.keys(DIMENSIONS)
const L = (zh: string, en: string) => ({ "zh-CN": zh, en })

/**
 * The process module's metric definitions.
 * @category constructors
 * @since 0.1.0
 */
export const metrics: ReadonlyArray<MetricDefinition> = [
  {
    id: "process.first_response_time",
    code: "SVC-04",
    module: "process",
    name: L("首次响应时长（中位数）", "First response time (median)"),
    description: L(
      "从受理到首次回复的营业时间，按服务日历计算。",
      "Business time from intake to the first reply, on the service calendar.",
    ),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "median",
    dimensions,
    compute: (q, db) => duration("first_response", 0.5)(db, q),
  },
  {
    id: "process.first_response_time_p90",
    code: "SVC-04",
    module: "process",
    name: L("首次响应时长（P90）", "First response time (P90)"),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "percentile",
    dimensions,
    compute: (q, db) => duration("first_response", 0.9)(db, q),
  },
  {
    id: "process.first_response_sla",
    code: "SVC-05",
    module: "process",
    name: L("首次响应达标率", "First-response SLA attainment"),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) => attainment("first_response")(db, q),
    evidence: (q, db) => attainmentEvidence("first_response")(db, q),
  },
  {
    id: "process.initial_record_timeliness",
    code: "SVC-06",
    module: "process",
    name: L("初始记录及时率", "Initial-record timeliness"),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) => attainment("initial_record")(db, q),
    evidence: (q, db) => attainmentEvidence("initial_record")(db, q),
  },
  {
    id: "process.resolution_time",
    code: "SVC-07",
    module: "process",
    name: L("解决时长（中位数）", "Resolution time (median)"),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "median",
    dimensions,
    compute: (q, db) => duration("resolution", 0.5)(db, q),
  },
  {
    id: "process.resolution_time_p90",
    code: "SVC-07",
    module: "process",
    name: L("解决时长（P90）", "Resolution time (P90)"),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "percentile",
    dimensions,
    compute: (q, db) => duration("resolution", 0.9)(db, q),
  },
  {
    id: "process.resolution_sla",
    code: "SVC-08",
    module: "process",
    name: L("解决时限达标率", "Resolution SLA attainment"),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) => attainment("resolution")(db, q),
    evidence: (q, db) => attainmentEvidence("resolution")(db, q),
  },
  {
    id: "process.backlog",
    code: "SVC-09",
    module: "process",
    name: L("超时积压", "Backlog past due"),
    unit: "count",
    direction: "lower_is_better",
    kind: "count",
    dimensions,
    compute: (q, db) => backlog("count")(db, q),
  },
  {
    id: "process.average_time_late",
    code: "SVC-09",
    module: "process",
    name: L("平均超时时长（ATL）", "Average time late (ATL)"),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "mean",
    dimensions,
    compute: (q, db) => backlog("atl")(db, q),
  },
  {
    id: "process.fcr",
    code: "SVC-10",
    module: "process",
    name: L("首次解决率（FCR）", "First-contact resolution (FCR)"),
    description: L(
      "首次联系且在重复窗口内未再就同一类别联系的比例。",
      "First contacts with no repeat contact on the same category within the window.",
    ),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) =>
      share(
        sql`c.repeat_of is null and c.repeated_by is null and c.resolved_at is not null`,
        sql`c.repeat_of is null and c.resolved_at is not null`,
        ["fcr_num", "fcr_den"],
      )(db, q),
    // first contacts resolved, then contacted again on the same category
    evidence: (q, db) =>
      shareEvidence(sql`c.repeat_of is null and c.resolved_at is not null and c.repeated_by is not null`)(
        db,
        q,
      ),
  },
  {
    id: "process.reopen_rate",
    code: "SVC-11",
    module: "process",
    name: L("重开率", "Reopen rate"),
    unit: "percent",
    direction: "lower_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) =>
      share(sql`c.reopen_count > 0`, sql`c.resolved_at is not null or c.reopen_count > 0`, [
        "reopen_num",
        "reopen_den",
      ])(db, q),
    evidence: (q, db) => shareEvidence(sql`c.reopen_count > 0`)(db, q),
  },
  {
    id: "process.escalation_rate",
    code: "SVC-12",
    module: "process",
    name: L("升级率", "Escalation rate"),
    unit: "percent",
    direction: "context",
    kind: "proportion",
    dimensions,
    compute: (q, db) => share(sql`c.escalation_level > 0`, sql`true`, ["escalated", "cases"])(db, q),
    evidence: (q, db) => shareEvidence(sql`c.escalation_level > 0`)(db, q),
  },
  ...workforceMetrics,
]
