/** The feedback routes' bodies and queries (Effect Schema: the type, the runtime check and the OpenAPI). */
import { Survey } from "@tenet/feedback"
import { Schema } from "effect"
import { DateTime, Locale, NonEmptyShort, ShortText } from "../schemas"

const oneOf = <const L extends ReadonlyArray<string>>(values: L) =>
  Schema.Literals(values).annotate({ message: `must be one of: ${values.join(", ")}` })

const Text = Schema.String.check(Schema.isMaxLength(500))
const Localized = Schema.Struct({ "zh-CN": Text, en: Text })
const Int = Schema.Finite.check(Schema.isInt())

const Question = Schema.Struct({
  id: ShortText,
  type: oneOf(Survey.QUESTION_TYPES),
  text: Localized,
  required: Schema.optionalKey(Schema.Boolean),
  scale: Schema.optionalKey(
    Schema.Struct({
      min: Int,
      max: Int,
      low: Schema.optionalKey(Localized),
      high: Schema.optionalKey(Localized),
    }),
  ),
  options: Schema.optionalKey(Schema.Array(Schema.Struct({ id: ShortText, text: Localized }))),
  dimension: Schema.optionalKey(oneOf(Survey.DIMENSIONS)),
  followUp: Schema.optionalKey(Schema.Struct({ atOrBelow: Int, text: Localized })),
})

export const Definition = Schema.Struct({
  kind: oneOf(Survey.KINDS),
  title: Localized,
  intro: Schema.optionalKey(Localized),
  thanks: Schema.optionalKey(Localized),
  questions: Schema.Array(Question),
}).annotate({ identifier: "SurveyDefinition" })

export const SurveyBody = Schema.Struct({ name: NonEmptyShort, definition: Definition }).annotate({
  identifier: "SurveyCreate",
})
export const SurveyUpdateBody = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
  definition: Definition,
}).annotate({ identifier: "SurveyUpdate" })

const Names = Schema.Array(ShortText)
export const RuleBody = Schema.Struct({
  name: NonEmptyShort,
  surveyId: NonEmptyShort,
  enabled: Schema.optionalKey(Schema.Boolean),
  position: Schema.optionalKey(Int.check(Schema.isBetween({ minimum: 0, maximum: 1000 }))),
  delayMinutes: Schema.optionalKey(Int.check(Schema.isBetween({ minimum: 0, maximum: 10_080 }))),
  withinHours: Schema.optionalKey(Int.check(Schema.isBetween({ minimum: 1, maximum: 720 }))),
  expiryDays: Schema.optionalKey(Int.check(Schema.isBetween({ minimum: 1, maximum: 90 }))),
  caseTypes: Schema.optionalKey(Names),
  channels: Schema.optionalKey(Names),
  segments: Schema.optionalKey(Names),
  teams: Schema.optionalKey(Names),
  sampleRate: Schema.optionalKey(Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))),
  capDays: Schema.optionalKey(Int.check(Schema.isBetween({ minimum: 0, maximum: 365 }))),
  quietHours: Schema.optionalKey(Schema.Boolean),
}).annotate({ identifier: "SurveyDispatchRule" })

export const LinkBody = Schema.Struct({
  surveyId: NonEmptyShort,
  locale: Locale,
  caseId: Schema.optionalKey(ShortText),
  customerKey: Schema.optionalKey(ShortText),
  channel: Schema.optionalKey(ShortText),
  expiryDays: Schema.optionalKey(Int.check(Schema.isBetween({ minimum: 1, maximum: 90 }))),
}).annotate({ identifier: "SurveyLinkCreate" })

export const OptOutBody = Schema.Struct({ customerKey: NonEmptyShort }).annotate({
  identifier: "SurveyOptOut",
})

const Limit = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 1000 }))
export const ResponsesQuery = Schema.Struct({
  surveyId: Schema.optionalKey(ShortText),
  caseId: Schema.optionalKey(ShortText),
  agentId: Schema.optionalKey(ShortText),
  sentiment: Schema.optionalKey(oneOf(["positive", "neutral", "negative"] as const)),
  from: Schema.optionalKey(DateTime),
  to: Schema.optionalKey(DateTime),
  afterAt: Schema.optionalKey(DateTime),
  afterId: Schema.optionalKey(ShortText),
  limit: Schema.optionalKey(Limit),
})

