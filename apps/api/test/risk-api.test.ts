import { Outbox } from "@tenet/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { riskCycles } from "../src/risk/runtime"
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

const yamlLibrary = `format: tenet-risk-library/v1
id: acme-risks
version: "1"
name: { zh-CN: 风险库, en: Risk library }
matrices:
  - id: five
    name: { zh-CN: 五级, en: Five levels }
    likelihood: [{ name: { zh-CN: 一, en: "1" } }, { name: { zh-CN: 二, en: "2" } }, { name: { zh-CN: 三, en: "3" } }, { name: { zh-CN: 四, en: "4" } }, { name: { zh-CN: 五, en: "5" } }]
    impact: [{ name: { zh-CN: 一, en: "1" } }, { name: { zh-CN: 二, en: "2" } }, { name: { zh-CN: 三, en: "3" } }, { name: { zh-CN: 四, en: "4" } }, { name: { zh-CN: 五, en: "5" } }]
    bands:
      - { id: low, name: { zh-CN: 低, en: Low }, colour: "#2e7d32", severity: low, min: 1, max: 4 }
      - { id: medium, name: { zh-CN: 中, en: Medium }, colour: "#f9a825", severity: medium, min: 5, max: 9 }
      - { id: high, name: { zh-CN: 高, en: High }, colour: "#ef6c00", severity: high, min: 10, max: 16 }
      - { id: very_high, name: { zh-CN: 极高, en: Very high }, colour: "#c62828", severity: very_high, min: 17, max: 25 }
categories:
  - { id: backlog, name: { zh-CN: 积压, en: Backlog } }
`

