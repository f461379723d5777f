/**
 * Every table the admin shows can be exported as CSV and XLSX, streamed by the server (#13).
 *
 * - Every endpoint marked `exportable` is downloaded in both formats on the demo organisation (and rows
 *   this test adds where the demo has none): headers as asked (Chinese and English), the same rows as
 *   the JSON answer, a real value read back from the XLSX with exceljs (the server's own writer),
 *   instants in the organisation's time zone, member names and value labels where asked.
 * - Every table of the admin pages (apps/admin/src/pages) has an export whose URL is an exportable
 *   endpoint, so a new table without an export, or an export the server does not offer, fails here.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { makeTestDatabase } from "@tenet/core/testing"
import a3 from "@tenet/plugin-a3"
import capa from "@tenet/plugin-capa"
import copc from "@tenet/plugin-copc-baseline"
import dmaic from "@tenet/plugin-dmaic"
import eightD from "@tenet/plugin-eight-d"
import example from "@tenet/plugin-example-standard"
import pdca from "@tenet/plugin-pdca"
import { loadPlugins } from "@tenet/plugin-sdk/host"
import ExcelJS from "exceljs"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createApp, ENDPOINTS } from "../src/app"
import { DEMO, seedDemo } from "../src/demo"
import { localDateTime } from "../src/http/export"
import { MODULES } from "../src/modules"
import { createDelivery } from "../src/webhooks/deliver"

const ORIGIN = "http://localhost"
const ZONE = "Asia/Shanghai" // the demo organisation's
let app: ReturnType<typeof createApp>
let db: Awaited<ReturnType<typeof makeTestDatabase>>
let orgId: string
const ids: Record<string, string> = {}

/** The demo owner's session (lists of one person — notifications, saved views — are theirs). */
let cookie: string
const headers = (more: Record<string, string> = {}) => ({
  cookie,
  origin: ORIGIN,
  "x-tenet-org": orgId,
  ...more,
})
const get = async (path: string) => {
  const res = await app.request(`${ORIGIN}${path}`, { headers: headers() })
  return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) }
}
const json = async (path: string) => {
  const r = await get(path)
  expect(r.status, `${path}: ${new TextDecoder().decode(r.body).slice(0, 300)}`).toBe(200)
  return JSON.parse(new TextDecoder().decode(r.body))
}
const send = async (method: string, path: string, body: unknown, contentType = "application/json") => {
  const res = await app.request(`${ORIGIN}${path}`, {
    method,
    headers: headers({ "content-type": contentType }),
    body: typeof body === "string" ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}
const created = (r: { status: number; body: unknown }) =>
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300)
const readXlsx = async (data: Uint8Array) => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer)
  const out: unknown[][] = []
  wb.worksheets[0]!.eachRow({ includeEmpty: true }, (row) => out.push((row.values as unknown[]).slice(1)))
  return out
}
const csvLines = (data: Uint8Array) => {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(data)
  expect(text.charCodeAt(0)).toBe(0xfeff)
  return text.slice(1).trimEnd().split("\n")
}

/** The path of an exportable operation with its parameters, and the query a screen sends. */
const PATHS: Record<string, () => string> = {
  listStandardVersions: () => `/api/v1/standards/${ids.standard}/versions`,
  getEvaluation: () => `/api/v1/standards/evaluations/${ids.evaluation}`,
  getRisk: () => `/api/v1/risk/risks/${ids.risk}`,
  getCalibration: () => `/api/v1/quality/calibrations/${ids.calibration}`,
  getImport: () => `/api/v1/process/imports/${ids.import}`,
  listWebhookDeliveries: () => `/api/v1/webhooks/${ids.webhook}/deliveries`,
  surveyResults: () => {
    const to = new Date()
    const from = new Date(to.getTime() - 60 * 86_400_000)
    return `/api/v1/feedback/results?${new URLSearchParams({ kind: "csat", from: from.toISOString(), to: to.toISOString() })}`
  },
  listSurveyResponses: () => {
    const to = new Date()
    const from = new Date(to.getTime() - 60 * 86_400_000)
    return `/api/v1/feedback/responses?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString() })}`
  },
}

