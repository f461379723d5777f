// Rows of one customer in every module that declares customer data, at chosen ages (direct inserts: the
// engine works on tables, not on the modules' services).
import { type Db, Organizations } from "@tenet/core"
import { sql } from "kysely"

const DAY = 86_400_000
export const ago = (days: number, now = new Date()) => new Date(now.getTime() - days * DAY)

export const makeOrg = async (db: Db.Database, slug: string) =>
  (await Organizations.create(db, { type: "system", id: "test" }, { name: slug.toUpperCase(), slug })).id

let counter = 0
/** A customer with one closed case closed `days` ago, its messages, a survey response, a complaint, a QA evaluation. */
export const seedCustomer = async (db: Db.Database, orgId: string, name: string, days: number) => {
  const n = ++counter
  const customer = `cus_${name}`
  const kase = `case_${name}`
  const at = ago(days)
  await sql`insert into process.customer (org_id, id, name, segment, contacts)
    values (${orgId}, ${customer}, ${`${name} Zhang`}, 'retail', ${JSON.stringify([{ kind: "phone", value: "13800001234" }])})`.execute(
    db.kysely,
  )
  await sql`insert into process.case (org_id, id, number, customer_id, type, channel, subject, content, status, urgency, impact, priority, received_at, closed_at)
    values (${orgId}, ${kase}, ${n}, ${customer}, 'complaint', 'phone', ${`Refund for ${name}`}, ${`${name} wrote: my card was charged twice`},
      'closed', 'medium', 'medium', 'P3', ${at}, ${at})`.execute(db.kysely)
  await sql`insert into process.case_event (org_id, case_id, seq, id, at, kind, actor_type, actor_id, content, participants)
    values (${orgId}, ${kase}, 1, ${`evt_${name}`}, ${at}, 'message', 'customer', ${customer}, ${`Hello, this is ${name}`}, '["customer"]')`.execute(
    db.kysely,
  )
  await sql`insert into feedback.response (org_id, id, invitation_id, survey_id, survey_version, case_id, customer_key, locale, answers, sentiment, comment, submitted_at)
    values (${orgId}, ${`rsp_${name}`}, ${`inv_${name}`}, 'srv_x', 1, ${kase}, ${customer}, 'zh-CN', '{}', 'negative', ${`${name} is unhappy`}, ${at})`.execute(
    db.kysely,
  )
  await sql`insert into feedback.item (org_id, id, kind, channel, case_id, customer_key, summary, details, urgency, status, stage, received_at, reply_due_at, closed_at, created_by)
    values (${orgId}, ${`fbi_${name}`}, 'complaint', 'phone', ${kase}, ${customer}, ${`${name} complains`}, 'details', 'normal', 'closed', 'closed_accepted', ${at}, ${at}, ${at}, 'usr_x')`.execute(
    db.kysely,
  )
  await sql`insert into standards.qa_evaluation (org_id, id, scorecard_id, scorecard_version, case_id, agent_id, evaluator_id, answers, score, raw, auto_failed, passed, critical, non_critical_errors, opportunities, evaluated_at)
    values (${orgId}, ${`qae_${name}`}, 'sc_x', 1, ${kase}, 'usr_a', 'usr_e', '{}', 90, 90, false, true, '[]', 0, 10, ${at})`.execute(
    db.kysely,
  )
  return { customer, kase }
}
