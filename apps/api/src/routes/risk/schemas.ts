/** The risk routes' bodies and queries (Effect Schema: the runtime check, the type and the OpenAPI document). */
import { Severity, TREATMENT_OPTIONS } from "@tenet/risk"
import { Schema } from "effect"
import { DateTime, NonEmpty, NonEmptyShort, ShortText } from "../schemas"

const Level = Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 5 }))
const Count = Schema.Finite.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0))
const Text = NonEmpty.check(Schema.isMaxLength(4000))
const Cell = Schema.Struct({ likelihood: Level, impact: Level })
const Control = Schema.Struct({
  title: NonEmptyShort,
  effectiveness: Schema.optionalKey(Schema.Literals(["weak", "adequate", "strong"])),
})

export const LibraryBody = Schema.Struct({
  format: Schema.Literals(["json", "yaml"]).annotate({ message: "must be json or yaml" }),
  text: NonEmpty,
}).annotate({ identifier: "RiskLibraryImport" })
export const RiskQuery = Schema.Struct({
  status: Schema.optionalKey(Schema.Literals(["open", "treating", "accepted", "closed"])),
  categoryId: Schema.optionalKey(ShortText),
})
export const RiskBody = Schema.Struct({
  title: NonEmptyShort,
  categoryId: NonEmptyShort,
  cause: Text,
  event: Text,
  consequence: Text,
  ownerId: NonEmptyShort,
  matrixId: Schema.optionalKey(NonEmptyShort),
  inherent: Cell,
  residual: Schema.optionalKey(Cell),
  controls: Schema.optionalKey(Schema.Array(Control)),
  reviewCadenceDays: Schema.optionalKey(
    Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 730 })),
  ),
  rationale: Schema.optionalKey(Text),
}).annotate({ identifier: "RiskCreate" })
export const RiskPatch = Schema.Struct({
  status: Schema.optionalKey(Schema.Literals(["open", "treating", "accepted", "closed"])),
  ownerId: Schema.optionalKey(NonEmptyShort),
  controls: Schema.optionalKey(Schema.Array(Control)),
  reviewCadenceDays: Schema.optionalKey(
    Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 730 })),
  ),
}).annotate({ identifier: "RiskUpdate" })
export const RatingBody = Schema.Struct({
  kind: Schema.Literals(["inherent", "residual"]),
  likelihood: Level,
  impact: Level,
  rationale: Text,
}).annotate({ identifier: "RiskRating" })
export const RoundBody = Schema.Struct({ title: NonEmptyShort }).annotate({ identifier: "RiskRound" })
export const RoundRatingBody = Schema.Struct({
  riskId: NonEmptyShort,
  kind: Schema.optionalKey(Schema.Literals(["inherent", "residual"])),
  likelihood: Level,
  impact: Level,
  rationale: Text,
}).annotate({ identifier: "RiskRoundRating" })
export const KriBody = Schema.Struct({
  riskId: NonEmptyShort,
  name: NonEmptyShort,
  metricId: NonEmptyShort,
  filter: Schema.optionalKey(Schema.Record(Schema.String, ShortText)),
  windowDays: Schema.optionalKey(
    Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 366 })),
  ),
  direction: Schema.Literals(["above", "below"]),
  amber: Schema.Finite,
  red: Schema.Finite,
  mode: Schema.optionalKey(Schema.Literals(["suggest", "automatic"])),
  cycleWorkflowId: Schema.optionalKey(NonEmptyShort),
}).annotate({ identifier: "KriCreate" })
export const KriPatch = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
  windowDays: Schema.optionalKey(
    Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 366 })),
  ),
  direction: Schema.optionalKey(Schema.Literals(["above", "below"])),
  amber: Schema.optionalKey(Schema.Finite),
  red: Schema.optionalKey(Schema.Finite),
  mode: Schema.optionalKey(Schema.Literals(["suggest", "automatic"])),
  cycleWorkflowId: Schema.optionalKey(Schema.NullOr(NonEmptyShort)),
}).annotate({ identifier: "KriUpdate" })
export const DecisionBody = Schema.Struct({ decision: Schema.Literals(["applied", "dismissed"]) }).annotate({
  identifier: "KriSuggestionDecision",
})
export const TreatmentBody = Schema.Struct({
  riskId: NonEmptyShort,
  option: Schema.Literals(TREATMENT_OPTIONS),
  title: NonEmptyShort,
  ownerId: NonEmptyShort,
  dueAt: DateTime,
}).annotate({ identifier: "RiskTreatment" })
export const TreatmentPatch = Schema.Struct({
  option: Schema.optionalKey(Schema.Literals(TREATMENT_OPTIONS)),
  title: Schema.optionalKey(NonEmptyShort),
  ownerId: Schema.optionalKey(NonEmptyShort),
  dueAt: Schema.optionalKey(DateTime),
  status: Schema.optionalKey(Schema.Literals(["planned", "in_progress", "done", "cancelled"])),
}).annotate({ identifier: "RiskTreatmentUpdate" })
export const TreatmentStatusBody = Schema.Struct({
  status: Schema.Literals(["planned", "in_progress", "done", "cancelled"]),
}).annotate({ identifier: "RiskTreatmentStatus" })
export const AcceptanceBody = Schema.Struct({
  riskId: NonEmptyShort,
  rationale: Text,
  expiresAt: DateTime,
}).annotate({
  identifier: "RiskAcceptance",
})
export const AcceptanceStepBody = Schema.Struct({
  action: Schema.Literals(["submit", "accept", "reject"]),
  note: Schema.optionalKey(Text),
}).annotate({ identifier: "RiskAcceptanceStep" })
const Localized = Schema.Struct({ "zh-CN": NonEmptyShort, en: NonEmptyShort })
const PlanFields = {
  title: NonEmptyShort,
  scenario: Schema.Literals([
    "system_failure",
    "service_interruption",
    "demand_surge",
    "urgent_customer_need",
    "other",
  ]),
  triggers: Schema.Array(
    Schema.Struct({
      kind: Schema.Literals(["manual", "kri"]),
      description: Text,
      kriId: Schema.optionalKey(NonEmptyShort),
      tier: Schema.optionalKey(NonEmptyShort),
    }),
  ),
  tiers: Schema.Array(
    Schema.Struct({
      id: NonEmptyShort,
      name: Localized,
      criteria: Schema.String.check(Schema.isMaxLength(4000)),
    }),
  ),
  steps: Schema.Array(
    Schema.Struct({
      id: NonEmptyShort,
      title: NonEmptyShort,
      role: NonEmptyShort,
      limitMinutes: Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 100_000 })),
      tiers: Schema.optionalKey(Schema.Array(NonEmptyShort)),
    }),
  ),
  channels: Schema.Array(Schema.Struct({ channel: NonEmptyShort, instead: NonEmptyShort, how: Text })),
  contacts: Schema.Array(
    Schema.Struct({
      name: NonEmptyShort,
      role: NonEmptyShort,
      phone: Schema.optionalKey(ShortText),
      email: Schema.optionalKey(ShortText),
    }),
  ),
}
export const PlanBody = Schema.Struct(PlanFields).annotate({ identifier: "RiskPlan" })
/** A plan's edit: any of its parts, each replaced as a whole. */
export const PlanPatch = Schema.Struct({
  title: Schema.optionalKey(PlanFields.title),
  scenario: Schema.optionalKey(PlanFields.scenario),
  triggers: Schema.optionalKey(PlanFields.triggers),
  tiers: Schema.optionalKey(PlanFields.tiers),
  steps: Schema.optionalKey(PlanFields.steps),
  channels: Schema.optionalKey(PlanFields.channels),
  contacts: Schema.optionalKey(PlanFields.contacts),
}).annotate({ identifier: "RiskPlanUpdate" })
export const ActivateBody = Schema.Struct({
  tier: NonEmptyShort,
  reason: Text,
  startedAt: Schema.optionalKey(DateTime),
}).annotate({ identifier: "RiskActivate" })
export const EntryBody = Schema.Struct({
  note: Text,
  happenedAt: Schema.optionalKey(DateTime),
  stepId: Schema.optionalKey(NonEmptyShort),
}).annotate({ identifier: "RiskActivationEntry" })
export const CloseBody = Schema.Struct({
  review: Schema.Struct({
    summary: Text,
    whatWorked: Schema.String.check(Schema.isMaxLength(4000)),
    whatFailed: Schema.String.check(Schema.isMaxLength(4000)),
    actions: Schema.Array(NonEmptyShort),
  }),
  cycleWorkflowId: Schema.optionalKey(NonEmptyShort),
  closedAt: Schema.optionalKey(DateTime),
}).annotate({ identifier: "RiskActivationClose" })
export const ExerciseBody = Schema.Struct({
  kind: Schema.Literals(["tabletop", "walkthrough", "simulation", "full"]),
  heldAt: DateTime,
  participants: Schema.Array(NonEmptyShort),
  findings: Schema.Array(
    Schema.Struct({
      text: Text,
      followUp: Schema.optionalKey(ShortText),
      ownerId: Schema.optionalKey(NonEmptyShort),
      due: Schema.optionalKey(DateTime),
      done: Schema.optionalKey(Schema.Boolean),
    }),
  ),
}).annotate({ identifier: "RiskExercise" })
export const FollowUpBody = Schema.Struct({
  finding: Count,
  done: Schema.Boolean,
}).annotate({ identifier: "RiskExerciseFollowUp" })
export const IncidentBody = Schema.Struct({
  title: NonEmptyShort,
  kind: Schema.Literals(["service", "data_security"]),
  startedAt: DateTime,
  detectedAt: DateTime,
  affectedCustomers: Count,
  affectedCases: Schema.optionalKey(Schema.Array(NonEmptyShort).check(Schema.isMaxLength(500))),
  dataCategories: Schema.optionalKey(Schema.Array(Schema.Literals(Severity.DATA_CATEGORIES))),
  durationMinutes: Schema.optionalKey(Count),
  regimes: Schema.optionalKey(Schema.Array(Schema.Literals(Severity.REGIMES))),
  criticalInfrastructure: Schema.optionalKey(Schema.Boolean),
}).annotate({ identifier: "RiskIncident" })
export const IncidentPatch = Schema.Struct({
  containedAt: Schema.optionalKey(DateTime),
  resolvedAt: Schema.optionalKey(DateTime),
  lessons: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(4000))),
  affectedCases: Schema.optionalKey(Schema.Array(NonEmptyShort).check(Schema.isMaxLength(500))),
}).annotate({ identifier: "RiskIncidentUpdate" })
export const NoticeBody = Schema.Struct({
  regime: Schema.Literals(Severity.REGIMES),
  notice: Schema.Literals(["initial", "summary", "authority"]),
  sentAt: Schema.optionalKey(DateTime),
}).annotate({ identifier: "RiskIncidentNotice" })
export const DraftNoticeBody = Schema.Struct({
  regime: Schema.Literals(Severity.REGIMES),
  notice: Schema.Literals(["initial", "summary", "authority"]),
  cause: Text,
  harm: Text,
  remedies: Text,
  advice: Text,
  contact: NonEmptyShort,
}).annotate({ identifier: "RiskIncidentNoticeDraft" })
export const SeverityBody = Schema.Struct({
  affectedCustomers: Count,
  dataCategories: Schema.Array(Schema.Literals(Severity.DATA_CATEGORIES)),
  durationMinutes: Count,
}).annotate({ identifier: "RiskSeverityInputs" })
