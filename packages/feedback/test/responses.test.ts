import type { Db } from "@tenet/core"
import { testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Dispatch, Responses, Surveys, Tokens } from "../src/index"
import { ctx, facts, ORG, openDb, publishedCsat } from "./helpers"

let db: Db.Database
let surveyId: string
beforeAll(async () => {
  db = await openDb()
  surveyId = await publishedCsat(db)
  await Dispatch.saveRule(db, ctx, {
    name: "all",
    surveyId,
    delayMinutes: 0,
    withinHours: 24,
    expiryDays: 14,
    caseTypes: [],
    channels: [],
    segments: [],
    teams: [],
    sampleRate: 1,
    capDays: 0,
    quietHours: false,
  })
})
afterAll(async () => {
  await db.close()
})

const t0 = new Date("2025-03-04T02:00:00Z")
/** A case resolved, its survey sent: the token of its link. */
const sentLink = async (over: Partial<Dispatch.CaseFacts> = {}) => {
  const f = facts({ resolvedAt: t0, ...over })
  await Dispatch.planForResolvedCase(db, ctx, f, { now: t0 })
  let token = ""
  await Dispatch.sendDue(
    db,
    async (_tx, out) => {
      token = out.token
    },
    { now: t0 },
  )
  return { token, caseId: f.caseId }
}

describe(`responses (${testEngine()})`, () => {
  it("a link shows only the survey, answers once, and says so after", async () => {
    const { token, caseId } = await sentLink()
    const view = await Responses.openLink(db, token, t0)
    expect(view.state).toBe("open")
    // nothing of the organisation, the case or the customer
    expect(Object.keys(view).sort()).toEqual(["definition", "expiresAt", "locale", "state"])
    const out = await Responses.respond(db, token, { answers: { values: { overall: 5, speed: 4 } } }, t0)
    expect(out.thanks?.["zh-CN"]).toBe("感谢您的反馈！")
    await expect(
      Responses.respond(db, token, { answers: { values: { overall: 1 } } }, t0),
    ).rejects.toMatchObject({
      _tag: "ConflictError",
      code: "surveyLinkUsed",
    })
    expect(await Responses.openLink(db, token, t0)).toEqual({ state: "answered" })
    const rows = await Responses.listResponses(db, ORG, { caseId })
    expect(rows).toMatchObject([{ score: 5, sentiment: "positive", scoreKind: "csat", surveyVersion: 1 }])
    // the token itself is not stored
    const stored = await sql<{
      n: number
    }>`select count(*)::int as n from feedback.invitation where token_hash = ${token}`.execute(db.kysely)
    expect(stored.rows[0]!.n).toBe(0)
  })

  it("an expired or unknown link is refused plainly; bad answers name the field", async () => {
    const { token } = await sentLink()
    const later = new Date(t0.getTime() + 15 * 86_400_000)
    expect(await Responses.openLink(db, token, later)).toEqual({ state: "expired" })
    await expect(
      Responses.respond(db, token, { answers: { values: { overall: 4 } } }, later),
    ).rejects.toMatchObject({
      code: "surveyLinkExpired",
    })
    expect(await Responses.openLink(db, Tokens.newToken())).toEqual({ state: "unknown" })
    expect(await Responses.openLink(db, "not-a-token")).toEqual({ state: "unknown" })
    await expect(
      Responses.respond(db, token, { answers: { values: { overall: 9 } } }, t0),
    ).rejects.toMatchObject({
      _tag: "ValidationError",
      issues: [{ path: ["answers", "values", "overall"], code: "outOfRange" }],
    })
  })

  it("a dissatisfied response emits the closed-loop event with the comment; a response pins its version", async () => {
    const { token, caseId } = await sentLink()
    // the survey is edited and republished after the link was sent: the response keeps version 1
    const v1 = await Surveys.getVersion(db, ORG, surveyId, 1)
    await Surveys.updateSurvey(db, ctx, surveyId, {
      definition: { ...v1.definition, title: { "zh-CN": "新版", en: "New" } },
    })
    await Surveys.publishSurvey(db, ctx, surveyId)
    const r = await Responses.respond(
      db,
      token,
      {
        answers: { values: { overall: 2, comment: "希望能更快" }, why: { overall: "等了三天" } },
        optOut: true,
      },
      t0,
    )
    const ev = await sql<{ payload: Responses.NegativePayload }>`select payload from core.outbox_event
      where type = ${Responses.NEGATIVE} and aggregate_id = ${r.responseId}`.execute(db.kysely)
    expect(ev.rows.map((e) => e.payload)).toEqual([
      {
        responseId: r.responseId,
        caseId,
        surveyId,
        scoreKind: "csat",
        score: 2,
        comment: "等了三天\n希望能更快",
        locale: "zh-CN",
      },
    ])
    const [row] = await Responses.listResponses(db, ORG, { caseId })
    expect(row).toMatchObject({ surveyVersion: 1, sentiment: "negative" })
    // the customer opted out on the page: not asked again
    const opted = await sql<{ n: number }>`select count(*)::int as n from feedback.opt_out`.execute(db.kysely)
    expect(opted.rows[0]!.n).toBe(1)
    // linking the follow-up happens once
    expect(await Responses.linkFollowUpIn(db.kysely, ORG, r.responseId, "fup_1")).toBe(true)
    expect(await Responses.linkFollowUpIn(db.kysely, ORG, r.responseId, "fup_2")).toBe(false)
  })

  it("a chat link is made for a case, returned once, and answers once", async () => {
    const link = await Responses.createLink(db, ctx, { surveyId, locale: "en", caseId: "case_chat" }, t0)
    expect(Tokens.isToken(link.token)).toBe(true)
    expect(Tokens.linkOf("https://tenet.example.com/", link.token)).toBe(
      `https://tenet.example.com/api/v1/public/surveys/${link.token}/page`,
    )
    expect((await Responses.openLink(db, link.token, t0)).state).toBe("open")
    await Responses.respond(db, link.token, { answers: { values: { overall: 4 } } }, t0)
    await expect(
      Responses.respond(db, link.token, { answers: { values: { overall: 4 } } }, t0),
    ).rejects.toMatchObject({
      code: "surveyLinkUsed",
    })
  })
})
