import { type Db, Tenancy } from "@tenet/core"
import { Case, type Cases, Config } from "@tenet/process"
import { Schema } from "effect"
import { decodeQuery } from "../../http/endpoint"
import { DateTime, NonEmpty, NonEmptyShort, ShortText, TimeZone } from "../schemas"

export const oneOf = <const L extends ReadonlyArray<string>>(values: L) =>
  Schema.Literals(values).annotate({ message: `must be one of: ${values.join(", ")}` })

export const CustomerInput = Schema.Struct({
  name: NonEmptyShort,
  externalId: Schema.optionalKey(ShortText),
  segment: Schema.optionalKey(oneOf(Case.SEGMENTS)),
  valueTier: Schema.optionalKey(ShortText),
  contactFrequency: Schema.optionalKey(ShortText),
  needPriority: Schema.optionalKey(ShortText),
  contacts: Schema.optionalKey(Schema.Array(Schema.Struct({ channel: Schema.String, value: Schema.String }))),
  dedicatedTeam: Schema.optionalKey(ShortText),
}).annotate({ identifier: "CustomerInput" })

export const Milestone = Schema.Struct({
  name: NonEmptyShort,
  due: Schema.optionalKey(DateTime),
  doneAt: Schema.optionalKey(Schema.NullOr(DateTime)),
}).annotate({ identifier: "CaseMilestone" })

export const CreateCase = Schema.Struct({
  type: NonEmptyShort.annotate({
    description:
      "a case type of the organisation's vocabulary (GET /api/v1/process/vocabulary); seeds: inquiry, problem, complaint, request",
  }),
  channel: oneOf(Case.CHANNELS),
  subject: NonEmpty,
  content: Schema.optionalKey(Schema.String),
  externalId: Schema.optionalKey(ShortText),
  customerId: Schema.optionalKey(ShortText),
  customer: Schema.optionalKey(CustomerInput),
  urgency: Schema.optionalKey(oneOf(Case.LEVELS)),
  impact: Schema.optionalKey(oneOf(Case.LEVELS)),
  category: Schema.optionalKey(
    ShortText.annotate({ description: "a category of the organisation's vocabulary" }),
  ),
  tier: Schema.optionalKey(oneOf(Case.TIERS)),
  team: Schema.optionalKey(ShortText),
  ownerId: Schema.optionalKey(ShortText),
  receivedAt: Schema.optionalKey(DateTime),
  recordedAt: Schema.optionalKey(
    DateTime.annotate({
      description:
        "when the intake record was completed (a history); otherwise it is complete at intake when it has what the settings require (recordRequires), or when a later change completes it",
    }),
  ),
  milestones: Schema.optionalKey(Schema.Array(Milestone).check(Schema.isMaxLength(50))),
}).annotate({ identifier: "CreateCase" })

export const CasePatch = Schema.Struct({
  subject: Schema.optionalKey(NonEmpty),
  content: Schema.optionalKey(Schema.String),
  category: Schema.optionalKey(Schema.NullOr(ShortText)),
  customerId: Schema.optionalKey(ShortText),
  milestones: Schema.optionalKey(Schema.Array(Milestone).check(Schema.isMaxLength(50))),
  expectedVersion: Schema.optionalKey(Schema.Finite.check(Schema.isInt())),
}).annotate({ identifier: "CasePatch" })

export const Transition = Schema.Struct({
  to: oneOf(Case.STATUSES),
  reason: Schema.optionalKey(Schema.String),
  resolutionCode: Schema.optionalKey(ShortText),
  /** Seconds of work done on the case (talk + hold + after-contact work), added to its handling time. */
  handleSeconds: Schema.optionalKey(
    Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 86_400 })),
  ),
}).annotate({ identifier: "CaseTransition" })
export const Reply = Schema.Struct({
  content: NonEmpty,
  direction: Schema.optionalKey(oneOf(["outbound", "inbound"] as const)),
  channel: Schema.optionalKey(oneOf(Case.CHANNELS)),
  /** Who took part (e.g. the people on a call or in the thread besides the agent). */
  participants: Schema.optionalKey(Schema.Array(NonEmptyShort).check(Schema.isMaxLength(20))),
}).annotate({ identifier: "CaseReply" })
export const Note = Schema.Struct({ content: NonEmpty }).annotate({ identifier: "CaseNote" })
export const Assign = Schema.Struct({
  ownerId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  team: Schema.optionalKey(ShortText),
  /** A supervisor's override of the eligibility gate (certification): the reason is audited. */
  override: Schema.optionalKey(Schema.Struct({ reason: NonEmpty.check(Schema.isMaxLength(2000)) })),
}).annotate({ identifier: "CaseAssignment" })
export const CompleteFollowUp = Schema.Struct({ outcome: NonEmpty }).annotate({
  identifier: "CompleteFollowUp",
})

