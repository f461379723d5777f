/**
 * The feedback module's correctors (core's `Corrections` contract, PIPL Art 46): a data-subject request
 * corrects what the customer said in one of their records — the summary, details or remedy sought of a
 * suggestion, praise or complaint (`feedback.item`), the comment of a survey response
 * (`feedback.response`). Each is a record field, named `field@recordId` in the request; a record that is
 * not the customer's is refused. Free text is redacted and sealed again as on intake, and the change is
 * recorded in the audit chain masked (the chain keeps no personal data in clear).
 *
 * @since 0.9.0
 */
import { Corrections, Encryption, Redaction } from "@tenet/core"
import type { Kysely } from "kysely"
import type { FeedbackTables } from "./migrations/schema"
import { FIELDS, sealText } from "./Privacy"

type Tx = Kysely<FeedbackTables>
const tx = (core: unknown) => core as Tx

const ITEM_FIELDS = {
  feedbackSummary: { "zh-CN": "反馈摘要", en: "Feedback summary" },
  feedbackDetails: { "zh-CN": "反馈详情（客户所述）", en: "Feedback details (the customer's words)" },
  remedySought: { "zh-CN": "客户诉求", en: "Remedy sought" },
} as const
type ItemField = keyof typeof ITEM_FIELDS

const LIMITS: Readonly<Record<ItemField | "surveyComment", { min: number; max: number }>> = {
  feedbackSummary: { min: 1, max: 500 },
  feedbackDetails: { min: 0, max: 10_000 },
  remedySought: { min: 0, max: 2000 },
  surveyComment: { min: 0, max: 10_000 },
}

/** The keys of `values` as (field, record), refusing values out of bounds. */
const parse = (values: Readonly<Record<string, string>>) =>
  Object.entries(values).map(([key, raw]) => {
    const { field, recordId } = Corrections.parseKey(key)
    const limit = LIMITS[field as keyof typeof LIMITS]
    if (!limit || !recordId) throw new Corrections.CorrectionRefused(key, `no record field ${key}`)
    const value = raw.trim()
    if (value.length < limit.min) throw new Corrections.CorrectionRefused(key, `${field} must not be empty`)
    if (value.length > limit.max)
      throw new Corrections.CorrectionRefused(key, `${field} must be at most ${limit.max} characters`)
    return { key, field, recordId, value }
  })

const notTheirs = (key: string, recordId: string) =>
  new Corrections.CorrectionRefused(key, `record ${recordId} is not this customer's`)