/** The rows of a JSON answer as the export takes them. */
const rowsOfAnswer = (
  op: (typeof ENDPOINTS)[number],
  answer: unknown,
): ReadonlyArray<Record<string, unknown>> => {
  const e = op.exportable
  const rows =
    typeof e === "object"
      ? e.rows(answer)
      : Array.isArray(answer)
        ? answer
        : (answer as { items: unknown[] }).items
  return (rows ?? []) as ReadonlyArray<Record<string, unknown>>
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const isLocalized = (v: unknown): v is Record<string, string> =>
  v !== null &&
  typeof v === "object" &&
  !Array.isArray(v) &&
  Object.keys(v).length > 0 &&
  Object.keys(v).every((k) => k === "zh-CN" || k === "en")
/** A scalar field worth checking: a text, number, instant or a text in both languages. */
const checkable = (v: unknown) =>
  typeof v === "number" || (typeof v === "string" && v !== "") || typeof v === "boolean" || isLocalized(v)

beforeAll(async () => {
  db = await makeTestDatabase(MODULES.slice(1))
  const plugins = await loadPlugins(
    [pdca, eightD, dmaic, a3, capa, copc, example].map((p) => ({ source: p.id, load: async () => p })),
  )
  app = createApp({ db, logError: () => {}, plugins })
  ;({ orgId } = await seedDemo(db, { days: 21 }))
  const signIn = await app.request(`${ORIGIN}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: DEMO.people[0]!.email, password: DEMO.password }),
  })
  expect(signIn.status).toBe(200)
  cookie = signIn.headers.get("set-cookie")!.split(";")[0]!
  // ids of the resources that hold a table, and rows where the demo has none
  const standards = (await json("/api/v1/standards")).items
  ids.standard = standards[0].id
  const evaluations = (await json("/api/v1/standards/evaluations")).items
  if (evaluations.length === 0) {
    const ev = await send("POST", `/api/v1/standards/${ids.standard}/evaluate`, {})
    expect(ev.status, JSON.stringify(ev.body)).toBeLessThan(300)
  }
  ids.evaluation = (await json("/api/v1/standards/evaluations")).items[0].id
  ids.risk = (await json("/api/v1/risk/risks")).items[0].id
  ids.calibration = (await json("/api/v1/quality/calibrations")).items[0]?.id
  ids.webhook = (await json("/api/v1/webhooks")).items[0]?.id
  const imported = await send(
    "POST",
    "/api/v1/process/imports?format=csv&name=exports.csv",
    "subject,type,channel,receivedAt\n导出测试,inquiry,chat,2026-11-01T08:00:00Z\n,not-a-type,chat,yesterday\n",
    "application/octet-stream",
  )
  expect(imported.status, JSON.stringify(imported.body)).toBe(201)
  expect(imported.body.failed).toBeGreaterThan(0)
  ids.import = imported.body.runId
  created(await send("POST", "/api/v1/invitations", { email: "new.person@example.com", role: "agent" }))
  // rows of the lists the demo leaves empty
  created(await send("POST", "/api/v1/api-keys", { name: "报表导出", role: "auditor" }))
  created(await send("POST", "/api/v1/process/views", { name: "我的视图", query: { status: "open" } }))
  const reqs = (await json(`/api/v1/standards/${ids.standard}/requirements`)).items
  created(
    await send("POST", "/api/v1/standards/mappings", {
      fromStandard: ids.standard,
      fromRequirement: reqs[0].id,
      toStandard: ids.standard,
      toRequirement: reqs[1].id,
      relation: "subset",
      strength: 7,
      rationale: "同一指标",
    }),
  )
  created(
    await send("POST", "/api/v1/improvements/cycles", {
      workflowId: "eight-d",
      kind: "complaint",
      title: "导出测试",
    }),
  )
  created(
    await send("POST", "/api/v1/feedback/items", {
      kind: "suggestion",
      channel: "phone",
      summary: "希望延长服务时间",
    }),
  )
  const customer = (await json("/api/v1/process/customers")).items[0]
  created(await send("POST", `/api/v1/process/customers/${customer.id}/reveal`, { reason: "回电核实" }))
  // a delivery in the demo webhook's log (written as an event for it would be; its sending job is not run)
  await createDelivery(db, orgId, {
    subscriptionId: ids.webhook!,
    messageId: "msg_exports",
    eventId: "evt_exports",
    eventType: "webhook.test",
    body: JSON.stringify({ type: "webhook.test", data: { message: "导出" } }),
  })
  // a purge's evidence row as a retention run writes it (a real run here would delete the rows the
  // other exports read)
  await sql`insert into risk.privacy_purge (org_id, id, at, class_id, action, count, hashed_ids, policy, trigger, actor_id)
    values (${orgId}, 'prg_exports', now() - interval '2 days', 'process.cases', 'delete', 2,
      ${JSON.stringify(["h1", "h2"])}::jsonb, ${JSON.stringify({ minDays: 0, maxDays: 730, cutoff: null })}::jsonb,
      'schedule', 'system')`.execute(db.kysely)
  // a coaching task as a low QA score raises it (the event handler is not run here)
  await sql`insert into culture.coaching_task (org_id, id, user_id, rule_id, evaluation_id, case_id, result, threshold, due_on)
    select ${orgId}, 'cch_exports', m.user_id, r.id, ${ids.evaluation}, k.id, 0.6, 0.75, current_date + 7
    from culture.low_score_rule r, iam.membership m, process.case k
    where r.org_id = ${orgId} and m.org_id = ${orgId} and k.org_id = ${orgId} and m.role = 'agent'
    order by r.id, m.user_id, k.id limit 1`.execute(db.kysely)
  // a published version due for review within the month
  await sql`update standards.version set next_review_at = now() + interval '3 days'
    where org_id = ${orgId} and status = 'published'`.execute(db.kysely)
}, 600_000)
afterAll(async () => {
  await db?.close()
})

describe("every exportable list downloads as CSV and XLSX with the table's headers and values", () => {
  const exportable = ENDPOINTS.filter((e) => e.exportable && e.method === "get")

  it("offers the export on the lists the admin shows (a floor: none may disappear)", () => {
    const ops = new Set(exportable.map((e) => e.operationId))
    for (const op of [
      "listCases",
      "listAuditRecords",
      "listMembers",
      "getEvaluation",
      "getRisk",
      "getCalibration",
      "getImport",
      "getWorkforcePlan",
      "surveyResults",
      "listStandardVersions",
      "privacyInventory",
      "privacyDryRun",
      "listPrivacyPurges",
      "getNotificationPreferences",
      "listInvitations",
      "listPiAccess",
    ])
      expect(ops, op).toContain(op)
  })

  for (const e of ENDPOINTS.filter((x) => x.exportable && x.method === "get")) {
    it(`${e.operationId} (${e.path})`, { timeout: 120_000 }, async () => {
      const path = PATHS[e.operationId]?.() ?? e.path
      expect(path, "an exportable operation with path parameters needs its ids in PATHS").not.toMatch(/\{/)
      const answer = await json(path)
      const rows = rowsOfAnswer(e, answer)
      expect(rows.length, `${e.operationId}: the demo and this test give no row to export`).toBeGreaterThan(0)
      const first = rows[0]!
      // the columns a screen would send: up to six fields, headed in Chinese; then the same in English
      const keys = Object.keys(first)
        .filter((k) => checkable(first[k]))
        .slice(0, 6)
      expect(keys.length, `${e.operationId}: no scalar field in ${JSON.stringify(first)}`).toBeGreaterThan(0)
      for (const lang of ["zh-CN", "en"] as const) {
        const columns = keys.map((k) => [k, lang === "zh-CN" ? `列：${k}` : `Column ${k}`])
        const q = new URLSearchParams({ columns: JSON.stringify(columns), lang })
        const sep = path.includes("?") ? "&" : "?"
        const csv = await get(`${path}${sep}${q}&export=csv`)
        expect(csv.status, new TextDecoder().decode(csv.body).slice(0, 300)).toBe(200)
        expect(csv.headers.get("content-type")).toContain("text/csv")
        expect(csv.headers.get("content-disposition")).toContain("attachment")
        const lines = csvLines(csv.body)
        expect(lines[0]).toBe(columns.map((c) => c[1]).join(","))
        const xlsx = await get(`${path}${sep}${q}&export=xlsx`)
        expect(xlsx.status).toBe(200)
        expect(xlsx.headers.get("content-type")).toContain("spreadsheetml")
        const sheet = await readXlsx(xlsx.body)
        expect(sheet[0]).toEqual(columns.map((c) => c[1]))
        // every row of the list (keyset lists: at least the first page's)
        const paged = typeof (answer as { nextCursor?: unknown }).nextCursor === "string"
        if (paged) expect(sheet.length - 1).toBeGreaterThanOrEqual(rows.length)
        else expect(sheet.length - 1).toBe(rows.length)
        expect(lines.length).toBe(sheet.length)
        // the first row's values, read back from the workbook
        keys.forEach((k, i) => {
          const v = first[k]
          const cell = sheet[1]![i]
          if (typeof v === "string" && INSTANT.test(v)) {
            const local = localDateTime(new Date(v), ZONE)
            expect(cell, `${k}: an instant, in the organisation's zone`).toEqual(local.wall)
          } else if (isLocalized(v)) expect(cell, k).toBe(v[lang] ?? v[lang === "en" ? "zh-CN" : "en"])
          else expect(cell, k).toEqual(v)
        })
      }
    })
  }
})

