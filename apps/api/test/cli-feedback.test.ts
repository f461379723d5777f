/**
 * `tenet feedback …`: what the commands print, in both languages, with the worked numbers (the
 * commands' reports run in process on a test database; the binary wraps them in `withDb`).
 */
import { type Db, Organizations, Tenancy } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { feedbackMigrations, Survey, Surveys } from "@tenet/feedback"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { localeOf, MESSAGES, resultsReport, surveysReport } from "../src/cli/feedback"

let db: Db.Database
let orgId: string
let surveyId: string
const from = new Date("2025-03-01T00:00:00+08:00")
const to = new Date("2025-04-01T00:00:00+08:00")

beforeAll(async () => {
  db = await makeTestDatabase([feedbackMigrations])
  orgId = (await Organizations.create(db, { type: "system", id: "t" }, { name: "CLI", slug: "cli-fb" })).id
  const ctx = Tenancy.system(orgId, "test")
  const s = await Surveys.createSurvey(db, ctx, { name: "解决后满意度", definition: Survey.csatTemplate() })
  await Surveys.publishSurvey(db, ctx, s.id)
  surveyId = s.id
  // 20 surveys sent in March, 10 answered: 7 satisfied (4–5), 2 dissatisfied (1–2), 1 neutral
  const scores = [5, 5, 5, 4, 4, 4, 4, 3, 2, 1]
  for (let i = 0; i < 20; i++) {
    const at = new Date(Date.UTC(2025, 2, 3 + i, 4))
    await sql`insert into feedback.invitation (org_id, id, source, case_id, rule_id, survey_id, survey_version, customer_id, customer_key,
        locale, status, channel, segment, resolved_at, due_at, sent_at)
      values (${orgId}, ${`finv_${i}`}, 'dispatch', ${`case_${i}`}, null, ${surveyId}, 1, null, null, 'zh-CN',
        ${i < 10 ? "answered" : "sent"}, 'email', 'retail', ${at}, ${at}, ${at})`.execute(db.kysely)
    if (i < 10)
      await sql`insert into feedback.response (org_id, id, invitation_id, survey_id, survey_version, case_id, locale, answers,
          score_kind, score, sentiment, channel, segment, submitted_at)
        values (${orgId}, ${`fres_${i}`}, ${`finv_${i}`}, ${surveyId}, 1, ${`case_${i}`}, 'zh-CN', '{"values":{}}', 'csat',
          ${scores[i]!}, 'neutral', 'email', 'retail', ${new Date(at.getTime() + 3_600_000)})`.execute(
        db.kysely,
      )
  }
})
afterAll(async () => {
  await db.close()
})

describe("tenet feedback", () => {
  it("lists the surveys with their published version and responses, in both languages", async () => {
    const en = await surveysReport(db, orgId, "en")
    expect(en.text).toBe(`${surveyId}  解决后满意度  [csat]  published v1  10 responses`)
    const zh = await surveysReport(db, orgId, "zh-CN")
    expect(zh.text).toBe(`${surveyId}  解决后满意度  [csat]  已发布 v1  10 份回复`)
    expect(zh.data.items[0]).toMatchObject({ id: surveyId, kind: "csat", publishedVersion: 1, responses: 10 })
  })

  it("prints a survey's results with n, the Wilson interval and the response rate", async () => {
    // 7/10 satisfied: Wilson 95 % [0.3968, 0.8922]; DSAT 2/10: [0.0567, 0.5098]; 10 of 20 answered
    const en = await resultsReport(db, orgId, { surveyId, from, to, locale: "en" })
    expect(en.text).toContain("  sample size n = 10")
    expect(en.text).toContain("  satisfied (CSAT): 70.0%  95% interval 39.7%–89.2%")
    expect(en.text).toContain("  dissatisfied (DSAT): 20.0%  95% interval 5.7%–51.0%")
    expect(en.text).toContain("  response rate: 50.0% (10/20)  95% interval 29.9%–70.1%")
    expect(en.text).toContain("  note: fewer than 30 responses, read with care")
    const zh = await resultsReport(db, orgId, { surveyId, from, to, locale: "zh-CN" })
    expect(zh.text).toContain("  满意率（CSAT）: 70.0%  95% 置信区间 39.7%–89.2%")
    expect(zh.text).toContain("  回复率: 50.0% (10/20)")
    expect(zh.text).toContain("  注意：样本量低于 30，结果仅供参考")
    expect(zh.data.results.score).toMatchObject({ value: 0.7, numerator: 7, n: 10 })
  })

  it("says plainly when a survey is unknown, a period is empty or a locale is wrong", async () => {
    await expect(resultsReport(db, orgId, { surveyId: "srv_nope", from, to, locale: "en" })).rejects.toThrow(
      '--survey: no survey with id "srv_nope"',
    )
    const empty = await resultsReport(db, orgId, {
      surveyId,
      from: new Date("2024-01-01T00:00:00Z"),
      to: new Date("2024-02-01T00:00:00Z"),
      locale: "en",
    })
    expect(empty.text).toContain(MESSAGES.en.noData)
    expect(() => localeOf("fr")).toThrow("--locale must be zh-CN or en")
    // every message exists in both languages
    expect(Object.keys(MESSAGES["zh-CN"]).sort()).toEqual(Object.keys(MESSAGES.en).sort())
  })
})
