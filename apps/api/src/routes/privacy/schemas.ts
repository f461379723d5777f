/** The privacy routes' bodies and queries (Effect Schema: the runtime check, the type and the OpenAPI document). */
import { Schema } from "effect"
import { DateTime, Locale, NonEmpty, NonEmptyShort, ShortText } from "../schemas"

const Days = Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: 36_500 }))
const Text = NonEmpty.check(Schema.isMaxLength(4000, { message: "must be at most 4000 characters" }))

export const PolicyBody = Schema.Struct({
  minDays: Days,
  maxDays: Schema.NullOr(Days),
}).annotate({ identifier: "PrivacyPolicy" })

export const SettingsBody = Schema.Struct({
  requestDays: Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 365 })),
  reminderDays: Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: 60 })),
  /** The business calendar the clock counts on; null: the organisation's service calendar (calendar days without one). */
  calendarId: Schema.optionalKey(Schema.NullOr(NonEmptyShort)),
}).annotate({ identifier: "PrivacySettings" })

export const PurgeBody = Schema.Struct({
  classIds: Schema.optionalKey(Schema.Array(NonEmptyShort).check(Schema.isMaxLength(100))),
}).annotate({ identifier: "PrivacyPurge" })

export const HoldBody = Schema.Struct({
  scope: Schema.Literals(["customer", "case", "class"]).annotate({
    message: "must be one of: customer, case, class",
  }),
  target: NonEmptyShort,
  reason: Text,
}).annotate({ identifier: "PrivacyHold" })

export const HoldQuery = Schema.Struct({ active: Schema.optionalKey(Schema.Literals(["true", "false"])) })

/**
 * Corrections by key: a customer field (`phone`) or a record field with its record
 * (`feedbackDetails@fbi_…`), whose corrected text may be as long as what the customer wrote.
 */
const Corrections = Schema.Record(
  ShortText,
  Schema.String.check(Schema.isMaxLength(10_000, { message: "must be at most 10000 characters" })),
)

export const RequestBody = Schema.Struct({
  customerId: NonEmptyShort,
  kind: Schema.Literals(["access", "correction", "deletion", "restriction"]).annotate({
    message: "must be one of: access, correction, deletion, restriction",
  }),
  locale: Locale,
  channel: NonEmptyShort,
  details: Schema.optionalKey(
    Schema.String.check(Schema.isMaxLength(4000, { message: "must be at most 4000 characters" })),
  ),
  corrections: Schema.optionalKey(Corrections),
  receivedAt: Schema.optionalKey(DateTime),
}).annotate({ identifier: "PrivacyRequestCreate" })

export const RequestQuery = Schema.Struct({
  open: Schema.optionalKey(Schema.Literals(["true", "false"])),
  customerId: Schema.optionalKey(ShortText),
})

export const VerifyBody = Schema.Struct({ method: Text }).annotate({ identifier: "PrivacyRequestVerify" })
export const RefuseBody = Schema.Struct({ reason: Text }).annotate({ identifier: "PrivacyRequestRefuse" })
export const FulfilBody = Schema.Struct({
  /** For corrections: values to apply besides (or instead of) those recorded with the request, by field. */
  corrections: Schema.optionalKey(Corrections),
}).annotate({ identifier: "PrivacyRequestFulfil" })

export const ExportQuery = Schema.Struct({
  format: Schema.optionalKey(
    Schema.Literals(["json", "html"]).annotate({ message: "must be one of: json, html" }),
  ),
})

export const ConsentBody = Schema.Struct({
  channel: Schema.Literals(["service", "survey", "marketing"]).annotate({
    message: "must be one of: service, survey, marketing",
  }),
  granted: Schema.Boolean,
  noticeVersion: NonEmptyShort,
  source: NonEmptyShort,
}).annotate({ identifier: "PrivacyConsent" })
