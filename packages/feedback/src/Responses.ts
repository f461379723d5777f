/**
 * Answering a survey through its link, and what the organisation sees of the answers. The public
 * side sees only the survey (title, questions, texts): nothing of the organisation, the case or
 * the customer. A link answers once (the invitation moves from `sent` to `answered` in the same
 * statement that checks it) and not after it expires. A negative response about a case emits
 * `feedback.response.negative`, which the API turns into a follow-up on the case (closed loop).
 *
 * @since 0.1.0
 */
import { type Db, Encryption, Errors, Id, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { FIELDS, sealAnswers, sealText } from "./Privacy"
import { markDirtyAt } from "./Rollups"
import {
  type Answers,
  checkAnswers,
  comment,
  type Definition,
  dimensionScores,
  primaryScore,
  sentiment,
} from "./Survey"
import { change, fdb, type Tx } from "./store"
import { hashToken, isToken, newToken } from "./Tokens"

/** The event a dissatisfied response about a case emits. @category models @since 0.1.0 */
export const NEGATIVE = "feedback.response.negative"

/** The payload of `feedback.response.negative`. @category models @since 0.1.0 */
export interface NegativePayload {
  readonly responseId: string
  readonly caseId: string
  readonly surveyId: string
  readonly scoreKind: "csat" | "nps" | "ces" | null
  readonly score: number | null
  readonly comment: string | null
  readonly locale: string
}

/** What a link shows. @category models @since 0.1.0 */
export type LinkView =
  | {
      readonly state: "open"
      readonly locale: "zh-CN" | "en"
      readonly definition: Definition
      readonly expiresAt: Date
    }
  | { readonly state: "answered" | "expired" | "unknown" }

const byToken = async (db: Db.Database, token: string) =>
  isToken(token)
    ? fdb(db)
        .selectFrom("feedback.invitation as i")
        .innerJoin("feedback.survey_version as v", (j) =>
          j
            .onRef("v.org_id", "=", "i.org_id")
            .onRef("v.survey_id", "=", "i.survey_id")
            .onRef("v.version", "=", "i.survey_version"),
        )
        .select(["i.org_id", "i.id", "i.status", "i.expires_at", "i.locale", "v.definition"])
        .where("i.token_hash", "=", hashToken(token))
        .executeTakeFirst()
    : undefined

/** What the public page of a token shows. @category constructors @since 0.1.0 */
export const openLink = async (db: Db.Database, token: string, now = new Date()): Promise<LinkView> => {
  const inv = await byToken(db, token)
  if (!inv) return { state: "unknown" }
  if (inv.status === "answered") return { state: "answered" }
  if (!inv.expires_at || inv.expires_at <= now) return { state: "expired" }
  return { state: "open", locale: inv.locale, definition: inv.definition, expiresAt: inv.expires_at }
}

const refused = (state: "answered" | "expired" | "unknown") =>
  state === "unknown"
    ? new Errors.NotFoundError({ entity: "survey_link", id: "token" })
    : new Errors.ConflictError({
        message:
          state === "answered" ? "this survey link has already been used" : "this survey link has expired",
        code: state === "answered" ? "surveyLinkUsed" : "surveyLinkExpired",
      })

/**
 * Answer through a link: checks the answers against the pinned version, uses the link up, stores
 * the response with its score, sentiment and dimension scores, and (when the customer asks)
 * records their opt-out. Returns the survey's thank-you text.
 * @category constructors
 * @since 0.1.0
 */
export const respond = async (
  db: Db.Database,
  token: string,
  input: {
    readonly answers: Answers
    readonly locale?: "zh-CN" | "en" | undefined
    readonly optOut?: boolean | undefined
  },
  now = new Date(),
): Promise<{ readonly responseId: string; readonly thanks: Definition["thanks"] }> => {
  const inv = await byToken(db, token)
  if (!inv) throw refused("unknown")
  const issues = checkAnswers(inv.definition, input.answers)
  if (issues.length)
    throw new Errors.ValidationError({
      message: "invalid answers",
      issues: issues.map((i) => ({ ...i, path: ["answers", ...i.path] })),
    })
  const ctx = Tenancy.system(inv.org_id, "respondent")
  const id = Id.make("fres")
  const d = inv.definition
  const result = await change(db, ctx, async ({ tx, audit, emit }) => {
    const used = await tx
      .updateTable("feedback.invitation")
      .set({ status: "answered", answered_at: now })
      .where("org_id", "=", inv.org_id)
      .where("id", "=", inv.id)
      .where("status", "=", "sent")
      .where("expires_at", ">", now)
      .returningAll()
      .executeTakeFirst()
    if (!used) return null
    // the response rate of the day it was sent, the scores of today
    await markDirtyAt(tx, inv.org_id, [used.sent_at, now])
    const score = primaryScore(d, input.answers)
    const feeling = sentiment(d, input.answers)
    const text = comment(d, input.answers)
    // the customer's free text redacted and sealed (PR-08, PR-10)
    const cipher = await Encryption.cipherFor(tx, inv.org_id)
    await tx
      .insertInto("feedback.response")
      .values({
        org_id: inv.org_id,
        id,
        invitation_id: inv.id,
        survey_id: used.survey_id,
        survey_version: used.survey_version,
        case_id: used.case_id,
        customer_key: used.customer_key,
        locale: input.locale ?? used.locale,
        answers: JSON.stringify(sealAnswers(cipher, input.answers)),
        score_kind: d.kind === "custom" ? null : d.kind,
        score,
        sentiment: feeling,
        comment: text === null ? null : sealText(cipher, FIELDS.comment, text),
        dimensions: JSON.stringify(dimensionScores(d, input.answers)),
        case_type: used.case_type,
        channel: used.channel,
        segment: used.segment,
        team: used.team,
        agent_id: used.agent_id,
        follow_up_id: null,
        follow_up_at: null,
        submitted_at: now,
      })
      .execute()
    if (input.optOut && used.customer_key) await optOutIn(tx, inv.org_id, used.customer_key, "customer")
    await audit({
      action: "survey.answered",
      entityType: "survey_response",
      entityId: id,
      after: { invitationId: inv.id, score, sentiment: feeling },
    })
    await emit({
      type: "feedback.response.received",
      aggregateType: "survey_response",
      aggregateId: id,
      payload: { caseId: used.case_id, score, sentiment: feeling },
    })
    if (feeling === "negative" && used.case_id) {
      const payload: NegativePayload = {
        responseId: id,
        caseId: used.case_id,
        surveyId: used.survey_id,
        scoreKind: d.kind === "custom" ? null : d.kind,
        score,
        comment: text,
        locale: input.locale ?? used.locale,
      }
      await emit({ type: NEGATIVE, aggregateType: "survey_response", aggregateId: id, payload })
    }
    return { responseId: id, thanks: d.thanks }
  })
  if (!result) {
    const now2 = await openLink(db, token, now)
    throw refused(now2.state === "open" ? "answered" : now2.state)
  }
  return result
}

const optOutIn = async (tx: Tx | Db.Executor, orgId: string, key: string, source: "customer" | "staff") => {
  await sql`insert into feedback.opt_out (org_id, customer_key, source) values (${orgId}, ${key}, ${source})
    on conflict do nothing`.execute(tx)
}

/** The customer says "never ask me again" from a link (answered or not). @category constructors @since 0.1.0 */
export const optOutByLink = async (db: Db.Database, token: string): Promise<void> => {
  const inv = await byToken(db, token)
  if (!inv) throw refused("unknown")
  const row = await fdb(db)
    .selectFrom("feedback.invitation")
    .select("customer_key")
    .where("org_id", "=", inv.org_id)
    .where("id", "=", inv.id)
    .executeTakeFirstOrThrow()
  if (!row.customer_key) return
  await change(db, Tenancy.system(inv.org_id, "respondent"), async ({ tx, audit }) => {
    await optOutIn(tx, inv.org_id, row.customer_key!, "customer")
    await audit({
      action: "survey.opted_out",
      entityType: "customer",
      entityId: row.customer_key!,
      after: { source: "customer" },
    })
  })
}

/** Staff record a customer's opt-out (the customer's id, or `email:<address>`). @category constructors @since 0.1.0 */
export const optOut = async (db: Db.Database, ctx: Tenancy.OrgContext, customerKey: string): Promise<void> =>
  change(db, ctx, async ({ tx, audit }) => {
    await optOutIn(tx, ctx.orgId, customerKey, "staff")
    await audit({
      action: "survey.opted_out",
      entityType: "customer",
      entityId: customerKey,
      after: { source: "staff" },
    })
  })

/**
 * A link an agent pastes into a chat: an invitation of the survey's published version, sent now,
 * expiring in `expiryDays`. The token is returned once and never stored.
 * @category constructors
 * @since 0.1.0
 */
export const createLink = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  input: {
    readonly surveyId: string
    readonly locale: "zh-CN" | "en"
    readonly caseId?: string | undefined
    readonly customerKey?: string | undefined
    readonly channel?: string | undefined
    readonly expiryDays?: number | undefined
  },
  now = new Date(),
): Promise<{ readonly invitationId: string; readonly token: string; readonly expiresAt: Date }> => {
  const s = await fdb(db)
    .selectFrom("feedback.survey")
    .select(["published_version"])
    .where("org_id", "=", ctx.orgId)
    .where("id", "=", input.surveyId)
    .executeTakeFirst()
  if (!s) throw new Errors.NotFoundError({ entity: "survey", id: input.surveyId })
  if (!s.published_version)
    throw new Errors.ConflictError({
      message: "publish the survey before sending it",
      code: "surveyNotPublished",
      field: "surveyId",
    })
  const token = newToken()
  const id = Id.make("finv")
  const expiresAt = new Date(now.getTime() + (input.expiryDays ?? 7) * 86_400_000)
  await change(db, ctx, async ({ tx, audit }) => {
    await tx
      .insertInto("feedback.invitation")
      .values({
        org_id: ctx.orgId,
        id,
        source: "manual",
        case_id: input.caseId ?? null,
        rule_id: null,
        survey_id: input.surveyId,
        survey_version: s.published_version!,
        customer_id: null,
        customer_key: input.customerKey ?? null,
        email: null,
        locale: input.locale,
        status: "sent",
        skip_reason: null,
        token_hash: hashToken(token),
        case_type: null,
        channel: input.channel ?? "chat",
        segment: null,
        team: null,
        agent_id: ctx.actor.type === "user" ? ctx.actor.id : null,
        resolved_at: null,
        due_at: now,
        sent_at: now,
        expires_at: expiresAt,
        answered_at: null,
      })
      .execute()
    await markDirtyAt(tx, ctx.orgId, [now])
    await audit({
      action: "survey.link_created",
      entityType: "survey_invitation",
      entityId: id,
      after: { surveyId: input.surveyId, caseId: input.caseId ?? null },
    })
  })
  return { invitationId: id, token, expiresAt }
}

