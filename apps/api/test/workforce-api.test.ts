import { Workforce } from "@tenet/process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>
beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
  // a few days of phone cases for org a
  const now = Date.now()
  for (let d = 1; d <= 20; d++)
    for (let k = 0; k < 3; k++) {
      const r = await h.request("/api/v1/process/cases", {
        method: "POST",
        key: orgs.a.adminKey,
        body: {
          type: "inquiry",
          channel: "phone",
          subject: `call ${d}/${k}`,
          team: "technical",
          receivedAt: new Date(now - d * 86_400_000 + k * 900_000).toISOString(),
        },
      })
      expect(r.status).toBe(201)
    }
})
afterAll(async () => {
  await h.db.close()
})

describe("workforce API", () => {
  it("plans every queue, with a what-if", async () => {
    const r = await h.request("/api/v1/workforce/plan?intervalMinutes=60&horizonDays=2&historyDays=28", {
      key: orgs.a.adminKey,
    })
    expect(r.status).toBe(200)
    const body = r.body as {
      starts: string[]
      queues: Array<{ queue: { channel: string; team: string }; intervals: Array<{ forecast: number }> }>
    }
    expect(body.starts).toHaveLength(48)
    const q = body.queues.find((x) => x.queue.channel === "phone" && x.queue.team === "technical")
    expect(q?.intervals).toHaveLength(48)
    const more = await h.request(
      "/api/v1/workforce/plan?intervalMinutes=60&horizonDays=2&historyDays=28&volumeChange=1",
      { key: orgs.a.adminKey },
    )
    const q2 = (more.body as typeof body).queues.find(
      (x) => x.queue.channel === "phone" && x.queue.team === "technical",
    )
    const sum = (x: typeof q) => (x?.intervals ?? []).reduce((a, i) => a + i.forecast, 0)
    expect(sum(q2)).toBeCloseTo(2 * sum(q), 6)
  })
  it("refuses bad input naming the field", async () => {
    const r = await h.request("/api/v1/workforce/plan?intervalMinutes=20", { key: orgs.a.adminKey })
    expect(r.status).toBe(400)
    expect(JSON.stringify(r.body)).toContain("intervalMinutes")
    const s = await h.request("/api/v1/workforce/queues", {
      method: "PUT",
      key: orgs.a.adminKey,
      body: {
        channel: "phone",
        team: "technical",
        model: "erlang_a",
        targetLevel: 1.5,
        targetSeconds: 20,
        ahtSeconds: 300,
        patienceSeconds: 120,
        concurrency: 1,
        shrinkage: 0.3,
        surgeThreshold: 0.15,
      },
    })
    expect(s.status).toBe(400)
    // a range check is a code with its bounds, which the admin shows in the reader's language
    expect(s.body.errors).toEqual([
      expect.objectContaining({ path: "/targetLevel", code: "between", params: { min: 0.01, max: 0.99 } }),
    ])
  })
  it("saves queue settings and shifts; agents may not plan", async () => {
    const s = await h.request("/api/v1/workforce/queues", {
      method: "PUT",
      key: orgs.a.adminKey,
      body: {
        channel: "phone",
        team: "technical",
        model: "erlang_c",
        targetLevel: 0.8,
        targetSeconds: 20,
        ahtSeconds: 240,
        patienceSeconds: null,
        concurrency: 1,
        shrinkage: 0.25,
        surgeThreshold: 0.1,
      },
    })
    expect(s.status).toBe(200)
    const shift = await h.request("/api/v1/workforce/shifts", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        teamId: "technical",
        userId: "usr_x",
        weekdays: [1, 2, 3, 4, 5],
        startTime: "09:00",
        endTime: "18:00",
        validFrom: "2026-01-01",
      },
    })
    expect(shift.status).toBe(201)
    const list = await h.request("/api/v1/workforce/shifts", { key: orgs.a.adminKey })
    expect((list.body as { items: unknown[] }).items).toHaveLength(1)
    const other = await h.request("/api/v1/workforce/shifts", { key: orgs.b.adminKey })
    expect((other.body as { items: unknown[] }).items).toHaveLength(0)
    const queues = await h.request("/api/v1/workforce/queues", { key: orgs.a.adminKey })
    expect(
      (queues.body as { items: Array<{ saved: boolean; ahtSeconds: number }> }).items.find((q) => q.saved)
        ?.ahtSeconds,
    ).toBe(240)
    const agent = await h.request("/api/v1/workforce/plan", { key: orgs.a.agentKey })
    expect(agent.status).toBe(403)
  })
  it("accuracy and surges answer", async () => {
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString()
    const to = new Date().toISOString()
    const a = await h.request(`/api/v1/workforce/accuracy?from=${from}&to=${to}`, { key: orgs.a.adminKey })
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ intervalMinutes: 30, daily: [], intervals: [] })
    const c = await h.request("/api/v1/workforce/surges/check", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { lookaheadHours: 24 },
    })
    expect(c.status).toBe(200)
    const l = await h.request("/api/v1/workforce/surges", { key: orgs.a.adminKey })
    expect((l.body as { items: unknown[] }).items.length).toBe((c.body as { items: unknown[] }).items.length)
  })
  it("after a backfill, accuracy has a figure per past day equal to wMAPE of its intervals, per queue or summed", async () => {
    const kept = await Workforce.backfillForecasts(h.db, orgs.a.org.id, { days: 7, intervalMinutes: 60 })
    expect(kept).toBeGreaterThanOrEqual(7 * 24)
    const from = new Date(Date.now() - 8 * 86_400_000).toISOString()
    const to = new Date().toISOString()
    const url = `/api/v1/workforce/accuracy?from=${from}&to=${to}&intervalMinutes=60`
    const a = await h.request(url, { key: orgs.a.adminKey })
    expect(a.status).toBe(200)
    type Row = { channel?: string; team?: string; start: string; forecast: number; actual: number }
    const body = a.body as {
      daily: Array<{ bucket: string; value: number | null; denominator: number; n: number }>
      intervals: Row[]
    }
    expect(body.daily.length).toBeGreaterThanOrEqual(6)
    // each day's figure is wMAPE over that day's ended intervals, recomputed from the raw rows
    const now = Date.now()
    const day = (iso: string) =>
      new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(iso))
    for (const d of body.daily) {
      const rows = body.intervals.filter(
        (i) => day(i.start) === d.bucket && Date.parse(i.start) + 3_600_000 <= now,
      )
      const actual = rows.reduce((x, r) => x + r.actual, 0)
      const error = rows.reduce((x, r) => x + Math.abs(r.actual - r.forecast), 0)
      expect(d.n).toBe(rows.length)
      expect(d.denominator).toBe(actual)
      expect(d.value).toBe(actual > 0 ? d.value : null)
      if (actual > 0) expect(d.value).toBeCloseTo(error / actual, 9)
    }
    // the arrivals counted are the cases received in each interval
    expect(body.intervals.reduce((x, i) => x + i.actual, 0)).toBeGreaterThan(0)
    const total = await h.request(`${url}&detail=total`, { key: orgs.a.adminKey })
    const summed = (total.body as { intervals: Row[] }).intervals
    expect(summed.length).toBe(new Set(body.intervals.map((i) => i.start)).size)
    expect(summed[0]?.channel).toBeUndefined()
    const sum = (rows: Row[], f: "forecast" | "actual") => rows.reduce((x, i) => x + i[f], 0)
    expect(sum(summed, "actual")).toBe(sum(body.intervals, "actual"))
    expect(sum(summed, "forecast")).toBeCloseTo(sum(body.intervals, "forecast"), 6)
    const bad = await h.request(`${url}&detail=all`, { key: orgs.a.adminKey })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain("detail")
  })
  it("a case's handling time: a whole number of seconds, or a 400 naming the field", async () => {
    const c = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { type: "inquiry", channel: "phone", subject: "timed call", team: "technical" },
    })
    const id = (c.body as { id: string }).id
    const bad = await h.request(`/api/v1/process/cases/${id}/transitions`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { to: "resolved", handleSeconds: 0 },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain("handleSeconds")
    const ok = await h.request(`/api/v1/process/cases/${id}/transitions`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { to: "resolved", handleSeconds: 420 },
    })
    expect(ok.status).toBe(200)
    const queues = await h.request("/api/v1/workforce/queues", { key: orgs.a.adminKey })
    const q = (
      queues.body as {
        items: Array<{ channel: string; team: string; handling: { n: number; measuredSeconds: number } }>
      }
    ).items.find((x) => x.channel === "phone" && x.team === "technical")
    expect(q?.handling).toMatchObject({ n: 1, measuredSeconds: 420, source: "settings" })
  })
  it("extreme settings: a 400 naming the field, or a plan of finite numbers — never NaN or a 500", async () => {
    const queue = (over: Record<string, unknown>) =>
      h.request("/api/v1/workforce/queues", {
        method: "PUT",
        key: orgs.a.adminKey,
        body: {
          channel: "phone",
          team: "technical",
          model: "erlang_a",
          targetLevel: 0.8,
          targetSeconds: 20,
          ahtSeconds: 300,
          patienceSeconds: 120,
          concurrency: 1,
          shrinkage: 0.3,
          surgeThreshold: 0.15,
          ...over,
        },
      })
    /** Every forecast, need, schedule, gap and service level is a finite number. */
    const finitePlan = async (query: string) => {
      const r = await h.request(`/api/v1/workforce/plan?intervalMinutes=60&horizonDays=2&${query}`, {
        key: orgs.a.adminKey,
      })
      expect(r.status, `${query}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200)
      const body = r.body as { queues: Array<{ intervals: Array<Record<string, unknown>> }> }
      expect(body.queues.length).toBeGreaterThan(0)
      for (const q of body.queues)
        for (const i of q.intervals)
          for (const k of ["forecast", "lower", "upper", "required", "requiredScheduled", "scheduled", "gap"])
            expect(Number.isFinite(i[k]), `${query} ${k}=${String(i[k])}`).toBe(true)
      return body
    }
    // no patience, a 100 % target: refused at the door, naming the field
    for (const [over, field] of [
      [{ patienceSeconds: 0 }, "patienceSeconds"],
      [{ targetLevel: 1 }, "targetLevel"],
      [{ ahtSeconds: 0 }, "ahtSeconds"],
      [{ shrinkage: 1 }, "shrinkage"],
      [{ concurrency: 0 }, "concurrency"],
    ] as const) {
      const r = await queue(over)
      expect(r.status).toBe(400)
      expect(JSON.stringify(r.body)).toContain(field)
    }
    for (const [q, field] of [
      ["targetLevel=1", "targetLevel"],
      ["shrinkage=1", "shrinkage"],
      ["ahtFactor=0", "ahtFactor"],
      ["volumeChange=-1", "volumeChange"],
      ["intervalMinutes=1440", "intervalMinutes"],
    ] as const) {
      const r = await h.request(`/api/v1/workforce/plan?${q}`, { key: orgs.a.adminKey })
      expect(r.status).toBe(400)
      expect(JSON.stringify(r.body)).toContain(field)
    }
    // the extremes the door lets in are planned: the shortest patience, a 0 s target, the highest
    // target, most shrinkage, least volume and ten times the handling time
    expect((await queue({ patienceSeconds: 1, targetSeconds: 0, targetLevel: 0.99 })).status).toBe(200)
    await finitePlan("shrinkage=0.95&volumeChange=-0.9&ahtFactor=10&targetLevel=0.99&targetSeconds=0")
    // deferred work due at once (a 0 s response target), and chat at the most concurrency
    expect((await queue({ model: "deferred", targetSeconds: 0, patienceSeconds: null })).status).toBe(200)
    await finitePlan("volumeChange=10")
    expect((await queue({ model: "chat", concurrency: 20, patienceSeconds: null })).status).toBe(200)
    await finitePlan("targetSeconds=604800")
    // back to the defaults for the tests after this one
    expect((await queue({})).status).toBe(200)
  })
})
