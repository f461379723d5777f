// Free text a customer wrote is sealed at rest (and card/ID numbers redacted): survey comments and
// free-text answers, suggestion/praise/complaint details. The raw tables hold no plaintext.
import { type Db, Encryption } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Dispatch, Items, Privacy, Responses } from "../src/index"
import { calendar, ctx, facts, ORG, openDb, publishedCsat } from "./helpers"

let db: Db.Database
const t0 = new Date("2025-03-04T02:00:00Z")

beforeAll(async () => {
  Encryption.configure(Encryption.fromKey(Buffer.alloc(32, 8).toString("base64"), "test"))
  db = await openDb()
  // core.org_key rows need no organisation row, but the pass walks core.organization
  await sql`insert into core.organization (id, slug, name) values (${ORG}, 'feedback-enc', 'Feedback')`.execute(
    db.kysely,
  )
  const surveyId = await publishedCsat(db)
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
}, 120_000)
afterAll(async () => {
  Encryption.configure(null)
  await db?.close()
})

describe("feedback free text at rest", () => {
  it("a complaint's details are redacted, sealed, and read back opened", async () => {
    const item = await Items.record(
      db,
      ctx,
      {
        kind: "complaint",
        channel: "phone",
        summary: "扣款有误",
        details: "我的卡 4111 1111 1111 1111 被多扣了两次",
        receivedAt: t0,
      },
      calendar,
    )
    const raw = await sql<{
      details: string
    }>`select details from feedback.item where id = ${item.id}`.execute(db.kysely)
    expect(raw.rows[0]!.details.startsWith("tnt1:1:")).toBe(true)
    expect(raw.rows[0]!.details).not.toContain("多扣")
    expect((await Items.getItem(db, ORG, item.id)).details).toBe("我的卡 411111******1111 被多扣了两次")
    expect((await Items.listItems(db, ORG, {}))[0]!.details).toBe("我的卡 411111******1111 被多扣了两次")
  })

  it("a survey comment is sealed; the list opens it", async () => {
    const f = facts({ resolvedAt: t0 })
    let token = ""
    await Dispatch.planForResolvedCase(db, ctx, f, { now: t0 })
    await Dispatch.sendDue(
      db,
      async (_tx, out) => {
        token = out.token
      },
      { now: t0 },
    )
    await Responses.respond(
      db,
      token,
      { answers: { values: { overall: 1 }, why: { overall: "客服态度太差了" } } },
      t0,
    )
    const raw = JSON.stringify(
      (await sql`select * from feedback.response where org_id = ${ORG}`.execute(db.kysely)).rows,
    )
    expect(raw).not.toContain("态度")
    const [r] = await Responses.listResponses(db, ORG, {})
    expect(r!.comment).toBe("客服态度太差了")
    expect(await Encryption.pending(db, Privacy.encryptedTables, ORG)).toEqual({
      "feedback.response": 0,
      "feedback.item": 0,
    })
  })
})
