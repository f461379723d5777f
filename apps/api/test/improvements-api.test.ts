import { Outbox } from "@tenet/core"
import { Baseline } from "@tenet/standards"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { autoOpenCycles, qaCriticalCycles } from "../src/server"
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

/** Inquiries received now and answered at once (within the 15-minute target). */
const answeredInTime = async (key: string, n: number) => {
  for (let i = 0; i < n; i++) {
    const c = await h.request("/api/v1/process/cases", {
      method: "POST",
      key,
      body: { type: "inquiry", channel: "chat", subject: `after #${i}` },
    })
    await h.request(`/api/v1/process/cases/${c.body.id}/replies`, {
      method: "POST",
      key,
      body: { content: "ok" },
    })
  }
}

describe("plugins", () => {
  it("lists the loaded plugins and their contributions, and installs a plugin's standard", async () => {
    const r = await h.request("/api/v1/plugins", { key: orgs.a.adminKey })
    expect(r.body.items.map((p: any) => [p.id, p.status])).toEqual([
      ["pdca", "loaded"],
      ["eight-d", "loaded"],
      ["dmaic", "loaded"],
      ["a3", "loaded"],
      ["capa", "loaded"],
      ["copc-baseline", "loaded"],
      ["example-standard", "loaded"],
    ])
    const install = await h.request("/api/v1/plugins/copc-baseline/standards/copc-aligned-baseline/install", {
      method: "POST",
      key: orgs.a.adminKey,
    })
    expect(install.status).toBe(201)
    for (const to of ["in_review", "approved", "published"])
      await h.request(`/api/v1/standards/${install.body.standardId}/versions/1/steps`, {
        method: "POST",
        key: orgs.a.adminKey,
        body: { to },
      })
  })

  it("installs a plugin's scorecard and calendar like its standard, once", async () => {
    const key = orgs.b.adminKey
    const before = await h.request("/api/v1/plugins", { key })
    expect(before.body.scorecards).toEqual([
      { plugin: "example-standard", name: "夜班质检 · Night-shift QA", installed: false },
    ])
    expect(before.body.calendars).toEqual([
      { plugin: "example-standard", name: "夜班 · Night shift", installed: false },
    ])
    const card = await h.request(
      `/api/v1/plugins/example-standard/scorecards/${encodeURIComponent("夜班质检 · Night-shift QA")}/install`,
      { method: "POST", key },
    )
    expect(card.status).toBe(201)
    expect(card.body).toMatchObject({ name: "夜班质检 · Night-shift QA", version: 1 })
    const again = await h.request(
      `/api/v1/plugins/example-standard/scorecards/${encodeURIComponent("夜班质检 · Night-shift QA")}/install`,
      { method: "POST", key },
    )
    expect(again.status).toBe(409)
    expect(again.body.errors[0]).toMatchObject({ code: "pluginItemInstalled" })
    const cal = await h.request(
      `/api/v1/plugins/example-standard/calendars/${encodeURIComponent("夜班 · Night shift")}/install`,
      { method: "POST", key },
    )
    expect(cal.status).toBe(201)
    const cards = await h.request("/api/v1/quality/scorecards", { key })
    expect(cards.body.items.map((x: any) => x.name)).toContain("夜班质检 · Night-shift QA")
    const calendars = await h.request("/api/v1/process/calendars", { key })
    expect(calendars.body.items.map((x: any) => x.name)).toContain("夜班 · Night shift")
    const after = await h.request("/api/v1/plugins", { key })
    expect(after.body.scorecards[0].installed).toBe(true)
    expect(after.body.calendars[0].installed).toBe(true)
    expect(
      (await h.request("/api/v1/plugins/example-standard/calendars/nope/install", { method: "POST", key }))
        .status,
    ).toBe(404)
  })
})

