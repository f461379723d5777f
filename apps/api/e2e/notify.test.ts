/**
 * Browser test of the notification centre: a real server (embedded database, demo data) with an SMTP
 * server and a webhook receiver started by the test on loopback. A case breaches its SLA; the
 * owner's bell shows it, the e-mail arrives at the SMTP server, the receiver gets the signed event.
 * Screenshots of the bell, the list, preferences and webhooks in both languages under screenshots/.
 */
import type { BrowserContext, Page } from "playwright-core"
import { Webhook } from "standardwebhooks"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { DEMO } from "../src/demo"
import { type Mailbox, type Receiver, startReceiver, startSmtp } from "../test/servers"
import { launchBrowser, SHOTS, startProduct, until } from "./browser"

let product: Awaited<ReturnType<typeof startProduct>>
let running: { url: string }
let context: BrowserContext
let page: Page
let smtp: Mailbox
let receiver: Receiver
const env = ["TENET_SMTP_URL", "TENET_MAIL_FROM", "TENET_WEBHOOKS_ALLOW_PRIVATE"] as const
const saved = Object.fromEntries(env.map((k) => [k, process.env[k]]))

beforeAll(async () => {
  smtp = await startSmtp()
  receiver = await startReceiver()
  process.env.TENET_SMTP_URL = smtp.url
  process.env.TENET_MAIL_FROM = "Tenet <tenet@e2e.test>"
  process.env.TENET_WEBHOOKS_ALLOW_PRIVATE = "1"
  product = await startProduct("notify", 7)
  running = product
  ;({ context, page } = await launchBrowser("zh-CN"))
}, 240_000)

afterAll(async () => {
  await context?.close()
  await product?.stop()
  await smtp?.close()
  await receiver?.close()
  for (const k of env)
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
})

const signIn = async (email: string) => {
  const res = await fetch(`${running.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: running.url },
    body: JSON.stringify({ email, password: DEMO.password }),
  })
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!
  const me = (await (await fetch(`${running.url}/api/v1/auth/me`, { headers: { cookie } })).json()) as any
  return { cookie, me, headers: { cookie, origin: running.url, "content-type": "application/json" } }
}

describe("notifications in the browser", () => {
  it("a case breaches: the bell shows it, the e-mail arrives, the receiver gets the signed event", async () => {
    const owner = await signIn(DEMO.people[0]!.email)
    const agentEmail = DEMO.people.find((p) => p.role === "agent")!.email
    const agent = await signIn(agentEmail)
    const hook: any = await (
      await fetch(`${running.url}/api/v1/webhooks`, {
        method: "POST",
        headers: owner.headers,
        body: JSON.stringify({ url: receiver.url, eventTypes: ["process.sla.breached"], description: "e2e" }),
      })
    ).json()
    expect(hook.secret).toMatch(/^whsec_/)
    // a case received ten days ago, owned by the agent: the sweep breaches it within a second or two. Its
    // intake record is complete (customer, content, category), so only its answer is late — an incomplete
    // one would also breach the initial-record clock and its escalations would fill the bell's latest eight
    const created: any = await (
      await fetch(`${running.url}/api/v1/process/cases`, {
        method: "POST",
        headers: owner.headers,
        body: JSON.stringify({
          type: "inquiry",
          channel: "email",
          subject: "E2E 通知测试",
          content: "发票抬头如何修改？",
          category: "billing",
          customer: { name: "通知测试客户" },
          ownerId: agent.me.user.id,
          receivedAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
        }),
      })
    ).json()
    expect(created.id).toMatch(/^case_/)
    const number = created.number as number

    // the e-mail, in the agent's language (the organisation's: zh-CN)
    const mail = await until("the e-mail", () =>
      smtp.messages.find(
        (m) => m.to.includes(agentEmail) && m.mail.subject === `工单 #${number} 已违反首次响应目标`,
      ),
    )
    expect(mail.mail.text).toContain(`/cases/${created.id}`)

    // the signed event
    const got = await until("the webhook", () =>
      receiver.received.find((r) => r.body.includes(created.id) && r.body.includes("process.sla.breached")),
    )
    const event = new Webhook(hook.secret).verify(got.body, got.headers as Record<string, string>) as any
    expect(event).toMatchObject({ type: "process.sla.breached", data: { id: created.id } })

    // the bell
    await page.goto(`${running.url}/sign-in`)
    await page.getByLabel("邮箱").fill(agentEmail)
    await page.getByLabel("密码").fill(DEMO.password)
    await page.getByRole("button", { name: "登录" }).click()
    await page.waitForURL(`${running.url}/`)
    await page.getByTestId("bell-count").waitFor()
    const count = Number(await page.getByTestId("bell-count").textContent())
    expect(count).toBeGreaterThan(0)
    await page.getByTestId("bell").click()
    const item = page.getByRole("button", { name: new RegExp(`工单 #${number} 已违反首次响应目标`) })
    await item.waitFor()
    await page.screenshot({ path: `${SHOTS}notify-bell-zh.png` })
    await item.click()
    await page.waitForURL(`${running.url}/cases/${created.id}`)
    await until("the count to drop", async () => {
      const text = await page
        .getByTestId("bell-count")
        .textContent({ timeout: 1000 })
        .catch(() => "0")
      return Number(text) < count || undefined
    })
  }, 180_000)

  it("shows the list, preferences and webhooks in both languages", async () => {
    await page.goto(`${running.url}/notifications`)
    await page.getByTestId("notification-list").waitFor()
    await page.screenshot({ path: `${SHOTS}notify-list-zh.png` })
    await page.goto(`${running.url}/notifications/preferences`)
    await page.getByTestId("pref-sla.breached").waitFor()
    await page.screenshot({ path: `${SHOTS}notify-prefs-zh.png` })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${running.url}/notifications`)
    await page.getByTestId("notification-list").waitFor()
    await page.screenshot({ path: `${SHOTS}notify-list-mobile-zh.png` })
    await page.setViewportSize({ width: 1440, height: 900 })
    // the owner sees webhooks: the delivery log of the receiver, and a test event
    await context.clearCookies()
    await page.goto(`${running.url}/sign-in`)
    await page
      .getByTestId("language-switcher")
      .selectOption("en")
      .catch(() => {})
    await page.getByLabel(/Email|邮箱/).fill(DEMO.people[0]!.email)
    await page.getByLabel(/Password|密码/).fill(DEMO.password)
    await page.getByRole("button", { name: /Sign in|登录/ }).click()
    await page.waitForURL(`${running.url}/`)
    await page.getByTestId("language-switcher").selectOption("en")
    await page.goto(`${running.url}/notifications/webhooks`)
    await page.getByTestId("webhook-list").waitFor()
    await page.getByRole("button", { name: receiver.url }).click()
    await page.getByTestId("delivery-log").waitFor()
    const before = receiver.received.length
    await page.getByTestId("webhook-test").click()
    await until("the test event", () => receiver.received.length > before || undefined)
    await page.getByRole("cell", { name: "webhook.test" }).first().waitFor({ timeout: 20_000 })
    await page.screenshot({ path: `${SHOTS}notify-webhooks-en.png` })
    await page.getByTestId("bell").click()
    await page.screenshot({ path: `${SHOTS}notify-bell-en.png` })
    await page.goto(`${running.url}/notifications/preferences`)
    await page.getByTestId("pref-sla.breached").waitFor()
    await page.screenshot({ path: `${SHOTS}notify-prefs-en.png` })
  }, 120_000)
})