describe("what a table's export writes", () => {
  it("instants in the organisation's time zone; member names; on-screen labels; a resource's rows", async () => {
    // the import's row errors (rows held by one resource)
    const run = await json(`/api/v1/process/imports/${ids.import}`)
    const columns = [
      ["line", "行"],
      ["field", "字段"],
      ["message", "说明"],
    ]
    const lines = csvLines(
      (
        await get(
          `/api/v1/process/imports/${ids.import}?export=csv&columns=${encodeURIComponent(JSON.stringify(columns))}`,
        )
      ).body,
    )
    expect(lines[0]).toBe("行,字段,说明")
    expect(lines).toHaveLength(run.errors.length + 1)
    expect(lines[1]!.startsWith(`${run.errors[0].line},${run.errors[0].field},`)).toBe(true)

    // the members' list: a date in Shanghai (UTC+8), the role by its on-screen word, the name for a user id
    const members = (await json("/api/v1/members")).items as Array<{
      userId: string
      name: string
      role: string
      joinedAt: string
    }>
    const owner = members.find((m) => m.role === "owner")!
    const cols = [
      ["userId", "姓名", "user"],
      ["role", "角色", { owner: "所有者", agent: "坐席" }],
      ["joinedAt", "加入时间"],
    ]
    const csv = csvLines(
      (await get(`/api/v1/members?export=csv&columns=${encodeURIComponent(JSON.stringify(cols))}`)).body,
    )
    const at = new Date(owner.joinedAt)
    const shanghai = new Date(at.getTime() + 8 * 3_600_000).toISOString().replace("T", " ").slice(0, 19)
    expect(csv).toContain(`${owner.name},所有者,${shanghai}`)
    const sheet = await readXlsx(
      (await get(`/api/v1/members?export=xlsx&columns=${encodeURIComponent(JSON.stringify(cols))}`)).body,
    )
    const row = sheet.find((r) => r[0] === owner.name)!
    expect(row[1]).toBe("所有者")
    expect((row[2] as Date).toISOString().replace("T", " ").slice(0, 19)).toBe(shanghai)

    // a team's members (a path through a list), each by name
    const teams = (await json("/api/v1/culture/teams")).items as Array<{
      name: Record<string, string>
      members: Array<{ userId: string }>
    }>
    const team = teams.find((t) => t.members.length > 0)!
    const byId = new Map(members.map((m) => [m.userId, m.name]))
    const teamRows = await readXlsx(
      (
        await get(
          `/api/v1/culture/teams?export=xlsx&lang=en&columns=${encodeURIComponent(
            JSON.stringify([
              ["name", "Team"],
              ["members.userId", "Members", "user"],
            ]),
          )}`,
        )
      ).body,
    )
    expect(teamRows).toContainEqual([team.name.en, team.members.map((m) => byId.get(m.userId)).join("; ")])
  })

  it('refuses labels that are neither "user" nor an object of texts, naming `columns`', async () => {
    const r = await get(
      `/api/v1/members?export=csv&columns=${encodeURIComponent(JSON.stringify([["role", "角色", 7]]))}`,
    )
    expect(r.status).toBe(400)
    expect(new TextDecoder().decode(r.body)).toContain("columns")
  })
})

