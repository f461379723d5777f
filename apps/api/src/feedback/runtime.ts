/**
 * The feedback module as the server runs it: resolution events plan surveys (the API reads the case
 * from process and hands its facts to feedback), a durable job sends the due ones through the mail
 * queue of the notification centre, and a dissatisfied response opens a follow-up on its case
 * (process implements it; feedback only emits the event) exactly once.
 */
import { makeCalendar } from "@tenet/calendar"
import { Change, type Db, Encryption, Id, Jobs, Outbox, Tenancy } from "@tenet/core"
import { Dispatch, Responses, Templates, Tokens } from "@tenet/feedback"
import { Cases, Privacy as ProcessPrivacy } from "@tenet/process"
import { sql } from "kysely"
import { type MailSettings, scheduleMail } from "../notify/mail"

/** What the dispatcher needs of a resolved case, read from process's tables. */
export const caseFacts = async (
  db: Db.Database,
  orgId: string,
  caseId: string,
): Promise<Dispatch.CaseFacts | null> => {
  const r = await sql<{
    id: string
    status: string
    customer_id: string | null
    type: string
    channel: string
    segment: string | null
    team: string | null
    owner_id: string | null
    resolved_at: Date | null
    contacts: Array<{ channel: string; value: string }> | null
    spec: Parameters<typeof makeCalendar>[0] | null
  }>`select c.id, c.status, c.customer_id, c.type, c.channel, c.segment, c.team, c.owner_id, c.resolved_at, cu.contacts, cal.spec
    from process.case c
    left join process.customer cu on cu.org_id = c.org_id and cu.id = c.customer_id
    left join process.sla_policy_version pv on pv.org_id = c.org_id and pv.policy_id = c.policy_id and pv.version = c.policy_version
    left join process.calendar cal on cal.org_id = c.org_id and cal.id = pv.definition->>'calendarId'
    where c.org_id = ${orgId} and c.id = ${caseId}`.execute(db.kysely)
  const c = r.rows[0]
  if (c?.status !== "resolved" || !c.resolved_at) return null
  // contact values are sealed at rest (process's Privacy.FIELDS.contact): open them to address the e-mail
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  const contact = (channel: string) => {
    const v = (c.contacts ?? []).find((x) => x.channel === channel)?.value
    return v === undefined ? null : cipher.open(ProcessPrivacy.FIELDS.contact, v)
  }
  const email = contact("email")
  const locale = contact("locale") === "en" ? "en" : "zh-CN"
  return {
    caseId: c.id,
    customerId: c.customer_id,
    email,
    locale,
    caseType: c.type,
    channel: c.channel,
    segment: c.segment,
    team: c.team,
    agentId: c.owner_id,
    resolvedAt: c.resolved_at,
    calendar: c.spec ? makeCalendar(c.spec) : undefined,
  }
}

/** Plan the survey of each resolved case. */
export const dispatchHandler: Outbox.EventHandler = {
  name: "feedback.dispatch",
  types: ["process.case.status_changed"],
  handle: async (event, db) => {
    const p = event.payload as { to?: string }
    if (p.to !== "resolved") return
    const facts = await caseFacts(db, event.orgId, event.aggregateId)
    if (!facts) return
    await Dispatch.planForResolvedCase(db, Tenancy.system(event.orgId, "survey-dispatch"), facts)
  },
}

/** The survey e-mail, written to the notification centre's mail queue in the sending transaction. */
export const deliverByEmail =
  (mail: MailSettings): Dispatch.Deliver =>
  async (tx, out) => {
    const link = Tokens.linkOf(mail.publicUrl, out.token)
    const e = Templates.invitationEmail({
      locale: out.locale,
      title: out.title,
      link,
      expiresAt: out.expiresAt,
    })
    const id = Id.make("eml")
    await sql`insert into notify.email (org_id, id, user_id, to_address, locale, subject, text_body, html_body, dedupe_key)
      values (${out.orgId}, ${id}, ${`survey:${out.invitationId}`}, ${out.email ?? ""}, ${out.locale}, ${e.subject}, ${e.text}, ${e.html},
        ${`survey:${out.invitationId}`})`.execute(tx)
    await scheduleMail(tx, out.orgId, id)
  }

export const feedbackJobs = (mail: MailSettings): Jobs.JobHandlers => ({
  [Dispatch.SEND_JOB]: async (_job, db) => {
    await Dispatch.sendDue(db, deliverByEmail(mail))
  },
})

/** Schedule the recurring send (every 30 s; idempotent by key). */
export const scheduleFeedbackJobs = (db: Db.Database) =>
  Jobs.schedule(db, {
    kind: Dispatch.SEND_JOB,
    key: "sweep",
    runAt: new Date(),
    everySeconds: 30,
    maxAttempts: 1000,
  })

const LABEL = { csat: "CSAT", nps: "NPS", ces: "CES" } as const

/**
 * A dissatisfied response opens a follow-up on its case, with the customer's comment on the
 * timeline, and the response links to it: one transaction, recorded as processed for this event,
 * so a second delivery of the same event (or a response already followed up) does nothing.
 */
export const closedLoopHandler: Outbox.EventHandler = {
  name: "feedback.closed-loop",
  types: [Responses.NEGATIVE],
  handle: async (event, db) => {
    const p = event.payload as Responses.NegativePayload
    await Change.change(db, Tenancy.system(event.orgId, "closed-loop"), async (scope) => {
      if (!(await Outbox.once(scope.tx, "feedback.closed-loop", event.id))) return
      const open = await sql<{ follow_up_id: string | null; case_exists: boolean }>`
        select r.follow_up_id, exists (select 1 from process.case c where c.org_id = r.org_id and c.id = ${p.caseId}) as case_exists
        from feedback.response r where r.org_id = ${event.orgId} and r.id = ${p.responseId} for update of r`.execute(
        scope.tx,
      )
      const row = open.rows[0]
      if (!row || row.follow_up_id || !row.case_exists) return
      const score = p.scoreKind && p.score !== null ? `${LABEL[p.scoreKind]} ${p.score}` : null
      const { followUpId } = await Cases.openFollowUpIn(scope, p.caseId, {
        kind: "feedback",
        content: [score, p.comment].filter(Boolean).join(" · ") || null,
        data: { responseId: p.responseId, surveyId: p.surveyId, score: p.score, scoreKind: p.scoreKind },
      })
      await Responses.linkFollowUpIn(scope.tx, event.orgId, p.responseId, followUpId)
    })
  },
}

export const feedbackHandlers: ReadonlyArray<Outbox.EventHandler> = [dispatchHandler, closedLoopHandler]
