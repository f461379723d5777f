import { Change } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { loadPlugins, QUARANTINE_AFTER } from "../src/host"
import { definePlugin, notificationEvent } from "../src/index"
import { startTestHost, type TestHost } from "../src/testing"

const good = definePlugin({ id: "good-one", version: "1.0.0", engines: { tenet: "^0.1" } })

describe("loading", () => {
  it("refuses a bad manifest with the plugin, the field and the reason, and loads the rest", async () => {
    const host = await loadPlugins([
      {
        source: "plugins/bad",
        load: async () => definePlugin({ id: "Bad_Name", version: "one", engines: { tenet: "^0.1" } }),
      },
      { source: "plugins/good", load: async () => good },
    ])
    expect(host.plugins.map((p) => p.status)).toEqual(["refused", "loaded"])
    expect(host.problems()).toEqual([
      'plugin Bad_Name: id: must be kebab-case (a-z, 0-9 and single dashes), got "Bad_Name"',
      'plugin Bad_Name: version: must be a semver version such as "1.0.0", got "one"',
    ])
  })
  it("refuses an incompatible engines range", async () => {
    const host = await loadPlugins([
      {
        source: "x",
        load: async () => definePlugin({ id: "future", version: "2.0.0", engines: { tenet: "^3" } }),
      },
    ])
    expect(host.problems()).toEqual([
      "plugin future: engines.tenet: requires Tenet ^3, but this is Tenet 0.1.0",
    ])
  })
  it("refuses a module that is not a plugin, or cannot load, and a workflow with broken transitions", async () => {
    const host = await loadPlugins([
      { source: "plugins/plain", load: async () => ({ hello: "world" }) },
      {
        source: "plugins/crash",
        load: async () => Promise.reject(new Error("SyntaxError: Unexpected token")),
      },
      {
        source: "plugins/wf",
        load: async () =>
          definePlugin({
            id: "wf",
            version: "1.0.0",
            engines: { tenet: "^0.1" },
            contributes: {
              workflows: [
                {
                  id: "w",
                  version: "1",
                  name: { en: "W", "zh-CN": "W" },
                  triggers: ["idea"],
                  stages: [
                    { id: "a", name: { en: "A", "zh-CN": "甲" } },
                    { id: "b", name: { en: "B", "zh-CN": "乙" }, terminal: true },
                  ],
                  transitions: [{ from: "a", to: "z" }],
                },
              ],
            },
          }),
      },
    ])
    expect(host.problems()).toEqual([
      "plugin plugins/plain: (default export): is not a plugin: export default definePlugin({ id, version, engines: { tenet } })",
      "plugin plugins/crash: (module): cannot be loaded: SyntaxError: Unexpected token",
      'plugin wf: contributes.workflows[0].transitions[0].to: unknown stage "z"',
    ])
  })
})

