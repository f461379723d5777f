/**
 * Personal data in feedback sealed at rest (core's `Encryption`): the free-text answers of a
 * survey response (`answers.why`, `comment`) and the details a customer gave with a suggestion,
 * praise or complaint (`item.details`). Sensitive numbers are redacted before sealing (PR-08).
 * `encryptedTables` is what the re-encryption pass visits.
 * @since 0.6.0
 */
import { Encryption, Redaction } from "@tenet/core"
import { sql } from "kysely"

type Cipher = Encryption.FieldCipher

/** The field names bound into each sealed value. @category models @since 0.6.0 */
export const FIELDS = {
  comment: "response.comment",
  why: "response.answers.why",
  details: "item.details",
} as const

/** Free text as stored: redacted, then sealed. @category constructors @since 0.6.0 */
export const sealText = (cipher: Cipher, field: string, text: string): string =>
  cipher.seal(field, Redaction.redact(text).text)

interface AnswersWithWhy {
  readonly why?: Readonly<Record<string, unknown>>
}

/** A response's answers with each free-text `why` sealed (or opened, or re-sealed). */
const mapWhy = <A>(answers: A, f: (text: string) => string): A => {
  const why = (answers as AnswersWithWhy | null)?.why
  if (!why || typeof why !== "object") return answers
  return {
    ...answers,
    why: Object.fromEntries(Object.entries(why).map(([k, v]) => [k, typeof v === "string" ? f(v) : v])),
  }
}

/** Answers as stored. @category constructors @since 0.6.0 */
export const sealAnswers = <A>(cipher: Cipher, answers: A): A =>
  mapWhy(answers, (t) => sealText(cipher, FIELDS.why, t))

/** Answers as read. @category constructors @since 0.6.0 */
export const openAnswers = <A>(cipher: Cipher, answers: A): A =>
  mapWhy(answers, (t) => cipher.open(FIELDS.why, t))

const stale = (column: string, v: number) =>
  sql`(${sql.ref(column)} is not null and ${sql.ref(column)} <> '' and ${sql.ref(column)} not like ${`${Encryption.PREFIX}${v}:%`})`

/** The feedback tables with personal fields. @category models @since 0.6.0 */
export const encryptedTables: ReadonlyArray<Encryption.EncryptedTable> = [
  {
    table: "feedback.response",
    key: ["id"],
    columns: ["comment", "answers"],
    pending: (v) => sql`(${stale("comment", v)} or answers ? 'why')`,
    reseal: (row, c) => {
      const out: Record<string, unknown> = {}
      const comment = Encryption.resealText(c, FIELDS.comment, row.comment)
      if (comment !== undefined) out.comment = comment
      const why = (row.answers as AnswersWithWhy | null)?.why
      if (why && Object.values(why).some((t) => typeof t === "string" && !c.isCurrent(t)))
        out.answers = JSON.stringify(mapWhy(row.answers, (t) => c.seal(FIELDS.why, c.open(FIELDS.why, t))))
      return Object.keys(out).length ? out : null
    },
  },
  {
    table: "feedback.item",
    key: ["id"],
    columns: ["details"],
    pending: (v) => stale("details", v),
    reseal: (row, c) => {
      if (row.details === "") return null
      const v = Encryption.resealText(c, FIELDS.details, row.details)
      return v === undefined ? null : { details: v }
    },
  },
]