export const list = Schema.optionalKey(Schema.String.annotate({ description: "comma-separated values" }))
export const CaseQuery = Schema.Struct({
  status: list,
  channel: list,
  priority: list,
  type: list,
  team: list,
  sla: list,
  ownerId: Schema.optionalKey(ShortText),
  customerId: Schema.optionalKey(ShortText),
  q: Schema.optionalKey(ShortText),
  open: Schema.optionalKey(Schema.Literals(["true", "false"])),
  from: Schema.optionalKey(DateTime),
  to: Schema.optionalKey(DateTime),
  sort: Schema.optionalKey(ShortText),
  cursor: Schema.optionalKey(Schema.String),
  limit: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
}).annotate({ identifier: "CaseQuery" })

export const split = (s: string | undefined) =>
  s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined
export const toQuery = (q: typeof CaseQuery.Type): Cases.CaseQuery => ({
  status: split(q.status),
  channel: split(q.channel),
  priority: split(q.priority),
  type: split(q.type),
  team: split(q.team),
  sla: split(q.sla),
  ownerId: q.ownerId,
  customerId: q.customerId,
  q: q.q,
  open: q.open === "true" ? true : undefined,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
  sort: q.sort,
  cursor: q.cursor,
  limit: q.limit,
})

export const CalendarInput = Schema.Struct({ name: NonEmptyShort, spec: Schema.Unknown }).annotate({
  identifier: "CalendarInput",
})
export const CalendarPatch = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
  spec: Schema.optionalKey(Schema.Unknown),
}).annotate({ identifier: "CalendarPatch" })
export const Preview = Schema.Struct({
  calendarId: Schema.optionalKey(ShortText),
  spec: Schema.optionalKey(Schema.Unknown),
  from: Schema.optionalKey(DateTime),
  seconds: Schema.Finite.check(Schema.isInt()),
}).annotate({ identifier: "CalendarPreview" })

export const Seconds = Schema.Finite.check(Schema.isInt(), Schema.isGreaterThan(0))
export const PolicyDefinition = Schema.Struct({
  conditions: Schema.Struct({
    type: Schema.optionalKey(Schema.Array(ShortText)),
    channel: Schema.optionalKey(Schema.Array(ShortText)),
    segment: Schema.optionalKey(Schema.Array(ShortText)),
    priority: Schema.optionalKey(Schema.Array(ShortText)),
    category: Schema.optionalKey(Schema.Array(ShortText)),
    team: Schema.optionalKey(Schema.Array(ShortText)),
    tier: Schema.optionalKey(Schema.Array(ShortText)),
  }),
  calendarId: NonEmptyShort,
  targets: Schema.Struct({
    first_response: Schema.optionalKey(Seconds),
    initial_record: Schema.optionalKey(Seconds),
    next_reply: Schema.optionalKey(Seconds),
    resolution: Schema.optionalKey(Seconds),
    follow_up: Schema.optionalKey(Seconds),
  }),
  pauseStatuses: Schema.Array(oneOf(Case.STATUSES)),
  warnAt: Schema.Finite,
  escalations: Schema.Array(
    Schema.Struct({
      afterSeconds: Schema.Finite.check(Schema.isInt()),
      action: oneOf(["notify", "reassign", "raise_tier"] as const),
      team: Schema.optionalKey(ShortText),
      notify: Schema.optionalKey(
        Schema.Array(oneOf(["owner", "team_leader", ...Tenancy.ROLES] as const)).annotate({
          description: "Who the step tells: owner, team_leader or roles (default: owner and team_leader)",
        }),
      ),
    }),
  ),
}).annotate({ identifier: "SlaPolicyDefinition" })
export const PolicyInput = Schema.Struct({
  name: NonEmptyShort,
  definition: PolicyDefinition,
  position: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "SlaPolicyInput" })
