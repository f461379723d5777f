/** The culture endpoints' shared schemas. */
import { Schema } from "effect"
import { NonEmptyShort, ShortText } from "../schemas"

export const oneOf = <const L extends ReadonlyArray<string>>(values: L) =>
  Schema.Literals(values).annotate({ message: `must be one of: ${values.join(", ")}` })

/** A name or title in both languages. */
export const Text2 = Schema.Struct({ "zh-CN": NonEmptyShort, en: NonEmptyShort })
/** A local date, YYYY-MM-DD. */
export const Day = Schema.String.check(
  Schema.isPattern(/^(19|[2-9]\d)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: "must be a date YYYY-MM-DD",
  }),
)
/** A key chosen by the organisation (course, certification, framework ids). */
export const Key = Schema.String.check(
  Schema.isPattern(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
    message: "must be lowercase letters, digits, _ and - (at most 64)",
  }),
)
export const Score = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 100 }))
export const Int = (minimum: number, maximum: number) =>
  Schema.Finite.check(Schema.isInt(), Schema.isBetween({ minimum, maximum }))
export const Ids = Schema.Array(ShortText).check(Schema.isMaxLength(200))
export const LongText = Schema.String.check(Schema.isMaxLength(50_000))
