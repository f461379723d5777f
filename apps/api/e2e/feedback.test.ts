/**
 * Browser test of surveys: a real server (embedded database, demo data) with an SMTP server started
 * by the test. A CSAT survey is built in the admin app and published; a case is resolved; the
 * invitation arrives by e-mail; its link opens at 390×844 in zh-CN; 2/5 with a comment is answered;
 * the follow-up with the comment appears on the case, and the dashboard's satisfaction tile counts
 * the response. Screenshots under screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { configFromEnv } from "../src/config"
import { DEMO } from "../src/demo"
import { type Running, start } from "../src/server"
import { type Mailbox, startSmtp } from "../test/servers"

const SHOTS = new URL("../../../screenshots/", import.meta.url).pathname
let running: Running
let dataDir: string
let context: BrowserContext
let page: Page
let smtp: Mailbox
const env = ["TENET_SMTP_URL", "TENET_MAIL_FROM"] as const
const saved = Object.fromEntries(env.map((k) => [k, process.env[k]]))

const until = async <A>(what: string, f: () => A | undefined | Promise<A | undefined>, ms = 90_000) => {
  const end = Date.now() + ms
  for (;;) {
    const a = await f()
    if (a !== undefined && a !== false) return a
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  smtp = await startSmtp()
  process.env.TENET_SMTP_URL = smtp.url
  process.env.TENET_MAIL_FROM = "Tenet <tenet@e2e.test>"
  dataDir = mkdtempSync(join(tmpdir(), "tenet-e2e-feedback-"))
  const config = configFromEnv({
    TENET_DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    TENET_DEMO_DAYS: "7",
  })
  running = await start({ ...config, port: 12_000 + Math.floor(Math.random() * 8_000) }, () => {})
  const profile = mkdtempSync(join(tmpdir(), "tenet-chromium-"))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    locale: "zh-CN",
    viewport: { width: 1440, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  })
  page = context.pages()[0] ?? (await context.newPage())
}, 300_000)

afterAll(async () => {
  await context?.close()
  await running?.stop()
  await smtp?.close()
  for (const k of env)
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  rmSync(dataDir, { recursive: true, force: true })
})

describe("surveys in the browser", () => {
  it("build a survey, resolve a case, answer 2/5 by the e-mailed link on a phone, see the follow-up and the tile", async () => {
    const email = DEMO.people[0]!.email
    await page.goto(`${running.url}/sign-in`)
    await page.getByLabel("邮箱").fill(email)
    await page.getByLabel("密码").fill(DEMO.password)
    await page.getByRole("button", { name: "登录" }).click()
    await page.waitForURL(`${running.url}/`)
    const tile = page.getByText("客户满意度（问卷）")
    await tile.waitFor()
    const before = await page.locator("text=/n = \\d+/").first().textContent()

    // the builder: the template, a name, create, publish
    await page.goto(`${running.url}/feedback`)
    await page.getByRole("tab", { name: "问卷" }).click()
    await page.getByLabel("名称").fill("E2E 满意度")
    await page.getByRole("button", { name: "创建问卷" }).click()
    await page.getByRole("button", { name: "E2E 满意度" }).waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-builder-zh.png`, fullPage: true })
    const list: any = await page.evaluate(async () => (await fetch("/api/v1/feedback/surveys")).json())
    const survey = list.items.find((s: { name: string }) => s.name === "E2E 满意度")
    await page
      .getByRole("listitem")
      .filter({ hasText: "E2E 满意度" })
      .getByRole("button", { name: "发布第 1 版" })
      .click()
    await until("published", async () => {
      const s: any = await page.evaluate(
        async (id) => (await fetch(`/api/v1/feedback/surveys/${id}`)).json(),
        survey.id,
      )
      return s.publishedVersion === 1 || undefined
    })

    // a rule for e-mail cases (no delay, no quiet hours), then a case with a customer e-mail, resolved
    const call = (path: string, body: unknown) =>
      page.evaluate(
        async ([p, b]) =>
          (
            await fetch(p as string, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(b),
            })
          ).json(),
        [path, body] as const,
      )
    // the demo's rule waits an hour after resolution: switch it off, and add one that sends at once
    const rules: any = await page.evaluate(async () => (await fetch("/api/v1/feedback/rules")).json())
    for (const { id, ...r } of rules.items)
      await page.evaluate(
        async ([rid, body]) =>
          (
            await fetch(`/api/v1/feedback/rules/${rid}`, {
              method: "PUT",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body),
            })
          ).status,
        [id, { ...r, enabled: false }] as const,
      )
    await call("/api/v1/feedback/rules", {
      name: "E2E",
      surveyId: survey.id,
      delayMinutes: 0,
      quietHours: false,
    })
    const c: any = await call("/api/v1/process/cases", {
      type: "inquiry",
      channel: "web_form",
      subject: "E2E 问卷测试",
      customer: {
        externalId: "E2E-1",
        name: "王芳",
        segment: "existing",
        contacts: [{ channel: "email", value: "wang.fang@e2e.test" }],
      },
    })
    expect(c.id).toMatch(/^case_/)
    await call(`/api/v1/process/cases/${c.id}/transitions`, { to: "resolved", resolutionCode: "answered" })

    const mail = await until("the survey e-mail", () =>
      smtp.messages.find((m) => m.to.includes("wang.fang@e2e.test")),
    )
    expect(mail.mail.subject).toBe("服务满意度调查：请告诉我们您的感受")
    const link = /(http\S+\/api\/v1\/public\/surveys\/[A-Za-z0-9_-]{43}\/page)/.exec(
      mail.mail.text ?? "",
    )![1]!

    // the customer, on a phone, signed out
    const phone = await context
      .browser()
      ?.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" })
    const p = phone ? await phone.newPage() : await context.newPage()
    if (!phone) await context.clearCookies()
    await p.setViewportSize({ width: 390, height: 844 })
    await p.goto(link.replace(/^http:\/\/[^/]+/, running.url))
    await p.getByText("您对本次服务的总体满意度如何？").waitFor()
    await p.screenshot({ path: `${SHOTS}feedback-survey-mobile-zh.png` })
    await p.locator('input[name="overall"][value="2"]').check({ force: true })
    await p.getByLabel("很抱歉。请告诉我们哪里做得不好？").fill("等了三天才有人回复")
    await p.screenshot({ path: `${SHOTS}feedback-survey-why-mobile-zh.png` })
    await p.getByRole("button", { name: "提交" }).click()
    await p.getByText("感谢您的反馈！").waitFor()
    await p.screenshot({ path: `${SHOTS}feedback-survey-thanks-mobile-zh.png` })
    await p.reload()
    await p.getByText("这份问卷已经提交过了").waitFor()

    // the follow-up on the case, with the comment on the timeline
    await page.goto(`${running.url}/cases/${c.id}`)
    await page.getByText("CSAT 2 · 等了三天才有人回复").waitFor({ timeout: 60_000 })
    await page.getByText("问卷回访").first().waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-case-follow-up-zh.png`, fullPage: true })

    // the dashboard tile counts the response
    await page.goto(`${running.url}/`)
    await tile.waitFor()
    await until("the tile to change", async () => {
      const now = await page.locator("text=/n = \\d+/").first().textContent()
      return now !== before || undefined
    })
    await page.screenshot({ path: `${SHOTS}feedback-dashboard-zh.png`, fullPage: true })
    await page.goto(`${running.url}/feedback`)
    await page.getByText("评分分布").waitFor()
    await page.getByTestId("feedback-drivers").waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-results-zh.png`, fullPage: true })
  }, 300_000)

  it("dispatch rules, a cause, a complaint through its ISO 10002 stages with its clocks, and the Pareto of causes", async () => {
    await page.goto(`${running.url}/feedback?tab=rules`)
    if (page.url().includes("/sign-in")) {
      await page.getByLabel("邮箱").fill(DEMO.people[0]!.email)
      await page.getByLabel("密码").fill(DEMO.password)
      await page.getByRole("button", { name: "登录" }).click()
      await page.waitForURL(`${running.url}/`)
      await page.goto(`${running.url}/feedback?tab=rules`)
    }
    const phone = async (name: string) => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.screenshot({ path: `${SHOTS}${name}-mobile-zh.png`, fullPage: true })
      await page.setViewportSize({ width: 1440, height: 900 })
    }

    // the builder's form: a choice question typed in both languages shows in both previews as it is typed
    await page.getByRole("tab", { name: "问卷" }).click()
    await page.getByRole("button", { name: "新建问卷" }).click()
    await page.getByRole("button", { name: "+ 单选题" }).click()
    const third = page.getByRole("listitem", { name: "第 3 题" })
    await third.getByLabel("题目（中文）").fill("您是通过哪个渠道联系我们的？")
    await third.getByLabel("题目（英文）").fill("How did you contact us?")
    await third.getByLabel("选项 1（中文）").fill("电话")
    await third.getByLabel("选项 1（英文）").fill("Phone")
    await page.getByTestId("survey-preview-zh-CN").getByText("您是通过哪个渠道联系我们的？").waitFor()
    await page.getByTestId("survey-preview-en").getByText("How did you contact us?").waitFor()
    await page.getByTestId("survey-preview-en").getByText("Phone").waitFor()
    await page.getByRole("button", { name: "第 3 题上移" }).click()
    await page.getByRole("listitem", { name: "第 2 题" }).getByText("单选题").waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-builder-form-zh.png`, fullPage: true })
    await phone("feedback-builder-form")
    await page.getByRole("tab", { name: "发送规则" }).click()

    // dispatch rules: the demo's rule is listed; a new rule for VIP e-mail cases, half of them, once in 14 days
    const rules = page.getByTestId("survey-rules")
    await rules.getByText("解决后 1 小时 / 1 h after resolution").waitFor()
    await page.getByRole("button", { name: "添加规则" }).click()
    const dialog = page.getByRole("dialog")
    await dialog.getByLabel("名称").fill("VIP 邮件抽样")
    await dialog.getByLabel("邮件", { exact: true }).check()
    await dialog.getByLabel("VIP", { exact: true }).check()
    await dialog.getByLabel("抽样比例（%）").fill("50")
    await dialog.getByLabel("每位客户间隔（天）").fill("14")
    await dialog.getByLabel("延迟（分钟）").fill("")
    await dialog.getByRole("button", { name: "保存" }).click()
    // an empty delay is refused by the API, on its field, in Chinese
    await dialog.getByRole("alert").first().waitFor()
    await dialog.getByLabel("延迟（分钟）").fill("30")
    await dialog.getByRole("button", { name: "保存" }).click()
    await dialog.waitFor({ state: "hidden" })
    const row = rules.getByRole("row").filter({ hasText: "VIP 邮件抽样" })
    await row.getByText("抽取 50% 的工单").waitFor()
    await row.getByText("每位客户 14 天内最多一次", { exact: false }).waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-rules-zh.png`, fullPage: true })
    await phone("feedback-rules")
    await row.getByRole("button", { name: "停用" }).click()
    await row.getByText("已停用").waitFor()
    const saved: any = await page.evaluate(async () => (await fetch("/api/v1/feedback/rules")).json())
    const vip = saved.items.find((r: { name: string }) => r.name === "VIP 邮件抽样")
    expect(vip).toMatchObject({
      enabled: false,
      channels: ["email"],
      segments: ["vip"],
      sampleRate: 0.5,
      capDays: 14,
      delayMinutes: 30,
    })

    // a root cause in the taxonomy
    await page.getByRole("tab", { name: "原因分析" }).click()
    await page.getByLabel("代码").fill("billing")
    await page.getByLabel("名称（中文）").fill("计费错误")
    await page.getByLabel("名称（英文）").fill("Billing error")
    await page.getByRole("button", { name: "保存原因" }).click()
    await page.getByRole("cell", { name: "计费错误" }).waitFor()

    // a complaint recorded on screen, then every ISO 10002 stage as an action
    await page.getByRole("tab", { name: "投诉" }).click()
    await page.getByRole("button", { name: "登记投诉" }).click()
    await dialog.getByLabel("摘要").fill("重复扣费两次")
    await dialog.getByLabel("诉求").fill("退还多扣的 99 元")
    await dialog.getByLabel("根本原因").selectOption("billing")
    await dialog.getByRole("button", { name: "登记", exact: true }).click()
    await page.waitForURL(/\/feedback\/items\/fitem_/)
    const clocks = page.getByTestId("feedback-clocks")
    await clocks.getByText("确认", { exact: true }).waitFor()
    await clocks.getByText("进行中").first().waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-complaint-received-zh.png`, fullPage: true })
    await page.getByRole("button", { name: "确认受理" }).click()
    await page.getByRole("button", { name: "记录评估" }).waitFor()
    expect(await page.getByRole("button", { name: "记录评估" }).isDisabled()).toBe(true)
    await page.getByLabel("严重程度").selectOption("medium")
    await page.getByLabel("复杂程度").selectOption("complex")
    await page.getByRole("button", { name: "记录评估" }).click()
    await page.getByRole("button", { name: "开始调查" }).waitFor()
    // the response clock says why it is due when it is, in Chinese
    await clocks.getByRole("button", { name: "为什么是这个截止时间？" }).last().click()
    await clocks.getByText("复杂投诉：30 天内答复（2020 年金融监管总局模板）。").waitFor()
    await page.getByRole("button", { name: "开始调查" }).click()
    await page.getByLabel("处理决定", { exact: true }).fill("核实为系统重复扣款")
    await page.getByLabel("提供的补救措施").fill("退还 99 元并致歉")
    await page.getByRole("button", { name: "提出处理决定与补救" }).click()
    await page.getByRole("button", { name: "告知处理决定" }).click()
    await page.getByRole("button", { name: "投诉人申诉" }).waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-complaint-decided-zh.png`, fullPage: true })
    await phone("feedback-complaint-decided")
    await page.getByRole("button", { name: "投诉人接受：结案" }).click()
    await page.getByRole("button", { name: "4", exact: true }).click()
    await page.getByRole("button", { name: "保存评分" }).click()
    await page.getByTestId("handling-rating").getByText("4 / 5").waitFor()
    const ledger = page.getByTestId("feedback-ledger")
    for (const stage of ["已确认", "已评估", "调查中", "已拟定答复", "已告知处理决定", "已结案（客户接受）"])
      await ledger.getByText(stage, { exact: true }).waitFor()
    await clocks.getByText("达标").first().waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-complaint-closed-zh.png`, fullPage: true })
    await phone("feedback-complaint-closed")

    // the Pareto of complaint causes counts it
    await page.goto(`${running.url}/feedback?tab=causes`)
    await page.getByTestId("feedback-pareto").waitFor()
    const day = 86_400_000
    const pareto: any = await page.evaluate(
      async ([from, to]) =>
        (await fetch(`/api/v1/feedback/pareto?kind=complaint&from=${from}&to=${to}`)).json(),
      [new Date(Date.now() - 30 * day).toISOString(), new Date(Date.now() + day).toISOString()] as const,
    )
    const billing = pareto.causes.find((c: { code: string }) => c.code === "billing")
    expect(billing.count).toBeGreaterThanOrEqual(1)
    await page
      .getByRole("row")
      .filter({ hasText: "计费错误" })
      .getByRole("cell", { name: String(billing.count), exact: true })
      .waitFor()
    await page.screenshot({ path: `${SHOTS}feedback-pareto-zh.png`, fullPage: true })
    await phone("feedback-pareto")
  }, 300_000)
})