describe("standards' targets", () => {
  const withTarget = (metric: string) =>
    definePlugin({
      id: "std-metric",
      version: "1.0.0",
      engines: { tenet: "^0.1" },
      contributes: {
        standards: [
          {
            format: "tenet-standard/v1",
            id: "s",
            version: "1",
            title: { en: "S", "zh-CN": "S" },
            clauses: [
              {
                id: "1",
                title: { en: "1", "zh-CN": "1" },
                clauses: [
                  {
                    id: "1.1",
                    title: { en: "1.1", "zh-CN": "1.1" },
                    requirements: [
                      {
                        id: "1.1.1",
                        title: { en: "r", "zh-CN": "r" },
                        targets: [{ id: "t", metric, operator: ">=", value: 0.9 }],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    })
  const known = (id: string) => id === "process.first_response_sla"
  it("refuses a target naming a metric that does not exist, with its path", async () => {
    const host = await loadPlugins(
      [{ source: "x", load: async () => withTarget("process.no_such_metric") }],
      {
        knownMetric: known,
      },
    )
    expect(host.plugins[0]!.status).toBe("refused")
    expect(host.problems()).toEqual([
      'plugin std-metric: contributes.standards[0].clauses[0].clauses[0].requirements[0].targets[0].metric: unknown metric "process.no_such_metric"; a metric of the registry or one this plugin contributes',
    ])
  })
  it("accepts a target naming a registered metric", async () => {
    const host = await loadPlugins(
      [{ source: "x", load: async () => withTarget("process.first_response_sla") }],
      {
        knownMetric: known,
      },
    )
    expect(host.problems()).toEqual([])
    expect(host.plugins[0]!.status).toBe("loaded")
  })
})

describe("isolation", () => {
  let t: TestHost
  let calls = 0
  beforeAll(async () => {
    t = await startTestHost({
      plugins: [
        definePlugin({
          id: "flaky",
          version: "1.0.0",
          engines: { tenet: "^0.1" },
          handlers: [
            {
              name: "throws",
              events: ["test.*"],
              handle: async () => {
                calls++
                throw new Error("plugin bug")
              },
            },
            { name: "hangs", events: ["test.*"], timeoutMs: 50, handle: () => new Promise(() => {}) },
          ],
        }),
      ],
    })
  })
  afterAll(() => t.stop())

  it("a plugin given as a value runs in the test's thread: a throwing handler is retried in order, then quarantined; a hanging one times out", async () => {
    expect(t.host.plugins[0]!.isolation).toBe("in-process")
    for (let i = 0; i < 4; i++)
      await Change.change(t.db, t.ctx, ({ emit }) =>
        emit({ type: "test.happened", aggregateType: "x", aggregateId: `x${i}` }),
      )
    for (let i = 0; i < QUARANTINE_AFTER + 1; i++) await t.dispatch()
    const state = t.host.plugins[0]!.handlers
    expect(state[0]).toMatchObject({ name: "throws", quarantined: true, lastError: "plugin bug" })
    expect(calls).toBe(QUARANTINE_AFTER)
    expect(state[1]).toMatchObject({ name: "hangs", quarantined: true })
    expect(state[1]!.lastError).toContain("took longer than 50 ms")
    // the host keeps working; later events wait for the quarantined handlers (not delivered, not lost)
    await Change.change(t.db, t.ctx, ({ emit }) =>
      emit({ type: "test.later", aggregateType: "x", aggregateId: "y" }),
    )
    await t.dispatch()
    expect(calls).toBe(QUARANTINE_AFTER)
    const reports = await t.host.handlerReports(t.db, t.ctx.orgId)
    expect(reports.map((r) => [r.name, r.quarantined, r.waiting])).toEqual([
      ["throws", true, 5],
      ["hangs", true, 5],
    ])
  })
})

describe("notify() in the test's thread", () => {
  it("publishes the request in the event's organisation, once per event, with the plugin's own kind", async () => {
    const t = await startTestHost({
      plugins: [
        definePlugin({
          id: "acme-qa",
          version: "1.0.0",
          engines: { tenet: "^0.1" },
          handlers: [
            {
              name: "low-score",
              events: ["qa.low"],
              handle: async (event, { notify }) =>
                notify({
                  kind: "acme-qa.low-score",
                  title: { en: "Low QA score", "zh-CN": "质检低分" },
                  recipients: [{ type: "case_owner" }, { type: "team_leader" }],
                  subject: { type: "case", id: event.aggregateId },
                }),
            },
          ],
        }),
      ],
    })
    try {
      await Change.change(t.db, t.ctx, ({ emit }) =>
        emit({ type: "qa.low", aggregateType: "case", aggregateId: "cas_1" }),
      )
      await t.dispatch()
      const rows = (
        await sql<{ org_id: string; payload: { kind: string; dedupeKey: string } }>`select org_id, payload
          from core.outbox_event where type = 'core.notification.requested'`.execute(t.db.kysely)
      ).rows
      expect(rows).toHaveLength(1)
      expect(rows[0]!.org_id).toBe(t.ctx.orgId)
      expect(rows[0]!.payload.kind).toBe("acme-qa.low-score")
      expect(rows[0]!.payload.dedupeKey).toMatch(/^plugin:acme-qa:acme-qa\.low-score:/)
    } finally {
      await t.stop()
    }
  })

  it("refuses a request it could never deliver, naming the field", () => {
    const event = { id: "evt_1", orgId: "org_1" }
    const ok = {
      kind: "p.k",
      title: { en: "T", "zh-CN": "题" },
      recipients: [{ type: "user", id: "usr_1" }],
      subject: { type: "case", id: "cas_1" },
    }
    expect(notificationEvent("p", event, ok).type).toBe("core.notification.requested")
    const why = (patch: Record<string, unknown>) => {
      try {
        notificationEvent("p", event, { ...ok, ...patch })
        return "accepted"
      } catch (e) {
        return (e as Error).message
      }
    }
    expect(why({ kind: "sla.breached" })).toContain("kind must be")
    expect(why({ title: { en: "T" } })).toContain("title must hold en and zh-CN")
    expect(why({ recipients: [] })).toContain("recipients must list")
    expect(why({ recipients: [{ type: "role", role: "boss" }] })).toContain("recipients/0")
    expect(why({ subject: { type: "case" } })).toContain("subject must be")
    expect(why({ params: { x: { deep: true } } })).toContain("params must be")
  })
})
