import { type Db, Eligibility, Organizations, Tenancy } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Certification, cultureMigrations, Demo, Framework, Knowledge, Training } from "../src/index"

let db: Db.Database
let orgId: string
const people = { owner: "usr_o", admin: "usr_ad", supervisor: "usr_s", qa_analyst: "usr_q", agent: "usr_ag" }
const now = new Date("2026-12-01T02:00:00Z")

beforeAll(async () => {
  db = await makeTestDatabase([cultureMigrations])
  orgId = (await Organizations.create(db, { type: "system", id: "t" }, { name: "Demo", slug: "demo" })).id
  await Demo.seedDemoCulture(db, Tenancy.system(orgId, "demo-seed"), people, now)
  Eligibility.provide(Certification.eligibility)
  await sql`insert into core.eligibility_setting (org_id, gate_enabled) values (${orgId}, true)`.execute(
    db.kysely,
  )
})
afterAll(async () => {
  Eligibility.provide(undefined)
  await db.close()
})

describe(`demo data (${testEngine()})`, () => {
  it("the agent's general certification expires soon and they are not certified for complaints", async () => {
    const grants = await Certification.grantsOf(db, orgId, { userId: people.agent, at: now })
    expect(grants.map((g) => [g.certificationId, g.state])).toEqual([["general-queue", "expiring"]])
    const check = (team: string) =>
      Eligibility.check(db.kysely, orgId, people.agent, { team, channel: "phone", type: "complaint" }, now)
    expect((await check("complaints")).refusals.map((r) => r.code)).toEqual(["notCertified"])
    expect(
      (
        await Eligibility.check(
          db.kysely,
          orgId,
          people.supervisor,
          { team: "complaints", channel: "phone", type: "complaint" },
          now,
        )
      ).eligible,
    ).toBe(true)
    expect(
      (await Training.assignmentsOf(db, orgId, people.agent))
        .filter((a) => a.status === "assigned")
        .map((a) => a.courseId),
    ).toEqual(["complaints-101"])
  })
  it("has a heat map with gaps and searchable knowledge", async () => {
    const cells = await Framework.gapAnalysis(db, orgId, now)
    expect(cells.find((c) => c.teamId === "complaints" && c.skillId === "relationship")!.below).toBe(1)
    expect((await Knowledge.search(db, orgId, "积压")).map((a) => a.kind)).toEqual(["lesson"])
  })
})
