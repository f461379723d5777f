// Issue #12, domain checks through the API: extreme dates are field errors (not a hang), a 1 MB
// team is refused and cannot break the dashboard, a broken CSV names its line, an owner must be a
// member, a QA evaluation needs a case, and a compliance evaluation an IANA time zone.
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>

beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
})
afterAll(async () => {
  await h.db.close()
})

const EXTREME = "+275760-09-13T00:00:00.000Z"
const base = { type: "inquiry", channel: "chat", subject: "hi" }

describe("extreme dates through the API", () => {
  it("cases (recordedAt), SLA policy preview (receivedAt) and calendar preview (from) answer 400 naming the field", async () => {
    const c = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { ...base, recordedAt: EXTREME },
    })
    expect(c.status).toBe(400)
    expect(c.body.errors).toContainEqual(expect.objectContaining({ path: "/recordedAt", code: "dateRange" }))
    const p = await h.request("/api/v1/process/sla-policies/preview", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { type: "inquiry", channel: "chat", receivedAt: EXTREME },
    })
    expect(p.status).toBe(400)
    const calendars = await h.request("/api/v1/process/calendars", { key: orgs.a.adminKey })
    const cal = calendars.body.items[0]
    const q = await h.request("/api/v1/process/calendars/preview", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { calendarId: cal.id, from: EXTREME, seconds: 3600 },
    })
    expect(q.status).toBe(400)
    // and the server still computes normal due dates
    const ok = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { ...base, receivedAt: "2025-03-03T09:00:00+08:00" },
    })
    expect(ok.status).toBe(201)
  })
})

describe("keyed values", () => {
  it("a 1 MB team is refused (400, maxLength); one stored before cannot make the dashboard answer 500", async () => {
    const big = "t".repeat(1_000_000)
    const r = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { ...base, team: big },
    })
    expect(r.status).toBe(400)
    expect(r.body.errors).toEqual([expect.objectContaining({ path: "/team", code: "maxLength" })])
    const made = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { ...base, receivedAt: "2025-05-06T10:00:00+08:00" },
    })
    await sql`update process.case set team = ${big} where id = ${made.body.id}`.execute(h.db.kysely)
    const { Rollups } = await import("@tenet/process")
    await Rollups.rebuild(h.db, orgs.a.org.id)
    for (const [from, to] of [
      ["2025-05-06", "2025-05-06"],
      ["2025-05-01", "2025-05-31"],
      ["2025-01-01", "2025-12-31"],
    ]) {
      const k = await h.request(`/api/v1/dashboard/kpis?from=${from}&to=${to}`, { key: orgs.a.adminKey })
      expect(k.status).toBe(200)
    }
  })
})

describe("imports", () => {
  it("a CSV with an unclosed quote: 400 naming the line, not 500", async () => {
    const res = await h.app.request("http://localhost/api/v1/process/imports?format=csv", {
      method: "POST",
      headers: { authorization: `Bearer ${orgs.a.adminKey}`, "content-type": "text/csv" },
      body: 'external_id,subject,type,channel\nU-1,ok,inquiry,email\nU-2,"never closed,inquiry,email\n',
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { errors: Array<{ code: string; params: { line: number } }> }
    expect(body.errors[0]).toMatchObject({ code: "csvLine", params: { line: 3 } })
  })
})

describe("domain checks", () => {
  it("a case's owner must be a member of the case's organisation (create and assign)", async () => {
    const foreign = orgs.b.agent.id
    const c = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { ...base, ownerId: foreign },
    })
    expect(c.status).toBe(400)
    expect(c.body.errors).toEqual([expect.objectContaining({ path: "/ownerId", code: "notAMember" })])
    const ok = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { ...base, ownerId: orgs.a.agent.id },
    })
    expect(ok.status).toBe(201)
    const a = await h.request(`/api/v1/process/cases/${ok.body.id}/assignment`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { ownerId: foreign },
    })
    expect(a.status).toBe(400)
    expect(a.body.errors[0]).toMatchObject({ path: "/ownerId", code: "notAMember" })
    const unassign = await h.request(`/api/v1/process/cases/${ok.body.id}/assignment`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { ownerId: null },
    })
    expect(unassign.status).toBe(200)
  })

  it("a QA evaluation of a case that does not exist (or of another organisation) is a 400 naming caseId", async () => {
    const cards = await h.request("/api/v1/quality/scorecards", { key: orgs.a.adminKey })
    const saved = await h.request("/api/v1/quality/scorecards", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { name: "QA", definition: cards.body.template },
    })
    expect(saved.status).toBe(201)
    const theirs = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.b.agentKey,
      body: base,
    })
    for (const caseId of ["case_does_not_exist", theirs.body.id]) {
      const r = await h.request("/api/v1/quality/evaluations", {
        method: "POST",
        key: orgs.a.adminKey,
        body: { scorecardId: saved.body.id, caseId, agentId: orgs.a.agent.id, answers: {} },
      })
      expect(r.status).toBe(400)
      expect(r.body.errors).toEqual([expect.objectContaining({ path: "/caseId", code: "unknownCase" })])
    }
  })

  it("a compliance evaluation refuses the time zone Mars/Olympus", async () => {
    const standards = await h.request("/api/v1/standards", { key: orgs.a.adminKey })
    const id = standards.body.items?.[0]?.id ?? "std_none"
    const r = await h.request(`/api/v1/standards/${id}/evaluations`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { from: "2025-03-01T00:00:00+08:00", to: "2025-04-01T00:00:00+08:00", timeZone: "Mars/Olympus" },
    })
    expect(r.status).toBe(400)
    expect(r.body.errors).toEqual([expect.objectContaining({ path: "/timeZone", code: "timeZone" })])
  })
})
