import { Baseline } from "@tenet/standards"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import YAML from "yaml"
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

describe("standards over HTTP", () => {
  let standardId: string
  it("imports a YAML library, refuses an agent, and names bad fields", async () => {
    const text = YAML.stringify(Baseline.copcBaseline())
    expect(
      (
        await h.request("/api/v1/standards/import", {
          method: "POST",
          key: orgs.a.agentKey,
          body: { format: "yaml", text },
        })
      ).status,
    ).toBe(403)
    const bad = await h.request("/api/v1/standards/import", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { format: "yaml", text: text.replace("process.fcr", "process.nope") },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]).toEqual({
      path: "/document/clauses/1/clauses/1/requirements/1/targets/0/metric",
      message: 'unknown metric "process.nope"',
      code: "unknownMetric",
      params: { value: "process.nope" },
    })
    const ok = await h.request("/api/v1/standards/import", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { format: "yaml", text },
    })
    expect(ok.status).toBe(201)
    standardId = ok.body.standardId
    for (const to of ["in_review", "approved", "published"]) {
      const r = await h.request(`/api/v1/standards/${standardId}/versions/1/steps`, {
        method: "POST",
        key: orgs.a.adminKey,
        body: { to },
      })
      expect(r.status).toBe(200)
    }
    const exported = await h.request(`/api/v1/standards/${standardId}/versions/1/export?format=yaml`, {
      key: orgs.a.adminKey,
    })
    expect(YAML.parse(exported.body).id).toBe("copc-aligned-baseline")
  })

  it("maps requirements to each other, refusing unknown ones by field", async () => {
    const reqs = await h.request(`/api/v1/standards/${standardId}/requirements`, { key: orgs.a.agentKey })
    expect(reqs.status).toBe(200)
    const [a, b] = reqs.body.items
    expect(a).toMatchObject({
      id: expect.any(String),
      clause: expect.any(String),
      title: { "zh-CN": expect.any(String) },
    })
    const body = {
      fromStandard: standardId,
      fromRequirement: a.id,
      toStandard: standardId,
      toRequirement: b.id,
      relation: "subset",
      strength: 7,
      rationale: "same metric",
    }
    const ok = await h.request("/api/v1/standards/mappings", { method: "POST", key: orgs.a.adminKey, body })
    expect(ok.status).toBe(201)
    const bad = await h.request("/api/v1/standards/mappings", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { ...body, toRequirement: "R-404", relation: "cousin" },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual([
      {
        path: "/relation",
        message: "must be one of equal, subset, superset, intersect",
        code: "oneOf",
        params: { values: "equal, subset, superset, intersect" },
      },
      {
        path: "/toRequirement",
        message: 'no requirement "R-404" in the newest version of that standard',
        code: "unknownRequirement",
        params: { value: "R-404" },
      },
    ])
    // another organisation cannot map to this one's standard
    const other = await h.request("/api/v1/standards/mappings", {
      method: "POST",
      key: orgs.b.adminKey,
      body,
    })
    expect(other.body.errors.map((e: any) => e.path)).toEqual(["/fromStandard", "/toStandard"])
    const list = await h.request("/api/v1/standards/mappings", { key: orgs.a.adminKey })
    expect(list.body.items).toEqual([
      expect.objectContaining({
        fromRequirement: a.id,
        toRequirement: b.id,
        relation: "subset",
        strength: 7,
      }),
    ])
    expect((await h.request(`/api/v1/standards/nope/requirements`, { key: orgs.a.adminKey })).status).toBe(
      404,
    )
  })

  it("evaluates compliance with evidence, lists the breach, and exports the report", async () => {
    for (let i = 0; i < 3; i++)
      await h.request("/api/v1/process/cases", {
        method: "POST",
        key: orgs.a.agentKey,
        body: {
          type: "inquiry",
          channel: "chat",
          subject: `late ${i}`,
          receivedAt: "2025-03-03T09:00:00+08:00",
        },
      })
    const { body: list } = await h.request("/api/v1/process/cases?limit=10", { key: orgs.a.agentKey })
    for (const c of list.items)
      await h.request(`/api/v1/process/cases/${c.id}/replies`, {
        method: "POST",
        key: orgs.a.agentKey,
        body: { content: "sorry for the wait" },
      })
    const e = await h.request(`/api/v1/standards/${standardId}/evaluations`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { from: "2025-03-01T00:00:00+08:00", to: "2025-04-01T00:00:00+08:00" },
    })
    expect(e.status).toBe(201)
    const inquiry = e.body.results.find((r: any) => r.targetId === "frt-inquiry")
    expect(inquiry).toMatchObject({ value: 0, numerator: 0, denominator: 3, n: 3, status: "breached" })
    const breaches = await h.request("/api/v1/standards/breaches?status=open", { key: orgs.a.adminKey })
    expect(breaches.body.items.map((b: any) => b.targetId)).toContain("frt-inquiry")
    const csv = await h.request(`/api/v1/standards/evaluations/${e.body.id}/report.csv`, {
      key: orgs.a.agentKey,
    })
    expect(String(csv.body)).toContain("frt-inquiry")
    // another organisation sees none of it
    expect(
      (await h.request(`/api/v1/standards/evaluations/${e.body.id}`, { key: orgs.b.adminKey })).status,
    ).toBe(404)
  })

  it("serves dashboard KPIs with n and interval, and a control chart", async () => {
    const k = await h.request("/api/v1/dashboard/kpis?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z", {
      key: orgs.a.agentKey,
    })
    expect(k.status).toBe(200)
    const tile = k.body.items.find((x: any) => x.targetId === "frt-inquiry")
    expect(tile).toMatchObject({ n: 3, status: "breached", target: 0.9 })
    expect(tile.interval.upper).toBeGreaterThan(0)
    expect(tile.series.length).toBeGreaterThan(0)
    const chart = await h.request(
      "/api/v1/metrics/process.first_response_sla/control-chart?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z",
      { key: orgs.a.agentKey },
    )
    expect(chart.status).toBe(200)
    expect(chart.body).toHaveProperty("signals")
  })

  it("stores the cases behind a breach with the evaluation: an old evaluation drills down to them", async () => {
    const evals = await h.request(`/api/v1/standards/evaluations?standardId=${standardId}`, {
      key: orgs.a.adminKey,
    })
    const march = await h.request(`/api/v1/standards/evaluations/${evals.body.items[0].id}`, {
      key: orgs.a.adminKey,
    })
    const inquiry = march.body.results.find((r: any) => r.targetId === "frt-inquiry")
    expect(inquiry.cases).toBe(3)
    const late = (await h.request("/api/v1/process/cases?limit=50", { key: orgs.a.agentKey })).body.items
      .filter((c: any) => /^late \d$/.test(c.subject))
      .map((c: any) => c.id)
      .sort()
    expect(late).toHaveLength(3)
    // another late March case, imported after the evaluation: the old evaluation keeps its own cases
    const later = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { type: "inquiry", channel: "chat", subject: "later", receivedAt: "2025-03-04T09:00:00+08:00" },
    })
    await h.request(`/api/v1/process/cases/${later.body.id}/replies`, {
      method: "POST",
      key: orgs.a.agentKey,
      body: { content: "late too" },
    })
    const cases = await h.request(`/api/v1/standards/breaches/${inquiry.breachId}/cases`, {
      key: orgs.a.agentKey,
    })
    expect(cases.status).toBe(200)
    expect(cases.body).toMatchObject({ total: 3, stored: true, metric: "process.first_response_sla" })
    expect(cases.body.items.map((c: any) => c.id).sort()).toEqual(late)
    expect(cases.body.items[0]).toMatchObject({ subject: expect.stringMatching(/^late \d$/) })
    expect(typeof cases.body.items[0].number).toBe("number")
    // the same drill-down from another organisation finds no breach
    expect(
      (await h.request(`/api/v1/standards/breaches/${inquiry.breachId}/cases`, { key: orgs.b.adminKey }))
        .status,
    ).toBe(404)
  })
})
