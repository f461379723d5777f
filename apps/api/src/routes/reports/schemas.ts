// The report routes' bodies and queries: compliance schedules, reviews, report schedules, the public report.
import { Cadence } from "@tenet/standards"
import { Schema } from "effect"
import * as Public from "../../reports/public"
import * as Reports from "../../reports/service"
import { DateTime, Email, Locale, NonEmptyShort, ShortText, TimeZone } from "../schemas"

const oneOf = <const T extends ReadonlyArray<string>>(values: T) =>
  Schema.Literals(values).annotate({ message: `must be one of: ${values.join(", ")}` })
const LocalTime = Schema.String.check(
  Schema.isPattern(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a local time HH:MM" }),
)
const Int = Schema.Finite.check(Schema.isInt({ message: "must be a whole number" }))
const CadenceFields = {
  frequency: oneOf(Cadence.FREQUENCIES),
  time: LocalTime,
  weekday: Schema.optionalKey(Schema.NullOr(Int)),
  monthDay: Schema.optionalKey(Schema.NullOr(Int)),
  timeZone: Schema.optionalKey(TimeZone),
  enabled: Schema.optionalKey(Schema.Boolean),
}
export const ComplianceScheduleBody = Schema.Struct(CadenceFields).annotate({
  identifier: "ComplianceSchedule",
})
export const ReportScheduleBody = Schema.Struct({
  name: NonEmptyShort,
  source: oneOf(Reports.SOURCES),
  params: Schema.optionalKey(Schema.Record(ShortText, ShortText)),
  format: oneOf(Reports.FORMATS),
  locale: Schema.optionalKey(Locale),
  recipients: Schema.optionalKey(Schema.Array(Email)),
  ...CadenceFields,
}).annotate({ identifier: "ReportSchedule" })
export const ReviewBody = Schema.Struct({
  title: NonEmptyShort,
  from: DateTime,
  to: DateTime,
  heldAt: Schema.optionalKey(DateTime),
  risks: Schema.optionalKey(Schema.Array(ShortText)),
  decisions: Schema.optionalKey(
    Schema.Array(
      Schema.Struct({
        text: NonEmptyShort,
        owner: Schema.optionalKey(ShortText),
        due: Schema.optionalKey(DateTime),
      }),
    ),
  ),
  attendees: Schema.optionalKey(Schema.Array(NonEmptyShort)),
  notes: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "ManagementReviewInput" })
export const PublicSettingsBody = Schema.Struct({
  enabled: Schema.Boolean,
  title: NonEmptyShort,
  intro: Schema.optionalKey(Schema.NullOr(Schema.String)),
  kpis: Schema.Array(ShortText),
  period: oneOf(Public.PERIODS),
  scheduleId: Schema.optionalKey(Schema.NullOr(ShortText)),
}).annotate({ identifier: "PublicReportSettings" })
export const FilesQuery = Schema.Struct({ scheduleId: Schema.optionalKey(ShortText) })
export const PublicQuery = Schema.Struct({ locale: Schema.optionalKey(Locale) })