// ---------------------------------------------------------------------------
// The admin's tables
// ---------------------------------------------------------------------------

const PAGES = fileURLToPath(new URL("../../admin/src/pages", import.meta.url))
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith(".tsx") ? [join(dir, d.name)] : [],
  )

/**
 * Tables that are not the organisation's data as a list, with why (each counted per file). A table
 * added to one of these files still needs an export.
 */
const NOT_EXPORTED: Record<string, { readonly tables: number; readonly why: string }> = {
  "risk/HeatMap.tsx": {
    tables: 1,
    why: "the register drawn as a likelihood × impact grid; the register exports",
  },
  "Members.tsx": {
    tables: 1,
    why: "the role matrix: the product's fixed permissions, not the organisation's data",
  },
  "quality/Sampling.tsx": {
    tables: 1,
    why: "the answer of a form (POST sampling-plan), computed on demand, not a list",
  },
  "improvements/CheckPanel.tsx": { tables: 1, why: "two measurements (before, after) of one cycle's check" },
  "cases/ImportColumns.tsx": {
    tables: 1,
    why: "the columns each import format reads: the product's fixed formats, not the organisation's data",
  },
  "Audit.tsx": { tables: 1, why: "one record's change (its fields before and after); the log exports" },
  "feedback/Causes.tsx": {
    tables: 1,
    why: "the Pareto beside its chart: counts per cause of the feedback items, which export with their cause",
  },
  "workforce/AccuracyPage.tsx": {
    tables: 1,
    why: "three levels (interval, day, all queues) of one accuracy computation beside their chance floor",
  },
}