describe("a breach becomes a PDCA cycle that closes with a new standard version", () => {
  let cycleId: string
  let standardId: string
  it("opens a cycle from a breach with its baseline, in one click", async () => {
    // March: three inquiries answered far too late (received 10:00 the day before, answered now)
    for (let i = 0; i < 3; i++) {
      const c = await h.request("/api/v1/process/cases", {
        method: "POST",
        key: orgs.a.agentKey,
        body: {
          type: "inquiry",
          channel: "chat",
          subject: `late ${i}`,
          receivedAt: "2025-03-03T10:00:00+08:00",
        },
      })
      await h.request(`/api/v1/process/cases/${c.body.id}/replies`, {
        method: "POST",
        key: orgs.a.agentKey,
        body: { content: "sorry" },
      })
    }
    standardId = (await h.request("/api/v1/standards", { key: orgs.a.adminKey })).body.items[0].id
    const e = await h.request(`/api/v1/standards/${standardId}/evaluations`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { from: "2025-03-01T00:00:00+08:00", to: "2025-04-01T00:00:00+08:00" },
    })
    const breachId = e.body.results.find((r: any) => r.targetId === "frt-inquiry").breachId
    const open = await h.request("/api/v1/improvements/cycles", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { workflowId: "pdca", breachId },
    })
    expect(open.status).toBe(201)
    expect(open.body).toMatchObject({
      stage: "plan",
      status: "active",
      trigger: { kind: "kpi_breach", breachId, metric: "process.first_response_sla", target: 0.9 },
    })
    expect(open.body.baseline).toMatchObject({ value: 0, numerator: 0, denominator: 3, n: 3 })
    cycleId = open.body.id
    const again = await h.request("/api/v1/improvements/cycles", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { workflowId: "pdca", breachId },
    })
    expect(again.status).toBe(409)
  })

  it("guards each stage: required fields and approver role", async () => {
    const early = await h.request(`/api/v1/improvements/cycles/${cycleId}/moves`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { to: "do" },
    })
    expect(early.status).toBe(409)
    expect(early.body.detail).toBe("fill in problem, root_cause, actions before leaving plan")
    expect(early.body.errors[0]).toMatchObject({
      path: "/to",
      code: "stageFieldsMissing",
      params: { fields: "problem, root_cause, actions", stage: "计划 · Plan" },
    })
    const bad = await h.request(`/api/v1/improvements/cycles/${cycleId}/fields`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { values: { target_value: "high" } },
    })
    expect(bad.body.errors).toEqual([
      { path: "/values/target_value", message: "must be a number", code: "number" },
    ])
    await h.request(`/api/v1/improvements/cycles/${cycleId}/fields`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: {
        values: {
          problem: "咨询响应超时",
          root_cause: "午休时段无人值守在线客服",
          actions: "午休轮班（王芳，3 月 10 日）",
          target_value: 0.95,
        },
      },
    })
    const skip = await h.request(`/api/v1/improvements/cycles/${cycleId}/moves`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { to: "check" },
    })
    expect(skip.body.detail).toBe("a pdca cycle cannot go from plan to check")
    expect(skip.body.errors[0]).toMatchObject({
      code: "stageMoveNotAllowed",
      params: { from: "计划 · Plan" },
    })
    expect(
      (
        await h.request(`/api/v1/improvements/cycles/${cycleId}/moves`, {
          method: "POST",
          key: orgs.a.adminKey,
          body: { to: "do" },
        })
      ).status,
    ).toBe(200)
    await h.request(`/api/v1/improvements/cycles/${cycleId}/fields`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { values: { actions_done: "午休轮班已执行" } },
    })
    expect(
      (
        await h.request(`/api/v1/improvements/cycles/${cycleId}/moves`, {
          method: "POST",
          key: orgs.a.adminKey,
          body: { to: "check" },
        })
      ).body.stage,
    ).toBe("check")
  })

  it("Check re-measures the same metric and tests before against after", async () => {
    const from = new Date(Date.now() - 60_000).toISOString()
    await answeredInTime(orgs.a.agentKey, 3)
    const check = await h.request(`/api/v1/improvements/cycles/${cycleId}/check`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { from, to: new Date(Date.now() + 3_600_000).toISOString() },
    })
    expect(check.status).toBe(200)
    const r = check.body.check
    expect(r.after).toMatchObject({ value: 1, numerator: 3, denominator: 3 })
    // 3/3 after against 0/3 before: z = 1 / √(0.5·0.5·(1/3 + 1/3)) = 2.449, p = 0.0143
    expect(r.test.statistic).toBeCloseTo(2.449, 3)
    expect(r.test.pValue).toBeCloseTo(0.0143, 3)
    expect(r.verdict).toBe("worked")
  })

  it("Act standardises: a draft of the next standard version with the new target, linked to the cycle", async () => {
    await h.request(`/api/v1/improvements/cycles/${cycleId}/fields`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { values: { conclusion: "超时消除" } },
    })
    await h.request(`/api/v1/improvements/cycles/${cycleId}/moves`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { to: "act" },
    })
    const act = await h.request(`/api/v1/improvements/cycles/${cycleId}/act`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { decision: "standardize", targetValue: 0.95 },
    })
    expect(act.status).toBe(200)
    expect(act.body.outcome.draft).toMatchObject({ standardId, version: 2, label: "1.2" })
    expect(act.body.outcome.draft.diff[0]).toMatchObject({
      kind: "changed",
      what: "target",
      target: "frt-inquiry",
      after: { value: 0.95 },
    })
    const v2 = await h.request(`/api/v1/standards/${standardId}/versions/2`, { key: orgs.a.adminKey })
    expect(v2.body).toMatchObject({ status: "draft", sourceCycleId: cycleId, label: "1.2" })
    await h.request(`/api/v1/improvements/cycles/${cycleId}/fields`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { values: { decision: "standardize", lessons: "午休也要排班" } },
    })
    const closed = await h.request(`/api/v1/improvements/cycles/${cycleId}/moves`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { to: "closed" },
    })
    expect(closed.body).toMatchObject({ status: "closed", stage: "closed" })
    const breaches = await h.request("/api/v1/standards/breaches?status=open", { key: orgs.a.adminKey })
    expect(breaches.body.items.find((b: any) => b.targetId === "frt-inquiry")).toBeUndefined()
  })

  it("on hold and cancel need a reason; an agent cannot run cycles", async () => {
    const idea = await h.request("/api/v1/improvements/cycles", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { workflowId: "eight-d", kind: "complaint", title: "重复扣款投诉" },
    })
    expect(idea.status).toBe(201)
    const noReason = await h.request(`/api/v1/improvements/cycles/${idea.body.id}/status`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { status: "on_hold" },
    })
    expect(noReason.body.errors[0].path).toBe("/reason")
    expect(
      (
        await h.request("/api/v1/improvements/cycles", {
          method: "POST",
          key: orgs.a.agentKey,
          body: { workflowId: "pdca", kind: "idea", title: "x" },
        })
      ).status,
    ).toBe(403)
  })
})