/** Suggestions, praise and complaints. @category constructors @since 0.9.0 */
export const itemCorrector: Corrections.Corrector = {
  module: "feedback",
  classId: "feedback.complaints",
  fields: {},
  recordFields: ITEM_FIELDS,
  records: async ({ tx: core, ctx }, customerId) => {
    const rows = await tx(core)
      .selectFrom("feedback.item")
      .select(["id", "received_at", "summary", "details", "remedy_sought"])
      .where("org_id", "=", ctx.orgId)
      .where("customer_key", "=", customerId)
      .orderBy("received_at", "desc")
      .orderBy("id")
      .limit(200)
      .execute()
    const cipher = await Encryption.cipherFor(core, ctx.orgId)
    return rows.flatMap((r) => {
      const at = new Date(r.received_at).toISOString()
      return [
        { field: "feedbackSummary", recordId: r.id, at, current: r.summary },
        { field: "feedbackDetails", recordId: r.id, at, current: cipher.open(FIELDS.details, r.details) },
        { field: "remedySought", recordId: r.id, at, current: r.remedy_sought ?? "" },
      ]
    })
  },
  apply: async ({ tx: core, ctx, audit }, customerId, values) => {
    const changes = parse(values)
    const cipher = await Encryption.refreshCipher(core, ctx.orgId)
    const changed: string[] = []
    for (const id of new Set(changes.map((c) => c.recordId))) {
      const mine = changes.filter((c) => c.recordId === id)
      const row = await tx(core)
        .selectFrom("feedback.item")
        .select(["id", "customer_key", "summary", "details", "remedy_sought"])
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst()
      if (!row || row.customer_key !== customerId) throw notTheirs(mine[0]!.key, id)
      const before = {
        feedbackSummary: row.summary,
        feedbackDetails: cipher.open(FIELDS.details, row.details),
        remedySought: row.remedy_sought ?? "",
      }
      const set: { summary?: string; details?: string; remedy_sought?: string | null } = {}
      const fields: string[] = []
      const after: Record<string, string> = {}
      for (const c of mine) {
        const value = Redaction.redact(c.value).text
        if (before[c.field as ItemField] === value) continue
        after[c.field] = Redaction.maskText(value)
        if (c.field === "feedbackSummary") set.summary = value
        if (c.field === "feedbackDetails") set.details = value ? sealText(cipher, FIELDS.details, value) : ""
        if (c.field === "remedySought") set.remedy_sought = value || null
        fields.push(c.field)
        changed.push(c.key)
      }
      if (fields.length === 0) continue
      await tx(core)
        .updateTable("feedback.item")
        .set({ ...set, updated_at: new Date() })
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", id)
        .execute()
      await audit({
        action: "feedback.corrected",
        entityType: "feedback_item",
        entityId: id,
        // the audit chain keeps no personal data in clear
        before: Object.fromEntries(fields.map((f) => [f, Redaction.maskText(before[f as ItemField])])),
        after,
      })
    }
    return changed
  },
}

/** Survey responses' comments. @category constructors @since 0.9.0 */
export const responseCorrector: Corrections.Corrector = {
  module: "feedback",
  classId: "feedback.responses",
  fields: {},
  recordFields: { surveyComment: { "zh-CN": "调查留言", en: "Survey comment" } },
  records: async ({ tx: core, ctx }, customerId) => {
    const rows = await tx(core)
      .selectFrom("feedback.response")
      .select(["id", "submitted_at", "comment"])
      .where("org_id", "=", ctx.orgId)
      .where("customer_key", "=", customerId)
      .where("comment", "is not", null)
      .orderBy("submitted_at", "desc")
      .orderBy("id")
      .limit(200)
      .execute()
    const cipher = await Encryption.cipherFor(core, ctx.orgId)
    return rows.map((r) => ({
      field: "surveyComment",
      recordId: r.id,
      at: new Date(r.submitted_at).toISOString(),
      current: cipher.openNullable(FIELDS.comment, r.comment) ?? "",
    }))
  },
  apply: async ({ tx: core, ctx, audit }, customerId, values) => {
    const changes = parse(values)
    const cipher = await Encryption.refreshCipher(core, ctx.orgId)
    const changed: string[] = []
    for (const c of changes) {
      const row = await tx(core)
        .selectFrom("feedback.response")
        .select(["id", "customer_key", "comment"])
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", c.recordId)
        .forUpdate()
        .executeTakeFirst()
      if (!row || row.customer_key !== customerId) throw notTheirs(c.key, c.recordId)
      const before = cipher.openNullable(FIELDS.comment, row.comment) ?? ""
      const value = Redaction.redact(c.value).text
      if (before === value) continue
      await tx(core)
        .updateTable("feedback.response")
        .set({ comment: value ? sealText(cipher, FIELDS.comment, value) : null })
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", c.recordId)
        .execute()
      await audit({
        action: "feedback.corrected",
        entityType: "survey_response",
        entityId: c.recordId,
        before: { surveyComment: Redaction.maskText(before) },
        after: { surveyComment: Redaction.maskText(value) },
      })
      changed.push(c.key)
    }
    return changed
  },
}

/** Both, for the API to register. @category constructors @since 0.9.0 */
export const correctors: ReadonlyArray<Corrections.Corrector> = [itemCorrector, responseCorrector]