describe("risk API", () => {
  let riskId: string
  it("imports a YAML library, and refuses a broken one naming the path", async () => {
    const ok = await h.request("/api/v1/risk/libraries", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { format: "yaml", text: yamlLibrary },
    })
    expect(ok.status).toBe(201)
    expect(ok.body).toMatchObject({ matrices: ["five"], categories: ["backlog"] })
    const bad = await h.request("/api/v1/risk/libraries", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { format: "yaml", text: yamlLibrary.replace('colour: "#f9a825"', "colour: yellow") },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain("matrices[0].bands[1].colour")
  })

  it("creates a risk; bad input is a 400 naming the field; other organisations see nothing", async () => {
    const bad = await h.request("/api/v1/risk/risks", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { title: "x", inherent: { likelihood: 9, impact: 1 } },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain("likelihood")
    const r = await h.request("/api/v1/risk/risks", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        title: "Backlog overwhelms the team",
        categoryId: "backlog",
        cause: "campaigns not announced",
        event: "cases pile up past due",
        consequence: "complaints",
        ownerId: orgs.a.owner.id,
        inherent: { likelihood: 2, impact: 4 },
      },
    })
    expect(r.status).toBe(201)
    expect(r.body.inherent).toMatchObject({ score: 8, band: "medium" })
    riskId = r.body.id
    expect((await h.request(`/api/v1/risk/risks/${riskId}`, { key: orgs.b.adminKey })).status).toBe(404)
    const heat = await h.request("/api/v1/risk/heat-map", { key: orgs.a.agentKey })
    expect(heat.status).toBe(403)
  })

  it("a KRI crossing on a registry metric raises the likelihood once and opens one PDCA cycle (trigger risk)", async () => {
    const kri = await h.request("/api/v1/risk/kris", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        riskId,
        name: "Incidents this week",
        metricId: "risk.incidents",
        direction: "above",
        amber: 0.5,
        red: 1,
        mode: "automatic",
        cycleWorkflowId: "pdca",
      },
    })
    expect(kri.status).toBe(201)
    const green = await h.request(`/api/v1/risk/kris/${kri.body.id}/evaluate`, {
      method: "POST",
      key: orgs.a.adminKey,
    })
    expect(green.body).toMatchObject({ state: "green", value: 0 })
    const now = Date.now()
    await h.request("/api/v1/risk/incidents", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        title: "Chat down",
        kind: "service",
        startedAt: new Date(now - 7_200_000).toISOString(),
        detectedAt: new Date(now - 3_600_000).toISOString(),
        affectedCustomers: 40,
      },
    })
    const ev = await h.request(`/api/v1/risk/kris/${kri.body.id}/evaluate`, {
      method: "POST",
      key: orgs.a.adminKey,
    })
    expect(ev.status).toBe(200)
    expect(ev.body).toMatchObject({ state: "red", value: 1, crossed: true })
    expect(
      (await h.request(`/api/v1/risk/kris/${kri.body.id}/evaluate`, { method: "POST", key: orgs.a.adminKey }))
        .body.crossed,
    ).toBe(false)
    const risk = await h.request(`/api/v1/risk/risks/${riskId}`, { key: orgs.a.adminKey })
    expect(risk.body.residual.likelihood).toBe(3)
    const handler = riskCycles(h.plugins)
    await Outbox.dispatch(h.db, [handler])
    await Outbox.dispatch(h.db, [handler])
    const cycles = await h.request("/api/v1/improvements/cycles", { key: orgs.a.adminKey })
    const fromRisk = cycles.body.items.filter((c: { trigger: { kind: string } }) => c.trigger.kind === "risk")
    expect(fromRisk).toHaveLength(1)
    expect(fromRisk[0].trigger).toMatchObject({ metric: "risk.incidents", value: 1, riskId })
  })

  it("a plan activated, two steps recorded after the fact, closed with a review that opens a cycle", async () => {
    const plan = await h.request("/api/v1/risk/plans", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        title: "Telephony outage",
        scenario: "system_failure",
        triggers: [{ kind: "manual", description: "calls fail" }],
        tiers: [{ id: "t1", name: { "zh-CN": "一级", en: "Tier 1" }, criteria: "one site" }],
        steps: [
          { id: "switch", title: "Switch carrier", role: "supervisor", limitMinutes: 15 },
          { id: "banner", title: "Banner", role: "agent", limitMinutes: 30 },
        ],
        channels: [{ channel: "chat", instead: "phone", how: "more chat agents" }],
        contacts: [{ name: "NOC", role: "vendor", phone: "400" }],
      },
    })
    expect(plan.status).toBe(201)
    const t0 = Date.now() - 3_600_000
    const act = await h.request(`/api/v1/risk/plans/${plan.body.id}/activations`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { tier: "t1", reason: "carrier down", startedAt: new Date(t0).toISOString() },
    })
    expect(act.status).toBe(201)
    for (const [stepId, min] of [
      ["switch", 10],
      ["banner", 40],
    ] as const)
      expect(
        (
          await h.request(`/api/v1/risk/activations/${act.body.id}/entries`, {
            method: "POST",
            key: orgs.a.adminKey,
            body: { note: stepId, stepId, happenedAt: new Date(t0 + min * 60_000).toISOString() },
          })
        ).status,
      ).toBe(201)
    const got = await h.request(`/api/v1/risk/activations/${act.body.id}`, { key: orgs.a.adminKey })
    expect(got.body.checklist.map((s: { id: string; late: boolean }) => [s.id, s.late])).toEqual([
      ["switch", false],
      ["banner", true],
    ])
    expect(
      got.body.timeline.every((e: { recordedAt: string; happenedAt: string }) => e.recordedAt > e.happenedAt),
    ).toBe(true)
    const closed = await h.request(`/api/v1/risk/activations/${act.body.id}/close`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        review: {
          summary: "restored in 50 min",
          whatWorked: "switch",
          whatFailed: "banner late",
          actions: [],
        },
        cycleWorkflowId: "pdca",
      },
    })
    expect(closed.status).toBe(200)
    await Outbox.dispatch(h.db, [riskCycles(h.plugins)])
    const after = await h.request(`/api/v1/risk/activations/${act.body.id}`, { key: orgs.a.adminKey })
    expect(after.body.cycleId).toMatch(/^cyc/)
  })

  it("lists the libraries available and installs Tenet's own by id", async () => {
    const list = await h.request("/api/v1/risk/libraries", { key: orgs.b.adminKey })
    expect(list.body.items[0]).toMatchObject({ source: "builtin", id: "tenet-service-risks" })
    const inst = await h.request("/api/v1/risk/libraries/tenet-service-risks/install", {
      method: "POST",
      key: orgs.b.adminKey,
    })
    expect(inst.status).toBe(201)
    expect(inst.body.categories).toHaveLength(7)
    expect(
      (await h.request("/api/v1/risk/libraries/nope/install", { method: "POST", key: orgs.b.adminKey }))
        .status,
    ).toBe(404)
  })

  it("incidents: the calculator, clocks on the record, a 400 for an unknown data category", async () => {
    const sev = await h.request("/api/v1/risk/severity", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { affectedCustomers: 2_000_000, dataCategories: ["contact"], durationMinutes: 0 },
    })
    expect(sev.body).toEqual({ level: "relatively_major", because: "people" })
    const bad = await h.request("/api/v1/risk/incidents", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        title: "x",
        kind: "data_security",
        startedAt: "2026-01-01T00:00:00Z",
        detectedAt: "2026-01-01T01:00:00Z",
        affectedCustomers: 1,
        dataCategories: ["nope"],
      },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain("dataCategories")
    const inc = await h.request("/api/v1/risk/incidents", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        title: "Leak",
        kind: "data_security",
        startedAt: "2026-01-01T00:00:00Z",
        detectedAt: "2026-01-01T01:00:00Z",
        affectedCustomers: 5,
        dataCategories: ["contact"],
        regimes: ["gdpr"],
      },
    })
    expect(inc.status).toBe(201)
    expect(inc.body.notices).toEqual([
      expect.objectContaining({
        regime: "gdpr",
        notice: "authority",
        dueAt: "2026-01-04T01:00:00.000Z",
        overdue: true,
      }),
    ])
  })

  it("edits a treatment and a KRI's thresholds; bad input is a 400 naming the field, another org's a 404", async () => {
    const t = await h.request("/api/v1/risk/treatments", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        riskId,
        option: "change_likelihood",
        title: "Announce campaigns",
        ownerId: orgs.a.owner.id,
        dueAt: "2030-01-01T00:00:00Z",
      },
    })
    expect(t.status).toBe(201)
    const e = await h.request(`/api/v1/risk/treatments/${t.body.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { option: "share", dueAt: "2030-02-01T00:00:00Z", status: "in_progress" },
    })
    expect(e.status).toBe(200)
    expect(e.body).toMatchObject({
      option: "share",
      dueAt: "2030-02-01T00:00:00.000Z",
      status: "in_progress",
    })
    const bad = await h.request(`/api/v1/risk/treatments/${t.body.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { option: "ignore", dueAt: "soon" },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain("option")
    expect(JSON.stringify(bad.body)).toContain("dueAt")
    const foreign = await h.request(`/api/v1/risk/treatments/${t.body.id}`, {
      method: "PATCH",
      key: orgs.b.adminKey,
      body: { title: "mine" },
    })
    expect(foreign.status).toBe(404)
    const k = await h.request("/api/v1/risk/kris", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { riskId, name: "Incidents", metricId: "risk.incidents", direction: "above", amber: 2, red: 5 },
    })
    const order = await h.request(`/api/v1/risk/kris/${k.body.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { red: 1 },
    })
    expect(order.status).toBe(400)
    expect(JSON.stringify(order.body)).toContain("thresholdOrder")
    const ok = await h.request(`/api/v1/risk/kris/${k.body.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { amber: 1, red: 3, mode: "automatic" },
    })
    expect(ok.body).toMatchObject({ amber: 1, red: 3, mode: "automatic" })
    const agent = await h.request(`/api/v1/risk/kris/${k.body.id}`, {
      method: "PATCH",
      key: orgs.a.agentKey,
      body: { amber: 0 },
    })
    expect(agent.status).toBe(403)
  })

  it("incidents list their affected cases by id or number, checked within the organisation; a case lists its incidents", async () => {
    const mk = async (key: string, subject: string) =>
      (
        await h.request("/api/v1/process/cases", {
          method: "POST",
          key,
          body: { type: "inquiry", channel: "chat", subject },
        })
      ).body as { id: string; number: number }
    const c1 = await mk(orgs.a.agentKey, "chat down 1")
    const c2 = await mk(orgs.a.agentKey, "chat down 2")
    const foreign = await mk(orgs.b.agentKey, "other org")
    const body = {
      title: "Chat down",
      kind: "service",
      startedAt: "2026-02-01T00:00:00Z",
      detectedAt: "2026-02-01T00:10:00Z",
      affectedCustomers: 2,
    }
    const bad = await h.request("/api/v1/risk/incidents", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { ...body, affectedCases: [c1.id, foreign.id, "#99999999"] },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ["/affectedCases/1", "unknownCase"],
      ["/affectedCases/2", "unknownCase"],
    ])
    const inc = await h.request("/api/v1/risk/incidents", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { ...body, affectedCases: [c1.id, `#${c2.number}`, String(c1.number)] },
    })
    expect(inc.status).toBe(201)
    expect(inc.body.affectedCases).toEqual([c1.id, c2.id])
    expect(inc.body.cases).toEqual([
      { id: c1.id, number: c1.number },
      { id: c2.id, number: c2.number },
    ])
    const relinked = await h.request(`/api/v1/risk/incidents/${inc.body.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { affectedCases: [String(c2.number)] },
    })
    expect(relinked.body.cases).toEqual([{ id: c2.id, number: c2.number }])
    const byCase = async (id: string, key = orgs.a.adminKey) =>
      (await h.request(`/api/v1/risk/incidents?caseId=${id}`, { key })).body.items.map(
        (i: { id: string }) => i.id,
      )
    expect(await byCase(c2.id)).toEqual([inc.body.id])
    expect(await byCase(c1.id)).toEqual([])
    expect(await byCase(c2.id, orgs.b.adminKey)).toEqual([])
    const foreignPatch = await h.request(`/api/v1/risk/incidents/${inc.body.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { affectedCases: [foreign.id] },
    })
    expect(foreignPatch.status).toBe(400)
  })

  it("edits a plan and ticks an exercise's follow-up; bad input is a 400 naming the field, another org's a 404", async () => {
    const plan = await h.request("/api/v1/risk/plans", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        title: "Chat outage",
        scenario: "service_interruption",
        triggers: [{ kind: "manual", description: "chat down" }],
        tiers: [{ id: "t1", name: { "zh-CN": "一级", en: "Tier 1" }, criteria: "chat down" }],
        steps: [{ id: "phone", title: "Agents to phone", role: "supervisor", limitMinutes: 15 }],
        channels: [],
        contacts: [],
      },
    })
    const path = `/api/v1/risk/plans/${plan.body.id}`
    const bad = await h.request(path, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { steps: [{ id: "phone", title: "Agents to phone", role: "supervisor", limitMinutes: "soon" }] },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].path).toBe("/steps/0/limitMinutes")
    const noTier = await h.request(path, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { triggers: [{ kind: "manual", description: "x", tier: "t7" }] },
    })
    expect(noTier.status).toBe(400)
    expect(noTier.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ["/triggers/0/tier", "unknownTier"],
    ])
    const ok = await h.request(path, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: {
        title: "Chat and e-mail outage",
        contacts: [{ name: "Vendor", role: "vendor", email: "noc@vendor.example" }],
      },
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ title: "Chat and e-mail outage", steps: [{ id: "phone" }] })
    expect(
      (await h.request(path, { method: "PATCH", key: orgs.b.adminKey, body: { title: "x" } })).status,
    ).toBe(404)
    expect(
      (await h.request(path, { method: "PATCH", key: orgs.a.agentKey, body: { title: "x" } })).status,
    ).toBe(403)

    const ex = await h.request(`${path}/exercises`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        kind: "tabletop",
        heldAt: "2026-11-01T02:00:00Z",
        participants: [],
        findings: [{ text: "phone queue unstaffed", followUp: "standby rota" }],
      },
    })
    expect(ex.body.openFollowUps).toBe(1)
    const tick = `/api/v1/risk/exercises/${ex.body.id}/follow-ups`
    const badTick = await h.request(tick, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { finding: -1, done: true },
    })
    expect(badTick.status).toBe(400)
    expect(badTick.body.errors[0].path).toBe("/finding")
    const unknown = await h.request(tick, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { finding: 3, done: true },
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.errors[0]).toMatchObject({ path: "/finding", code: "unknownFinding" })
    const done = await h.request(tick, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { finding: 0, done: true },
    })
    expect(done.status).toBe(200)
    expect(done.body.openFollowUps).toBe(0)
    expect(done.body.findings[0]).toMatchObject({ done: true, doneBy: expect.stringMatching(/.+/) })
    expect(
      (await h.request(tick, { method: "POST", key: orgs.b.adminKey, body: { finding: 0, done: true } }))
        .status,
    ).toBe(404)
  })
})