describe("automatic cycles", () => {
  it("a breach of a standard set to auto-open starts a PDCA cycle by itself, once", async () => {
    const doc = { ...Baseline.copcBaseline(), id: "auto-standard", improvement: { autoOpen: "pdca" } }
    const imp = await h.request("/api/v1/standards/import", {
      method: "POST",
      key: orgs.b.adminKey,
      body: { format: "json", text: JSON.stringify(doc) },
    })
    for (const to of ["in_review", "approved", "published"])
      await h.request(`/api/v1/standards/${imp.body.standardId}/versions/1/steps`, {
        method: "POST",
        key: orgs.b.adminKey,
        body: { to },
      })
    const c = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.b.adminKey,
      body: { type: "inquiry", channel: "chat", subject: "late", receivedAt: "2025-03-03T10:00:00+08:00" },
    })
    await h.request(`/api/v1/process/cases/${c.body.id}/replies`, {
      method: "POST",
      key: orgs.b.adminKey,
      body: { content: "late" },
    })
    await h.request(`/api/v1/standards/${imp.body.standardId}/evaluations`, {
      method: "POST",
      key: orgs.b.adminKey,
      body: { from: "2025-03-01T00:00:00+08:00", to: "2025-04-01T00:00:00+08:00" },
    })
    const handler = autoOpenCycles(h.plugins)
    await Outbox.dispatch(h.db, [handler])
    await Outbox.dispatch(h.db, [handler])
    const cycles = await h.request("/api/v1/improvements/cycles", { key: orgs.b.adminKey })
    const auto = cycles.body.items.filter((x: any) => x.trigger.standardId === imp.body.standardId)
    expect(auto.length).toBeGreaterThan(0)
    expect(new Set(auto.map((x: any) => x.trigger.breachId)).size).toBe(auto.length)
    expect(auto[0]).toMatchObject({ workflowId: "pdca", stage: "plan" })
    expect(
      (await h.request("/api/v1/standards/breaches?status=open", { key: orgs.b.adminKey })).body.items.filter(
        (b: any) => b.standardId === imp.body.standardId,
      ),
    ).toEqual([])
  })
})