describe("every table of the admin has an export the server offers", () => {
  const files = walk(PAGES)
  const exportPaths = ENDPOINTS.filter((e) => e.exportable && e.method === "get").map(
    (e) => new RegExp(`^${e.path.replace(/\{\w+\}/g, "[^/?]+")}(\\?|$)`),
  )
  const urlPattern = (literal: string) =>
    // a template literal's ${…} stands for a path parameter or a query string
    literal.replace(/\$\{[^}]*\}/g, "x")

  it("the page files were found", () => {
    expect(files.length).toBeGreaterThan(40)
  })

  for (const file of files) {
    const name = file.slice(PAGES.length + 1)
    const src = readFileSync(file, "utf8")
    const tables = (src.match(/<table\b|<DataTable\b/g) ?? []).length
    if (tables === 0) continue
    it(`${name}: ${tables} table(s), each with an export`, () => {
      const urls = [
        ...[...src.matchAll(/<ExportLinks\s+url=\{?["`]([^"`]+)["`]/g)].map((m) => m[1]!),
        ...[...src.matchAll(/exportUrl=\{(?:exportUrlOf\()?["`]([^"`]+)["`]/g)].map((m) => m[1]!),
      ]
      const exempt = NOT_EXPORTED[name]?.tables ?? 0
      expect(
        urls.length,
        `${name} shows ${tables} table(s) but offers ${urls.length} export(s) (${exempt} exempt): add <ExportLinks> or DataTable's exportUrl`,
      ).toBeGreaterThanOrEqual(tables - exempt)
      for (const url of urls)
        expect(
          exportPaths.some((p) => p.test(urlPattern(url))),
          `${name}: ${url} is not an exportable endpoint (mark it \`exportable\`)`,
        ).toBe(true)
    })
  }

  it("each exemption still names a file with that many tables", () => {
    for (const [name, x] of Object.entries(NOT_EXPORTED)) {
      const src = readFileSync(join(PAGES, name), "utf8")
      expect((src.match(/<table\b|<DataTable\b/g) ?? []).length, name).toBeGreaterThanOrEqual(x.tables)
    }
  })
})