export const PolicyPatch = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
  definition: Schema.optionalKey(PolicyDefinition),
  active: Schema.optionalKey(Schema.Boolean),
  position: Schema.optionalKey(Schema.Finite),
  expectedVersion: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "SlaPolicyPatch" })
export const PolicyPreview = Schema.Struct({
  type: NonEmptyShort,
  channel: NonEmptyShort,
  segment: Schema.optionalKey(ShortText),
  priority: Schema.optionalKey(ShortText),
  category: Schema.optionalKey(ShortText),
  team: Schema.optionalKey(ShortText),
  tier: Schema.optionalKey(ShortText),
  receivedAt: Schema.optionalKey(DateTime),
}).annotate({ identifier: "SlaPolicyPreview" })

export const SettingsPatch = Schema.Struct({
  priorityMatrix: Schema.optionalKey(Schema.Record(Schema.String, Schema.Record(ShortText, ShortText))),
  reopenWindowDays: Schema.optionalKey(Schema.Finite),
  repeatWindowDays: Schema.optionalKey(Schema.Finite),
  defaultPolicyId: Schema.optionalKey(NonEmptyShort),
  recordRequires: Schema.optionalKey(Schema.Array(oneOf(Case.RECORD_FIELDS))),
  returnVisit: Schema.optionalKey(
    Schema.Struct({ afterDays: Schema.Finite, everyDays: Schema.Finite, times: Schema.Finite }),
  ),
}).annotate({ identifier: "ProcessSettingsPatch" })

export const VocabularyInput = Schema.Struct({
  kind: oneOf(Case.VOCABULARY_KINDS),
  code: NonEmptyShort,
  labelZh: NonEmptyShort,
  labelEn: NonEmptyShort,
  active: Schema.optionalKey(Schema.Boolean),
  position: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "VocabularyInput" })

export const CustomerPatch = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
  externalId: Schema.optionalKey(ShortText),
  segment: Schema.optionalKey(oneOf(Case.SEGMENTS)),
  valueTier: Schema.optionalKey(ShortText),
  contactFrequency: Schema.optionalKey(ShortText),
  needPriority: Schema.optionalKey(ShortText),
  contacts: Schema.optionalKey(Schema.Array(Schema.Struct({ channel: Schema.String, value: Schema.String }))),
  dedicatedTeam: Schema.optionalKey(ShortText),
}).annotate({ identifier: "CustomerPatch" })

export const CustomerQuery = Schema.Struct({
  q: Schema.optionalKey(ShortText),
  segment: Schema.optionalKey(ShortText),
  cursor: Schema.optionalKey(Schema.String),
  limit: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
})

export const MetricQuery = Schema.Struct({
  from: DateTime,
  to: DateTime,
  bucket: Schema.optionalKey(oneOf(["day", "week", "month", "none"] as const)),
  groupBy: Schema.optionalKey(ShortText),
  timeZone: Schema.optionalKey(TimeZone),
  filter: Schema.optionalKey(
    Schema.String.annotate({ description: "dimension:value pairs, comma-separated, e.g. channel:chat" }),
  ),
})

export const ensure = async (c: { get: (k: "db") => Db.Database }, orgId: string) =>
  Config.ensureDefaults(c.get("db"), Tenancy.system(orgId, "process"))

export const ViewBody = Schema.Struct({
  name: NonEmptyShort,
  query: Schema.Record(ShortText, ShortText),
}).annotate({ identifier: "SavedView" })

/** A saved view's query (as the queue sends it) as the case query it stands for; invalid fields are refused. */
export const caseQueryOf = (raw: unknown): Cases.CaseQuery => {
  const { limit: _all, cursor: _c, ...filters } = decodeQuery(CaseQuery, raw)
  return toQuery(filters)
}