describe("cycles from QA critical errors", () => {
  it("a critical error opens a cycle when the scorecard says so, once, and only for its families", async () => {
    const key = orgs.a.adminKey
    const template = (await h.request("/api/v1/quality/scorecards", { key })).body.template
    const bad = await h.request("/api/v1/quality/scorecards", {
      method: "POST",
      key,
      body: {
        name: "bad",
        definition: { ...template, improvement: { autoOpen: "pdca", families: ["nope"] } },
      },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]).toMatchObject({ path: "/definition/improvement/families/0", code: "oneOf" })
    const card = await h.request("/api/v1/quality/scorecards", {
      method: "POST",
      key,
      body: {
        name: "质检（客户类严重差错改进）",
        definition: { ...template, improvement: { autoOpen: "pdca", families: ["customer"] } },
      },
    })
    expect(card.status).toBe(201)
    const made = await h.request("/api/v1/process/cases", {
      method: "POST",
      key,
      body: { type: "complaint", channel: "phone", subject: "错误答复" },
    })
    const answers = { greeting: 1, identity: 1, understand: 5, correct: 1, record: 1, tone: 4, next: 1 }
    const evaluate = (a: Record<string, number>) =>
      h.request("/api/v1/quality/evaluations", {
        method: "POST",
        key,
        body: { scorecardId: card.body.id, caseId: made.body.id, agentId: orgs.a.agent.id, answers: a },
      })
    const customer = await evaluate({ ...answers, correct: 0 })
    expect(customer.status).toBe(201)
    // a business error only: not a family this scorecard opens cycles for
    expect((await evaluate({ ...answers, record: 0 })).status).toBe(201)
    const handler = qaCriticalCycles(h.plugins)
    await Outbox.dispatch(h.db, [handler])
    await Outbox.dispatch(h.db, [handler])
    const cycles = (await h.request("/api/v1/improvements/cycles", { key })).body.items.filter(
      (x: any) => x.trigger.kind === "qa_critical_error",
    )
    expect(cycles).toHaveLength(1)
    expect(cycles[0]).toMatchObject({
      workflowId: "pdca",
      stage: "plan",
      trigger: { caseId: made.body.id, evaluationId: customer.body.id, families: ["customer"] },
    })
    expect(cycles[0].title).toMatch(/^质检严重差错 · QA critical error: #\d+ \(customer\)$/)
  })
})

describe("closing a cycle without data after the change", () => {
  it("Check found no data: Act → Closed needs a reason, which the history keeps", async () => {
    const key = orgs.b.adminKey
    const list = await h.request("/api/v1/improvements/cycles", { key })
    const c = list.body.items.find((x: any) => x.trigger.metric && x.stage === "plan" && x.baseline)
    expect(c).toBeDefined()
    const url = `/api/v1/improvements/cycles/${c.id}`
    const step = async (values: Record<string, unknown>, to: string) => {
      expect((await h.request(`${url}/fields`, { method: "PATCH", key, body: { values } })).status).toBe(200)
      const m = await h.request(`${url}/moves`, { method: "POST", key, body: { to } })
      expect(m.status, JSON.stringify(m.body)).toBe(200)
    }
    await step({ problem: "超时", root_cause: "排班", actions: "调整排班" }, "do")
    await step({ actions_done: "已调整" }, "check")
    // a window without a single case: nothing to re-measure
    const check = await h.request(`${url}/check`, {
      method: "POST",
      key,
      body: { from: "2020-01-01T00:00:00Z", to: "2020-01-02T00:00:00Z" },
    })
    expect(check.status).toBe(200)
    expect(check.body.check.verdict).toBe("no_data")
    await step({ conclusion: "没有数据" }, "act")
    await h.request(`${url}/fields`, {
      method: "PATCH",
      key,
      body: { values: { decision: "adjust", lessons: "先收集数据" } },
    })
    const refused = await h.request(`${url}/moves`, { method: "POST", key, body: { to: "closed" } })
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0]).toMatchObject({ path: "/to", code: "closeNoDataAfter" })
    const blank = await h.request(`${url}/moves`, { method: "POST", key, body: { to: "closed", note: "  " } })
    expect(blank.status).toBe(409)
    const closed = await h.request(`${url}/moves`, {
      method: "POST",
      key,
      body: { to: "closed", note: "业务线已撤销，无法复测" },
    })
    expect(closed.status).toBe(200)
    expect(closed.body).toMatchObject({ status: "closed", stage: "closed" })
    expect(closed.body.history.at(-1)).toMatchObject({
      from: "act",
      to: "closed",
      note: "业务线已撤销，无法复测",
    })
  })
})

