import { Jobs, Tenancy } from "@tenet/core"
import { Baseline } from "@tenet/standards"
import ExcelJS from "exceljs"
import { sql } from "kysely"
import { extractText, getDocumentProxy } from "unpdf"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Iam from "../src/iam/service"
import * as Reports from "../src/reports/service"
import { type Harness, makeHarness, ORIGIN, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>
let standardId: string

/** The raw bytes of an answer (the harness reads text). */
const bytes = async (path: string, key: string) => {
  const res = await h.app.request(`${ORIGIN}${path}`, { headers: { authorization: `Bearer ${key}` } })
  return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) }
}
const pdfText = async (data: Uint8Array) => {
  const pdf = await getDocumentProxy(data)
  const { text } = await extractText(pdf, { mergePages: true })
  return { text: text as string, pages: pdf.numPages }
}
const readXlsx = async (data: Uint8Array) => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer)
  return wb
}
const rowsOf = (ws: ExcelJS.Worksheet) => {
  const out: unknown[][] = []
  ws.eachRow({ includeEmpty: true }, (row) => out.push((row.values as unknown[]).slice(1)))
  return out
}

beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
  const ok = await h.request("/api/v1/standards/import", {
    method: "POST",
    key: orgs.a.adminKey,
    body: { format: "json", text: JSON.stringify(Baseline.copcBaseline()) },
  })
  standardId = ok.body.standardId
  for (const to of ["in_review", "approved", "published"])
    await h.request(`/api/v1/standards/${standardId}/versions/1/steps`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { to },
    })
  // three inquiries received yesterday (in Shanghai), two answered
  const day = new Date(Date.now() - 86_400_000)
  for (const subject of ["发票抬头怎么改", "退款进度查询", "=cmd|' /C calc'!A0"]) {
    const r = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { type: "inquiry", channel: "chat", subject, receivedAt: day.toISOString() },
    })
    expect(r.status).toBe(201)
    if (!subject.startsWith("="))
      await h.request(`/api/v1/process/cases/${r.body.id}/replies`, {
        method: "POST",
        key: orgs.a.agentKey,
        body: { content: "您好，已处理" },
      })
  }
})
afterAll(async () => {
  await h.db.close()
})

