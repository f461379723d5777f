/**
 * Browser test: a scheduled report is produced by the durable scheduler of a real server (the
 * schedule's time is set to the next minute in the organisation's zone), downloaded as PDF and its
 * first page rendered to an image (poppler's pdftoppm) under screenshots/; the report screens
 * and the public report page in both languages.
 */
import { execFileSync } from "node:child_process"
import { statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, SHOTS, signIn, startProduct } from "./browser"

let product: Awaited<ReturnType<typeof startProduct>>
let running: { url: string }
let context: BrowserContext
let page: Page

beforeAll(async () => {
  product = await startProduct("reports", 14)
  running = product
  ;({ context, page } = await launchBrowser("zh-CN"))
  await signIn(page, running.url)
}, 240_000)

afterAll(async () => {
  await context?.close()
  await product?.stop()
})

const api = async (method: string, path: string, body?: unknown) => {
  const r = await page.request.fetch(`${running.url}${path}`, {
    method,
    headers: { origin: running.url, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { data: JSON.stringify(body) } : {}),
  })
  return {
    status: r.status(),
    body: r.headers()["content-type"]?.includes("json") ? await r.json() : await r.body(),
  }
}

describe("reports in the browser", () => {
  it("the scheduler produces a PDF report at its time; its first page shows the Chinese report", async () => {
    // the next whole minute at least 30 s away, in the organisation's zone (Asia/Shanghai)
    const at = new Date(Math.ceil((Date.now() + 30_000) / 60_000) * 60_000)
    const time = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Shanghai",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(at)
    const created = await api("POST", "/api/v1/reports/schedules", {
      name: "每日服务绩效（浏览器测试）",
      source: "dashboard",
      format: "pdf",
      locale: "zh-CN",
      frequency: "daily",
      time,
      recipients: ["owner@demo.tenet.local"],
    })
    expect(created.status).toBe(201)
    expect(new Date(created.body.nextRunAt).getTime()).toBe(at.getTime())
    let files: Array<{ id: string; name: string }> = []
    const deadline = Date.now() + 150_000
    while (Date.now() < deadline) {
      files = (await api("GET", `/api/v1/reports/files?scheduleId=${created.body.id}`)).body.items
      if (files.length) break
      await new Promise((r) => setTimeout(r, 2000))
    }
    expect(files).toHaveLength(1)
    const pdf = await api("GET", `/api/v1/reports/files/${files[0]!.id}/download`)
    expect(pdf.status).toBe(200)
    const pdfPath = join(SHOTS, "report-scheduled.pdf")
    writeFileSync(pdfPath, pdf.body as Buffer)
    execFileSync("pdftoppm", [
      "-png",
      "-r",
      "80",
      "-f",
      "1",
      "-l",
      "1",
      "-singlefile",
      pdfPath,
      join(SHOTS, "report-page1"),
    ])
    expect(statSync(join(SHOTS, "report-page1.png")).size).toBeGreaterThan(20_000)
    const text = execFileSync("pdftotext", ["-l", "1", pdfPath, "-"]).toString()
    expect(text).toContain("每日服务绩效（浏览器测试）")
    expect(text).toContain("服务绩效报告")
  }, 200_000)

  it("shows the report screens in Chinese and English, wide and narrow", async () => {
    for (const [path, name] of [
      ["/reports", "schedules"],
      ["/reports/files", "files"],
      ["/reports/compliance", "compliance"],
      ["/reports/reviews", "reviews"],
      ["/reports/public", "public-settings"],
    ] as const) {
      await page.goto(`${running.url}${path}`)
      await page.getByRole("heading", { name: "报告与评审" }).waitFor()
      await page.waitForLoadState("networkidle")
      if (name === "reviews") await page.getByRole("button", { name: "查看" }).first().click()
      await page.screenshot({ path: `${SHOTS}reports-${name}-zh.png`, fullPage: true })
    }
    await expect(page.getByText("服务质量公示 · Our service in numbers").count()).resolves.toBe(0)
    await page.goto(`${running.url}/reports`)
    await page.getByText("月度服务绩效报告").first().waitFor()
    await page
      .getByRole("combobox", { name: /语言|Language/ })
      .first()
      .selectOption("en")
      .catch(() => {})
    await page.evaluate(() => localStorage.setItem("tenet.lang", "en"))
    await page.reload()
    await page.getByRole("heading", { name: "Reports and reviews" }).waitFor()
    await page.waitForLoadState("networkidle")
    await page.screenshot({ path: `${SHOTS}reports-schedules-en.png`, fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: `${SHOTS}reports-schedules-en-narrow.png`, fullPage: true })
    await page.goto(`${running.url}/reports/reviews`)
    await page.getByRole("button", { name: "View" }).first().click()
    await page.screenshot({ path: `${SHOTS}reports-reviews-en-narrow.png`, fullPage: true })
    await page.setViewportSize({ width: 1440, height: 900 })
  }, 120_000)

  it("the public report is off by default, then shows the chosen KPIs with n and interval without sign-in", async () => {
    // a browser of its own: nobody is signed in there
    const { context: anonymous, page: p } = await launchBrowser("zh-CN")
    try {
      await p.goto(`${running.url}/public/demo/report`)
      await p.getByText("该组织未发布服务公示。").waitFor()
      const s = (await api("GET", "/api/v1/reports/public-settings")).body
      expect(s.enabled).toBe(false)
      expect(
        (
          await api("PUT", "/api/v1/reports/public-settings", {
            ...s,
            slug: undefined,
            updatedAt: undefined,
            enabled: true,
          })
        ).status,
      ).toBe(200)
      await p.reload()
      await p.getByRole("heading", { name: "服务质量公示 · Our service in numbers" }).waitFor()
      await expect(p.getByText(/样本量 \d+/).count()).resolves.toBe(s.kpis.length)
      await p.screenshot({ path: `${SHOTS}public-report-zh.png`, fullPage: true })
      await p.setViewportSize({ width: 390, height: 844 })
      await p.screenshot({ path: `${SHOTS}public-report-zh-narrow.png`, fullPage: true })
    } finally {
      await anonymous.close()
    }
  }, 120_000)
})