describe("workflows imported as data", () => {
  const yaml = `id: complaint-review
version: "1.0.0"
name: { en: Complaint review, zh-CN: 投诉复盘 }
triggers: [complaint, idea]
stages:
  - id: review
    name: { en: Review, zh-CN: 复盘 }
    fields:
      type: object
      properties:
        cause: { type: string, title: Cause }
    guard: { required: [cause] }
  - id: done
    name: { en: Done, zh-CN: 完成 }
    terminal: true
transitions:
  - { from: review, to: done }
`
  it("imports a YAML workflow without code and runs a cycle on it", async () => {
    const r = await h.request("/api/v1/improvements/workflows/import", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { format: "yaml", text: yaml },
    })
    expect(r.status).toBe(201)
    expect(r.body).toEqual({ id: "complaint-review", version: "1.0.0", replaced: false })
    const list = await h.request("/api/v1/improvements/workflows", { key: orgs.a.adminKey })
    expect(list.body.items.find((w: any) => w.id === "complaint-review")).toMatchObject({
      source: "library",
      stages: [{ id: "review" }, { id: "done" }],
    })
    expect(list.body.items.find((w: any) => w.id === "pdca")).toMatchObject({
      source: "plugin",
      plugin: "pdca",
    })
    // another organisation does not see it
    const other = await h.request("/api/v1/improvements/workflows", { key: orgs.b.adminKey })
    expect(other.body.items.some((w: any) => w.id === "complaint-review")).toBe(false)
    const c = await h.request("/api/v1/improvements/cycles", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { workflowId: "complaint-review", title: "Billing complaints", kind: "complaint" },
    })
    expect(c.status).toBe(201)
    const early = await h.request(`/api/v1/improvements/cycles/${c.body.id}/moves`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { to: "done" },
    })
    expect(early.status).toBe(409)
    const again = await h.request("/api/v1/improvements/workflows/import", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { format: "yaml", text: yaml.replace('"1.0.0"', '"1.1.0"') },
    })
    expect(again.body).toEqual({ id: "complaint-review", version: "1.1.0", replaced: true })
  })

  it("refuses a bad definition naming the field, a plugin's id, and a member without the right", async () => {
    const bad = await h.request("/api/v1/improvements/workflows/import", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        format: "yaml",
        text: yaml
          .replace("to: done }", "to: finished }")
          .replace("[complaint, idea]", "[complaint, rumour]"),
      },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual([
      {
        path: "/document/triggers/1",
        message:
          'unknown trigger "rumour"; one of kpi_breach, control_chart_signal, complaint, audit_finding, qa_critical_error, risk, idea',
        code: "workflowDocument",
        params: {
          detail:
            'unknown trigger "rumour"; one of kpi_breach, control_chart_signal, complaint, audit_finding, qa_critical_error, risk, idea',
        },
      },
      {
        path: "/document/transitions/0/to",
        message: 'unknown stage "finished"',
        code: "workflowDocument",
        params: { detail: 'unknown stage "finished"' },
      },
    ])
    const taken = await h.request("/api/v1/improvements/workflows/import", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { format: "yaml", text: yaml.replace("id: complaint-review", "id: pdca") },
    })
    expect(taken.status).toBe(400)
    expect(taken.body.errors[0]).toEqual({
      path: "/document/id",
      message: '"pdca" is contributed by plugin pdca; choose another id',
      code: "idTaken",
      params: { value: "pdca", plugin: "pdca" },
    })
    const agent = await h.request("/api/v1/improvements/workflows/import", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { format: "yaml", text: yaml },
    })
    expect(agent.status).toBe(403)
    const list = await h.request("/api/v1/improvements/workflows", { key: orgs.a.adminKey })
    expect(list.body.items.find((w: any) => w.id === "complaint-review").version).toBe("1.1.0")
  })
})