describe("compliance schedules and management reviews over HTTP", () => {
  it("sets a schedule per standard, naming a bad field, and refuses roles without standards:manage", async () => {
    const bad = await h.request(`/api/v1/standards/${standardId}/compliance-schedule`, {
      method: "PUT",
      key: orgs.a.adminKey,
      body: { frequency: "weekly", time: "9:00" },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["/time"])
    const noDay = await h.request(`/api/v1/standards/${standardId}/compliance-schedule`, {
      method: "PUT",
      key: orgs.a.adminKey,
      body: { frequency: "weekly", time: "09:00" },
    })
    expect(noDay.status).toBe(400)
    expect(noDay.body.errors[0]).toMatchObject({ path: "/weekday", code: "weekday" })
    const agent = await h.request(`/api/v1/standards/${standardId}/compliance-schedule`, {
      method: "PUT",
      key: orgs.a.agentKey,
      body: { frequency: "daily", time: "06:00" },
    })
    expect(agent.status).toBe(403)
    const ok = await h.request(`/api/v1/standards/${standardId}/compliance-schedule`, {
      method: "PUT",
      key: orgs.a.adminKey,
      body: { frequency: "daily", time: "06:00" },
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({
      frequency: "daily",
      time: "06:00",
      timeZone: "Asia/Shanghai",
      enabled: true,
    })
    const other = await h.request(`/api/v1/standards/${standardId}/compliance-schedule`, {
      method: "PUT",
      key: orgs.b.adminKey,
      body: { frequency: "daily", time: "06:00" },
    })
    expect(other.status).toBe(404)
    const list = await h.request("/api/v1/compliance/schedules", { key: orgs.a.agentKey })
    expect(list.body.items).toHaveLength(1)
  })

  it("records a management review with the period's compliance", async () => {
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString()
    const to = new Date().toISOString()
    await h.request(`/api/v1/standards/${standardId}/evaluations`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { from, to },
    })
    expect(
      (
        await h.request("/api/v1/reviews", {
          method: "POST",
          key: orgs.a.agentKey,
          body: { title: "x", from, to },
        })
      ).status,
    ).toBe(403)
    const bad = await h.request("/api/v1/reviews", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { title: "评审", from: to, to: from },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].path).toBe("/to")
    const r = await h.request("/api/v1/reviews", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        title: "十二月管理评审",
        from,
        to,
        risks: ["渠道中断风险"],
        decisions: [{ text: "增加晚班", owner: "王主管" }],
        attendees: ["王主管", "李娜"],
      },
    })
    expect(r.status).toBe(201)
    expect(r.body.compliance[0]).toMatchObject({ standardId, summary: expect.any(Object) })
    const got = await h.request(`/api/v1/reviews/${r.body.id}`, { key: orgs.a.agentKey })
    expect(got.body.decisions).toEqual([{ text: "增加晚班", owner: "王主管" }])
    expect((await h.request(`/api/v1/reviews/${r.body.id}`, { key: orgs.b.adminKey })).status).toBe(404)
  })

  it("a review that names no risks takes the register's open high risks, with their bands in both languages", async () => {
    const risk = async (title: string, likelihood: number, impact: number) => {
      const r = await h.request("/api/v1/risk/risks", {
        method: "POST",
        key: orgs.a.adminKey,
        body: {
          title,
          categoryId: "response_delay",
          cause: "c",
          event: "e",
          consequence: "q",
          ownerId: orgs.a.owner.id,
          inherent: { likelihood, impact },
        },
      })
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      return r.body as { number: number; residual: { score: number; severity: string } }
    }
    const high = await risk("渠道中断", 3, 3)
    const low = await risk("打印机缺纸", 1, 1)
    expect(high.residual.severity).toMatch(/high/)
    const from = "2026-11-01T00:00:00Z"
    const to = "2026-12-01T00:00:00Z"
    const r = await h.request("/api/v1/reviews", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { title: "十二月管理评审（含风险）", from, to },
    })
    expect(r.status).toBe(201)
    const risks = r.body.risks as string[]
    expect(risks.some((x) => x.startsWith(`R-${high.number} 渠道中断 · `) && x.includes(" / "))).toBe(true)
    expect(risks.some((x) => x.startsWith(`R-${low.number} `))).toBe(false)
    // risks given by the request are kept as they are
    const given = await h.request("/api/v1/reviews", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { title: "只看指定风险", from, to, risks: [] },
    })
    expect(given.body.risks).toEqual([])
  })
})

