/** The workforce routes' bodies and queries (Effect Schema: the runtime check, the type and the OpenAPI document). */
import { Schema } from "effect"
import { DateTime, NonEmptyShort, ShortText } from "../schemas"

const between = (minimum: number, maximum: number) =>
  Schema.NumberFromString.check(Schema.isBetween({ minimum, maximum }))
const wholeBetween = (minimum: number, maximum: number) =>
  Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum, maximum }))
const Interval = Schema.Literals(["15", "30", "60"]).annotate({ message: "must be one of: 15, 30, 60" })

export const PlanQuery = Schema.Struct({
  intervalMinutes: Schema.optionalKey(Interval),
  horizonDays: Schema.optionalKey(wholeBetween(1, 28)),
  historyDays: Schema.optionalKey(wholeBetween(14, 180)),
  channel: Schema.optionalKey(ShortText),
  team: Schema.optionalKey(ShortText),
  targetLevel: Schema.optionalKey(between(0.01, 0.99)),
  targetSeconds: Schema.optionalKey(wholeBetween(0, 7 * 86_400)),
  ahtFactor: Schema.optionalKey(between(0.1, 10)),
  shrinkage: Schema.optionalKey(between(0, 0.95)),
  volumeChange: Schema.optionalKey(between(-0.9, 10)),
}).annotate({ identifier: "WorkforcePlanQuery" })

export const QueueBody = Schema.Struct({
  channel: NonEmptyShort,
  team: ShortText,
  model: Schema.Literals(["erlang_c", "erlang_a", "chat", "deferred"]).annotate({
    message: "must be one of: erlang_c, erlang_a, chat, deferred",
  }),
  targetLevel: Schema.Finite.check(Schema.isBetween({ minimum: 0.01, maximum: 0.99 })),
  targetSeconds: Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: 7 * 86_400 })),
  ahtSeconds: Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 86_400 })),
  patienceSeconds: Schema.NullOr(
    Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 86_400 })),
  ),
  concurrency: Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 20 })),
  shrinkage: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 0.95 })),
  surgeThreshold: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 10 })),
}).annotate({ identifier: "WorkforceQueue" })

export const AccuracyQuery = Schema.Struct({
  from: DateTime,
  to: DateTime,
  intervalMinutes: Schema.optionalKey(Interval),
  channel: Schema.optionalKey(ShortText),
  team: Schema.optionalKey(ShortText),
  /** "queues" (default): each queue's intervals; "total": the intervals summed over the queues. */
  detail: Schema.optionalKey(
    Schema.Literals(["queues", "total"]).annotate({ message: "must be one of: queues, total" }),
  ),
}).annotate({ identifier: "WorkforceAccuracyQuery" })

export const SurgeCheckBody = Schema.Struct({
  lookaheadHours: Schema.optionalKey(
    Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 336 })),
  ),
}).annotate({ identifier: "WorkforceSurgeCheck" })

const Time = Schema.String.check(
  Schema.isPattern(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { message: "must be a time HH:MM" }),
)
const LocalDate = Schema.String.check(
  Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date YYYY-MM-DD" }),
)
export const ShiftBody = Schema.Struct({
  id: Schema.optionalKey(NonEmptyShort),
  teamId: NonEmptyShort,
  userId: NonEmptyShort,
  weekdays: Schema.Array(
    Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: 6 })),
  ).check(Schema.isMinLength(1, { message: "must not be empty" }), Schema.isMaxLength(7)),
  startTime: Time,
  endTime: Time,
  validFrom: LocalDate,
  validTo: Schema.optionalKey(Schema.NullOr(LocalDate)),
  offOnHolidays: Schema.optionalKey(Schema.Boolean),
}).annotate({ identifier: "WorkforceShift" })
export const ShiftQuery = Schema.Struct({ teamId: Schema.optionalKey(ShortText) })
