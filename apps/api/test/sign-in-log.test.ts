// The sign-in log is a security log (CSL Art 21): successes and failures are kept at least six months
// and removed by the daily iam.purge job once past the log's maximum; a success forgives earlier
// failures for throttling without deleting them.
import { DataClasses, Organizations, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Iam from "../src/iam/service"
import { purgeSignInLog, SIGN_IN_LOG } from "../src/iam/sessions"
import { wireContracts } from "../src/modules"
import { SYSTEM_JOBS } from "../src/server"
import { type Harness, makeHarness } from "./helpers"

let h: Harness
beforeAll(async () => {
  h = await makeHarness()
  const org = await Organizations.create(h.db, { type: "system", id: "test" }, { name: "Log", slug: "log" })
  const u = await Iam.createUser(h.db, { email: "log@x.test", name: "Log", password: "password-1" })
  await Iam.addMember(h.db, Tenancy.system(org.id), { userId: u.id, role: "owner" })
}, 120_000)
afterAll(async () => {
  await h?.db.close()
})

const rows = async () =>
  (
    await sql<{ email: string; ok: boolean; forgiven: boolean; days: number }>`
      select email, ok, forgiven, extract(day from now() - at)::int as days
      from iam.sign_in_attempt order by at, ok`.execute(h.db.kysely)
  ).rows

describe("the sign-in log", () => {
  it("records failures and successes; a success forgives the failures but keeps them", async () => {
    const bad = await h.request("/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "log@x.test", password: "wrong-password" },
    })
    expect(bad.status).toBe(401)
    await h.signIn("log@x.test", "password-1")
    expect((await rows()).map((r) => [r.email, r.ok, r.forgiven])).toEqual([
      ["log@x.test", false, true],
      ["log@x.test", true, false],
    ])
  })

  it("keeps entries younger than the maximum (never under six months) and purges the older ones", async () => {
    for (const days of [10, 100, 200, 364, 366, 800])
      await sql`insert into iam.sign_in_attempt (email, ip, ok, at)
        values ('old@x.test', '10.0.0.1', false, now() - make_interval(days => ${days}))`.execute(h.db.kysely)
    // the daily job applies the log's maximum
    await SYSTEM_JOBS["iam.purge"]!(
      { orgId: "", kind: "iam.purge", key: "iam.purge", payload: {}, attempt: 1 } as never,
      h.db,
    )
    expect((await rows()).filter((r) => r.email === "old@x.test").map((r) => r.days)).toEqual([
      364, 200, 100, 10,
    ])
    await sql`update iam.sign_in_attempt set at = at - interval '2 days' where email = 'old@x.test'`.execute(
      h.db.kysely,
    )
    await SYSTEM_JOBS["iam.purge"]!(
      { orgId: "", kind: "iam.purge", key: "iam.purge", payload: {}, attempt: 1 } as never,
      h.db,
    )
    expect((await rows()).filter((r) => r.email === "old@x.test").map((r) => r.days)).toEqual([202, 102, 12])
    // a maximum below the minimum is raised to the minimum: nothing under six months goes
    expect(await purgeSignInLog(h.db, 30)).toBe(1)
    expect((await rows()).filter((r) => r.email === "old@x.test").map((r) => r.days)).toEqual([102, 12])
    // the first test's entries (today) are still there
    expect((await rows()).filter((r) => r.email === "log@x.test")).toHaveLength(2)
  })

  it("the inventory declares the same retention", () => {
    wireContracts()
    expect(DataClasses.get("iam.sign_in_attempts")!.retention).toMatchObject({
      minDays: SIGN_IN_LOG.MIN_DAYS,
      maxDays: SIGN_IN_LOG.MAX_DAYS,
    })
    expect(SIGN_IN_LOG.MIN_DAYS).toBeGreaterThanOrEqual(DataClasses.MINIMUM.securityLog)
  })
})