describe("scheduled reports", () => {
  let pdfSchedule: string
  it("names invalid fields of a schedule", async () => {
    const r = await h.request("/api/v1/reports/schedules", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        name: "周报",
        source: "cases",
        format: "docx",
        frequency: "daily",
        time: "08:00",
        recipients: ["not-an-email"],
      },
    })
    expect(r.status).toBe(400)
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["/format", "/recipients/0"])
    const view = await h.request("/api/v1/reports/schedules", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { name: "周报", source: "cases", format: "csv", frequency: "daily", time: "08:00" },
    })
    expect(view.status).toBe(400)
    expect(view.body.errors[0]).toMatchObject({ path: "/params/viewId", code: "savedView" })
  })

  it("a scheduled PDF report runs once with two runners, holds the Chinese text and emits report.ready", async () => {
    const r = await h.request("/api/v1/reports/schedules", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {
        name: "每日服务绩效",
        source: "dashboard",
        format: "pdf",
        locale: "zh-CN",
        frequency: "daily",
        time: "07:00",
        recipients: ["boss@acme.test", "qa@acme.test"],
      },
    })
    expect(r.status).toBe(201)
    pdfSchedule = r.body.id
    await sql`update core.job set run_at = now() - interval '1 second' where kind = ${Reports.REPORT_JOB}`.execute(
      h.db.kysely,
    )
    const runs = await Promise.all([
      Jobs.runDue(h.db, Reports.jobHandlers, { workerId: "api-1" }),
      Jobs.runDue(h.db, Reports.jobHandlers, { workerId: "api-2" }),
    ])
    expect(runs[0]!.ran + runs[1]!.ran).toBe(1)
    const files = await h.request(`/api/v1/reports/files?scheduleId=${pdfSchedule}`, { key: orgs.a.agentKey })
    expect(files.body.items).toHaveLength(1)
    const file = files.body.items[0]
    expect(file.name).toMatch(/^每日服务绩效 \d{4}-\d{2}-\d{2}\.pdf$/)
    const after = await h.request(`/api/v1/reports/schedules/${pdfSchedule}`, { key: orgs.a.agentKey })
    expect(after.body.lastFileId).toBe(file.id)
    expect(new Date(after.body.nextRunAt).getTime() - new Date(r.body.nextRunAt).getTime()).toBe(86_400_000)
    const ev = await sql<{
      payload: any
    }>`select payload from core.outbox_event where type = 'report.ready'`.execute(h.db.kysely)
    expect(ev.rows.map((x) => x.payload)).toEqual([
      {
        orgId: orgs.a.org.id,
        fileId: file.id,
        scheduleId: pdfSchedule,
        name: file.name,
        format: "pdf",
        locale: "zh-CN",
        size: file.size,
        recipients: ["boss@acme.test", "qa@acme.test"],
        downloadPath: `/api/v1/reports/files/${file.id}/download`,
      },
    ])
    const dl = await bytes(`/api/v1/reports/files/${file.id}/download`, orgs.a.agentKey)
    expect(dl.status).toBe(200)
    expect(dl.headers.get("content-type")).toBe("application/pdf")
    expect(new TextDecoder().decode(dl.body.slice(0, 5))).toBe("%PDF-")
    const { text, pages } = await pdfText(dl.body)
    expect(pages).toBeGreaterThanOrEqual(1)
    for (const s of [
      "ACME",
      "每日服务绩效",
      "服务绩效报告",
      "统计期间",
      "首次响应",
      "样本量",
      "95% 置信区间",
    ])
      expect(text).toContain(s)
    // another organisation cannot download it
    expect((await bytes(`/api/v1/reports/files/${file.id}/download`, orgs.b.adminKey)).status).toBe(404)
  })

  it("XLSX and CSV reports hold the dashboard's values", async () => {
    const make = async (format: string) =>
      (
        await h.request("/api/v1/reports/schedules", {
          method: "POST",
          key: orgs.a.adminKey,
          body: {
            name: `KPI ${format}`,
            source: "dashboard",
            format,
            locale: "en",
            frequency: "weekly",
            weekday: 1,
            time: "08:00",
          },
        })
      ).body.id as string
    const xlsxId = await make("xlsx")
    const run = await h.request(`/api/v1/reports/schedules/${xlsxId}/run`, {
      method: "POST",
      key: orgs.a.adminKey,
    })
    expect(run.status).toBe(201)
    const x = await bytes(`/api/v1/reports/files/${run.body.fileId}/download`, orgs.a.adminKey)
    const wb = await readXlsx(x.body)
    const rows = rowsOf(wb.worksheets[0]!)
    expect(rows[0]![0]).toBe("ACME · KPI xlsx")
    expect(rows[3]).toEqual([
      "Standard",
      "Requirement",
      "Metric",
      "Value",
      "Target",
      "Status",
      "n",
      "95% interval",
    ])
    // the same period through the dashboard API: the first target's n is the sheet's
    const sched = (await h.request(`/api/v1/reports/schedules/${xlsxId}`, { key: orgs.a.adminKey })).body
    const files = (await h.request(`/api/v1/reports/files?scheduleId=${xlsxId}`, { key: orgs.a.adminKey }))
      .body.items
    const dash = await h.request(
      `/api/v1/dashboard/kpis?from=${files[0].from}&to=${new Date(new Date(files[0].to).getTime() - 1).toISOString()}&timeZone=${sched.timeZone}`,
      { key: orgs.a.adminKey },
    )
    expect(rows.length - 4).toBe(dash.body.items.length)
    const frt = dash.body.items.findIndex((k: any) => k.targetId === "frt-inquiry")
    expect(rows[4 + frt]![6]).toBe(dash.body.items[frt].n)
    const csvId = await make("csv")
    const c = await h.request(`/api/v1/reports/schedules/${csvId}/run`, {
      method: "POST",
      key: orgs.a.adminKey,
    })
    const raw = (await bytes(`/api/v1/reports/files/${c.body.fileId}/download`, orgs.a.adminKey)).body
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // UTF-8 byte-order mark: Excel reads Chinese right
    const csv = new TextDecoder().decode(raw)
    expect(csv).toContain("Standard,Requirement,Metric,Value,Target,Status,n,95% interval")
  })

  it("says which font is missing instead of producing a PDF without Chinese", async () => {
    const before = process.env.TENET_PDF_FONT
    process.env.TENET_PDF_FONT = "/nonexistent/NotoSansCJK.ttc"
    try {
      const r = await h.request(`/api/v1/reports/schedules/${pdfSchedule}/run`, {
        method: "POST",
        key: orgs.a.adminKey,
      })
      expect(r.status).toBe(409)
      expect(r.body).toMatchObject({ code: "pdfFontMissing" })
      expect(r.body.detail).toContain("fonts-noto-cjk")
    } finally {
      if (before === undefined) delete process.env.TENET_PDF_FONT
      else process.env.TENET_PDF_FONT = before
    }
  })

  it("refuses agents (no standards:write) and other organisations", async () => {
    expect(
      (
        await h.request(`/api/v1/reports/schedules/${pdfSchedule}/run`, {
          method: "POST",
          key: orgs.a.agentKey,
        })
      ).status,
    ).toBe(403)
    expect(
      (await h.request(`/api/v1/reports/schedules/${pdfSchedule}`, { key: orgs.b.adminKey })).status,
    ).toBe(404)
    expect(
      (
        await h.request(`/api/v1/reports/schedules/${pdfSchedule}`, {
          method: "DELETE",
          key: orgs.b.adminKey,
        })
      ).status,
    ).toBe(404)
  })
})