/**
 * Link a response to the follow-up opened for it, inside the caller's transaction. Returns false
 * when it already had one (a second delivery of the same event then does nothing).
 * @category constructors
 * @since 0.1.0
 */
export const linkFollowUpIn = async (
  tx: Db.Executor,
  orgId: string,
  responseId: string,
  followUpId: string,
  at = new Date(),
) =>
  Number(
    (
      await sql`update feedback.response set follow_up_id = ${followUpId}, follow_up_at = ${at}
        where org_id = ${orgId} and id = ${responseId} and follow_up_id is null`.execute(tx)
    ).numAffectedRows ?? 0,
  ) === 1

/** A response as staff see it. @category models @since 0.1.0 */
export interface ResponseRow {
  readonly id: string
  readonly surveyId: string
  readonly surveyVersion: number
  readonly caseId: string | null
  readonly scoreKind: string | null
  readonly score: number | null
  readonly sentiment: string
  readonly comment: string | null
  readonly channel: string | null
  readonly segment: string | null
  readonly team: string | null
  readonly agentId: string | null
  readonly followUpId: string | null
  readonly locale: string
  readonly submittedAt: Date
}

/**
 * Responses, newest first, keyset-paged by (submitted_at, id); filters by survey, case, sentiment.
 * @category constructors
 * @since 0.1.0
 */
