import { makeCalendar } from "@tenet/calendar"
import { type Db, Tenancy } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { type Dispatch, feedbackMigrations, Survey, Surveys } from "../src/index"

export const ORG = "org_feedback"
export const ctx: Tenancy.OrgContext = { orgId: ORG, actor: { type: "user", id: "usr_admin", role: "admin" } }
export const system = Tenancy.system(ORG)

export const openDb = () => makeTestDatabase([feedbackMigrations])

/** Shanghai, weekdays 09:00–18:00. */
export const calendar = makeCalendar({
  timeZone: "Asia/Shanghai",
  hours: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "18:00"]]])),
})

export const publishedCsat = async (db: Db.Database) => {
  const s = await Surveys.createSurvey(db, ctx, {
    name: "CSAT after resolution",
    definition: Survey.csatTemplate(),
  })
  await Surveys.publishSurvey(db, ctx, s.id)
  return s.id
}

export const facts = (over: Partial<Dispatch.CaseFacts> = {}): Dispatch.CaseFacts => ({
  caseId: `case_${Math.random().toString(36).slice(2, 12)}`,
  customerId: `cus_${Math.random().toString(36).slice(2, 12)}`,
  email: "li.wei@example.com",
  locale: "zh-CN",
  caseType: "inquiry",
  channel: "email",
  segment: "retail",
  team: "support",
  agentId: "usr_agent",
  resolvedAt: new Date("2025-03-04T02:00:00Z"), // Tuesday 10:00 in Shanghai
  calendar,
  ...over,
})