describe("XLSX exports of the admin's tables", () => {
  it("the case queue streams as XLSX with the CSV's columns (and format=xlsx on the CSV route)", async () => {
    for (const path of [
      "/api/v1/process/cases/export.xlsx",
      "/api/v1/process/cases/export.csv?format=xlsx",
    ]) {
      const r = await bytes(path, orgs.a.agentKey)
      expect(r.status).toBe(200)
      expect(r.headers.get("content-type")).toContain("spreadsheetml")
      const rows = rowsOf((await readXlsx(r.body)).worksheets[0]!)
      expect(rows[0]!.slice(0, 3)).toEqual(["number", "subject", "type"])
      expect(rows).toHaveLength(4)
      expect(rows.map((x) => x[1])).toContain("发票抬头怎么改")
      // a formula-looking subject stays text
      expect(rows.map((x) => x[1])).toContain("=cmd|' /C calc'!A0")
    }
    expect((await bytes("/api/v1/process/cases/export.xlsx?from=not-a-date", orgs.a.agentKey)).status).toBe(
      400,
    )
  })

  it("the compliance report as XLSX", async () => {
    const evals = await h.request(`/api/v1/standards/${standardId}/evaluations`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { from: new Date(Date.now() - 3 * 86_400_000).toISOString(), to: new Date().toISOString() },
    })
    const r = await bytes(`/api/v1/standards/evaluations/${evals.body.id}/report.xlsx`, orgs.a.agentKey)
    expect(r.status).toBe(200)
    const rows = rowsOf((await readXlsx(r.body)).worksheets[0]!)
    expect(rows[0]![0]).toBe("clause")
    expect(rows.length - 1).toBe(evals.body.results.length)
    const frt = evals.body.results.find((x: any) => x.targetId === "frt-inquiry")
    expect(rows.find((x) => x[3] === "frt-inquiry")![11]).toBe(frt.n)
  })
})