export const listResponses = async (
  db: Db.Database,
  orgId: string,
  q: {
    readonly surveyId?: string | undefined
    readonly caseId?: string | undefined
    readonly sentiment?: string | undefined
    readonly agentId?: string | undefined
    readonly from?: Date | undefined
    readonly to?: Date | undefined
    readonly after?: { readonly at: Date; readonly id: string } | undefined
    readonly limit?: number | undefined
  },
): Promise<ResponseRow[]> => {
  const rows = await fdb(db)
    .selectFrom("feedback.response")
    .selectAll()
    .where("org_id", "=", orgId)
    .$if(q.surveyId !== undefined, (b) => b.where("survey_id", "=", q.surveyId!))
    .$if(q.caseId !== undefined, (b) => b.where("case_id", "=", q.caseId!))
    .$if(q.sentiment !== undefined, (b) => b.where("sentiment", "=", q.sentiment as "negative"))
    .$if(q.agentId !== undefined, (b) => b.where("agent_id", "=", q.agentId!))
    .$if(q.from !== undefined, (b) => b.where("submitted_at", ">=", q.from!))
    .$if(q.to !== undefined, (b) => b.where("submitted_at", "<", q.to!))
    .$if(q.after !== undefined, (b) =>
      b.where((eb) =>
        eb.or([
          eb("submitted_at", "<", q.after!.at),
          eb.and([eb("submitted_at", "=", q.after!.at), eb("id", "<", q.after!.id)]),
        ]),
      ),
    )
    .orderBy("submitted_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(q.limit ?? 50, 1000))
    .execute()
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  return rows.map((r) => ({
    id: r.id,
    surveyId: r.survey_id,
    surveyVersion: r.survey_version,
    caseId: r.case_id,
    scoreKind: r.score_kind,
    score: r.score,
    sentiment: r.sentiment,
    comment: cipher.openNullable(FIELDS.comment, r.comment),
    channel: r.channel,
    segment: r.segment,
    team: r.team,
    agentId: r.agent_id,
    followUpId: r.follow_up_id,
    locale: r.locale,
    submittedAt: r.submitted_at,
  }))
}