export const ResultsQuery = Schema.Struct({
  kind: oneOf(["csat", "nps", "ces"] as const),
  from: DateTime,
  to: DateTime,
  surveyId: Schema.optionalKey(ShortText),
  channel: Schema.optionalKey(ShortText),
  segment: Schema.optionalKey(ShortText),
  team: Schema.optionalKey(ShortText),
  agentId: Schema.optionalKey(ShortText),
  minN: Schema.optionalKey(
    Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 10_000 })),
  ),
})

const Answer = Schema.Union([
  Schema.Finite,
  Schema.String.check(Schema.isMaxLength(2000)),
  Schema.Array(ShortText),
])
export const RespondBody = Schema.Struct({
  answers: Schema.Struct({
    values: Schema.Record(ShortText, Answer),
    why: Schema.optionalKey(Schema.Record(ShortText, Schema.String.check(Schema.isMaxLength(2000)))),
  }),
  locale: Schema.optionalKey(Locale),
  optOut: Schema.optionalKey(Schema.Boolean),
}).annotate({ identifier: "SurveyResponse" })

export const PageQuery = Schema.Struct({ lang: Schema.optionalKey(Locale) })

const Kind = oneOf(["suggestion", "praise", "complaint"] as const)
const Urgency = oneOf(["urgent", "normal", "non_urgent"] as const)
const LongText = Schema.String.check(Schema.isMaxLength(10_000))

export const ItemBody = Schema.Struct({
  kind: Kind,
  channel: NonEmptyShort,
  summary: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(500)),
  details: Schema.optionalKey(LongText),
  urgency: Schema.optionalKey(Urgency),
  caseId: Schema.optionalKey(ShortText),
  customerKey: Schema.optionalKey(ShortText),
  causeCode: Schema.optionalKey(ShortText),
  remedySought: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(2000))),
  receivedAt: Schema.optionalKey(DateTime),
}).annotate({ identifier: "FeedbackItemCreate" })

export const ReplyBody = Schema.Struct({
  reply: LongText,
  causeCode: Schema.optionalKey(ShortText),
}).annotate({
  identifier: "FeedbackItemReply",
})

export const StepBody = Schema.Struct({
  to: oneOf([
    "acknowledged",
    "assessed",
    "investigating",
    "response_proposed",
    "decision_communicated",
    "closed_accepted",
    "closed_escalated",
  ] as const),
  note: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(2000))),
  severity: Schema.optionalKey(oneOf(["low", "medium", "high"] as const)),
  urgency: Schema.optionalKey(Urgency),
  complexity: Schema.optionalKey(oneOf(["simple", "complex", "particularly_complex"] as const)),
  decision: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(2000))),
  remedyOffered: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(2000))),
}).annotate({ identifier: "ComplaintStep" })

export const RateBody = Schema.Struct({ score: Schema.Finite.check(Schema.isInt()) }).annotate({
  identifier: "ComplaintHandlingRating",
})

export const CauseBody = Schema.Struct({
  code: NonEmptyShort,
  name: Localized,
  parentCode: Schema.optionalKey(ShortText),
}).annotate({ identifier: "FeedbackCause" })

export const ItemsQuery = Schema.Struct({
  kind: Schema.optionalKey(Kind),
  status: Schema.optionalKey(oneOf(["open", "replied", "closed"] as const)),
  beforeAt: Schema.optionalKey(DateTime),
  beforeId: Schema.optionalKey(ShortText),
  limit: Schema.optionalKey(Limit),
})

export const ParetoQuery = Schema.Struct({ from: DateTime, to: DateTime, kind: Schema.optionalKey(Kind) })

export const ImprovementSettingBody = Schema.Struct({
  enabled: Schema.Boolean,
  workflowId: NonEmptyShort,
  causeThreshold: Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000 })).annotate({
    message: "must be a whole number from 1 to 10,000",
  }),
  windowDays: Int.check(Schema.isBetween({ minimum: 1, maximum: 365 })).annotate({
    message: "must be a whole number of days from 1 to 365",
  }),
}).annotate({ identifier: "FeedbackImprovementSetting" })