describe("every list the admin shows as a table exports as CSV and XLSX (export=…)", () => {
  const q = (o: Record<string, string>) => new URLSearchParams(o).toString()
  it("follows every keyset page, heads the columns as asked and keeps the filters", async () => {
    // every audit record of the organisation, page after page, as JSON
    let all: Array<{ action: string; entityType: string }> = []
    let cursor: string | undefined
    do {
      const page = await h.request(`/api/v1/audit?limit=7${cursor ? `&cursor=${cursor}` : ""}`, {
        key: orgs.a.adminKey,
      })
      expect(page.status).toBe(200)
      all = all.concat(page.body.items)
      cursor = page.body.nextCursor ?? undefined
    } while (cursor)
    expect(all.length).toBeGreaterThan(7)
    const columns = JSON.stringify([
      ["action", "操作"],
      ["entityType", "对象类型"],
    ])
    const csv = await bytes(`/api/v1/audit?${q({ limit: "7", export: "csv", columns })}`, orgs.a.adminKey)
    expect(csv.status).toBe(200)
    expect(csv.headers.get("content-type")).toContain("text/csv")
    expect(csv.headers.get("content-disposition")).toContain("audit-")
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(csv.body)
    expect(text.charCodeAt(0)).toBe(0xfeff) // a BOM, so Excel reads the Chinese headers right
    const lines = text.slice(1).trimEnd().split("\n")
    expect(lines[0]).toBe("操作,对象类型")
    expect(lines).toHaveLength(all.length + 1)
    expect(lines.slice(1)).toEqual(all.map((r) => `${r.action},${r.entityType}`))
    // the list's filter applies to the file too
    const cases = all.filter((r) => r.entityType === "case").length
    const filtered = await bytes(
      `/api/v1/audit?${q({ entityType: "case", export: "xlsx", columns })}`,
      orgs.a.adminKey,
    )
    expect(filtered.headers.get("content-type")).toContain("spreadsheetml")
    const rows = rowsOf((await readXlsx(filtered.body)).worksheets[0]!)
    expect(rows[0]).toEqual(["操作", "对象类型"])
    expect(rows.slice(1).every((r) => r[1] === "case")).toBe(true)
    expect(rows.length - 1).toBe(cases)
  })

  it("writes texts kept in both languages in the reader's language; without columns, every field", async () => {
    const columns = JSON.stringify([
      ["id", "ID"],
      ["name", "Name"],
    ])
    const en = rowsOf(
      (
        await readXlsx(
          (
            await bytes(
              `/api/v1/improvements/workflows?${q({ export: "xlsx", columns, lang: "en" })}`,
              orgs.a.adminKey,
            )
          ).body,
        )
      ).worksheets[0]!,
    )
    const zh = rowsOf(
      (
        await readXlsx(
          (
            await bytes(
              `/api/v1/improvements/workflows?${q({ export: "xlsx", columns, lang: "zh-CN" })}`,
              orgs.a.adminKey,
            )
          ).body,
        )
      ).worksheets[0]!,
    )
    const list = (await h.request("/api/v1/improvements/workflows", { key: orgs.a.adminKey })).body.items
    const pdca = list.find((w: { id: string }) => w.id === "pdca")
    expect(en.find((r) => r[0] === "pdca")![1]).toBe(pdca.name.en)
    expect(zh.find((r) => r[0] === "pdca")![1]).toBe(pdca.name["zh-CN"])
    const plain = new TextDecoder("utf-8", { ignoreBOM: true }).decode(
      (await bytes("/api/v1/api-keys?export=csv", orgs.a.adminKey)).body,
    )
    expect(plain.slice(1).split("\n")[0]).toContain("name")
  })

  it("writes a text that looks like a formula as text in CSV", async () => {
    const made = await h.request("/api/v1/api-keys", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { name: '=HYPERLINK("http://x")', role: "auditor" },
    })
    expect(made.status).toBe(201)
    const csv = new TextDecoder().decode(
      (
        await bytes(
          `/api/v1/api-keys?${q({ export: "csv", columns: JSON.stringify([["name", "名称"]]) })}`,
          orgs.a.adminKey,
        )
      ).body,
    )
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`)
  })

  it("refuses a bad export with problem+json naming the parameter, and keeps the permission", async () => {
    const bad = await h.request(`/api/v1/audit?${q({ export: "pdf" })}`, { key: orgs.a.adminKey })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]).toMatchObject({ path: "/export", code: "oneOf" })
    const cols = await h.request(`/api/v1/audit?${q({ export: "csv", columns: "[[1,2]]" })}`, {
      key: orgs.a.adminKey,
    })
    expect(cols.status).toBe(400)
    expect(cols.body.errors[0]).toMatchObject({ path: "/columns" })
    const filter = await h.request(`/api/v1/audit?${q({ export: "csv", from: "not-a-date" })}`, {
      key: orgs.a.adminKey,
    })
    expect(filter.status).toBe(400)
    const agent = await h.request(`/api/v1/audit?${q({ export: "csv" })}`, { key: orgs.a.agentKey })
    expect(agent.status).toBe(403)
    const doc = (await h.request("/api/v1/openapi.json")).body
    const names = doc.paths["/api/v1/audit"].get.parameters.map((p: { name: string }) => p.name)
    expect(names).toEqual(expect.arrayContaining(["export", "columns", "lang", "entityType"]))
  })
})

describe("public service report", () => {
  it("is off by default, published by an admin with chosen KPIs (n and interval), readable without sign-in", async () => {
    const off = await h.request("/api/v1/public/acme/report")
    expect(off.status).toBe(404)
    expect(off.headers.get("cache-control")).toBeNull() // a 404 must not outlive publishing
    const settings = await h.request("/api/v1/reports/public-settings", { key: orgs.a.adminKey })
    expect(settings.body).toMatchObject({ enabled: false, slug: "acme" })
    const body = {
      enabled: true,
      title: "ACME 服务公示",
      kpis: [`${standardId}/frt-inquiry`],
      period: "last_7_days",
    }
    expect(
      (await h.request("/api/v1/reports/public-settings", { method: "PUT", key: orgs.a.agentKey, body }))
        .status,
    ).toBe(403)
    const bad = await h.request("/api/v1/reports/public-settings", {
      method: "PUT",
      key: orgs.a.adminKey,
      body: { ...body, kpis: ["no-slash"], period: "forever" },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["/period"])
    const ok = await h.request("/api/v1/reports/public-settings", {
      method: "PUT",
      key: orgs.a.adminKey,
      body,
    })
    expect(ok.status).toBe(200)
    const pub = await h.request("/api/v1/public/acme/report?locale=zh-CN")
    expect(pub.status).toBe(200)
    expect(pub.headers.get("cache-control")).toBe("public, max-age=60")
    expect(pub.body).toMatchObject({ title: "ACME 服务公示", organization: "ACME" })
    expect(pub.body.items).toHaveLength(1)
    const k = pub.body.items[0]
    const dash = await h.request(
      `/api/v1/dashboard/kpis?from=${pub.body.from}&to=${new Date(new Date(pub.body.to).getTime() - 1).toISOString()}`,
      { key: orgs.a.adminKey },
    )
    const same = dash.body.items.find((x: any) => x.targetId === "frt-inquiry")
    expect(k.n).toBeGreaterThan(0)
    expect([k.n, k.value]).toEqual([same.n, same.value])
    expect(k.interval).toMatchObject({ lower: expect.any(Number), upper: expect.any(Number) })
    expect(k.interval.lower).toBeLessThanOrEqual(k.value)
    expect(k.valueText).toMatch(/%$/)
    expect(k.requirement).toBe("咨询在 15 分钟内响应")
    expect((await h.request("/api/v1/public/globex/report")).status).toBe(404)
    expect((await h.request("/api/v1/public/No_Such!/report")).status).toBe(404)
  })
})

describe("the role matrix of these operations", () => {
  it("every role gets 403 exactly where its permissions say so (own organisation, ids that do not exist)", async () => {
    const doc = (await h.request("/api/v1/openapi.json")).body
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(
          ([, op]) =>
            op["x-tenet-permission"] &&
            (path.startsWith("/api/v1/reports") ||
              path.startsWith("/api/v1/reviews") ||
              path.startsWith("/api/v1/compliance") ||
              path.endsWith("/compliance-schedule") ||
              path.endsWith(".xlsx")),
        )
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          permission: op["x-tenet-permission"] as string,
          hasBody: Boolean(op.requestBody),
        })),
    )
    expect(ops.length).toBeGreaterThanOrEqual(17)
    for (const role of Tenancy.ROLES) {
      const { secret } = await Iam.createApiKey(h.db, Tenancy.system(orgs.a.org.id), {
        name: `matrix ${role}`,
        role,
      })
      for (const op of ops) {
        const path = op.path.replace(/\{(\w+)\}/g, "nope_0")
        const r = await h.request(op.method === "GET" && path.includes("download") ? path : path, {
          method: op.method,
          key: secret,
          ...(op.hasBody ? { body: {} } : {}),
        })
        const allowed = Tenancy.can(role, op.permission as Tenancy.Permission)
        expect(r.status === 403, `${role} ${op.method} ${op.path} → ${r.status}`).toBe(!allowed)
        expect(r.status, `${role} ${op.method} ${op.path}`).toBeLessThan(500)
      }
    }
  })

  it("the XLSX export lists the queue's query parameters in the OpenAPI document", async () => {
    const doc = (await h.request("/api/v1/openapi.json")).body
    const names = doc.paths["/api/v1/process/cases/export.xlsx"].get.parameters.map(
      (p: { name: string }) => p.name,
    )
    expect(names).toEqual(expect.arrayContaining(["status", "q", "from"]))
  })
})
