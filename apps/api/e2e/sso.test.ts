/**
 * Browser test: single sign-on through a real OpenID provider (oidc-provider on loopback). The
 * demo owner sets the provider up through the API; a new person then opens the sign-in link,
 * signs in on the provider's own login form, lands in the app in the role mapped from their
 * groups claim, and signs out; the owner (password sign-in kept) sees the settings, secret hidden.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { configFromEnv } from "../src/config"
import { DEMO } from "../src/demo"
import { type Running, start } from "../src/server"
import { type OpenIdProvider, startOpenIdProvider } from "../test/servers"

const SHOTS = new URL("../../../screenshots/", import.meta.url).pathname
let running: Running
let op: OpenIdProvider
let dataDir: string
let context: BrowserContext
let page: Page

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dataDir = mkdtempSync(join(tmpdir(), "tenet-e2e-sso-"))
  const config = configFromEnv({
    TENET_DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    TENET_DEMO_DAYS: "7",
  })
  // above Chromium's unsafe ports, below the ephemeral range (as admin.test.ts)
  running = await start({ ...config, port: 12_000 + Math.floor(Math.random() * 8_000) }, () => {})
  op = await startOpenIdProvider([`${running.url}/api/v1/auth/sso/callback`])
  op.accounts.set("lea", {
    email: "lea@demo.tenet.local",
    email_verified: true,
    name: "Lea Liu",
    groups: ["cs-leads"],
  })
  // the demo owner sets the provider up (as Settings → Single sign-on does)
  const signIn = await fetch(`${running.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: running.url },
    body: JSON.stringify({ email: DEMO.people[0]!.email, password: DEMO.password }),
  })
  expect(signIn.status).toBe(200)
  const cookie = signIn.headers.getSetCookie()[0]!.split(";")[0]!
  const put = await fetch(`${running.url}/api/v1/sso/settings`, {
    method: "PUT",
    headers: { "content-type": "application/json", origin: running.url, cookie, "x-tenet-org": DEMO.slug },
    body: JSON.stringify({
      displayName: "Demo SSO",
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: op.clientSecret,
      scopes: "openid email profile groups",
      allowedDomains: ["demo.tenet.local"],
      roleClaim: "groups",
      roleMap: [{ value: "cs-leads", role: "supervisor" }],
      defaultRole: "agent",
      enabled: true,
      passwordSignIn: false,
    }),
  })
  expect(put.status).toBe(200)
  const profile = mkdtempSync(join(tmpdir(), "tenet-chromium-"))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    locale: "zh-CN",
    viewport: { width: 1280, height: 860 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  })
  page = context.pages()[0] ?? (await context.newPage())
}, 240_000)

afterAll(async () => {
  await context?.close()
  await op?.close()
  await running?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe("single sign-on in the browser", () => {
  it("signs in through the OpenID provider, lands in the mapped role, signs out", {
    timeout: 120_000,
  }, async () => {
    await page.goto(`${running.url}/sign-in?org=${DEMO.slug}`)
    const button = page.getByTestId("sso-sign-in")
    await button.waitFor()
    expect(await button.textContent()).toBe("通过 Demo SSO 登录")
    await page.screenshot({ path: `${SHOTS}sso-sign-in.png` })
    await button.click()
    // the provider's own login form (oidc-provider's development interaction)
    await page.waitForURL((u) => u.href.startsWith(op.issuer))
    await page.locator('input[name="login"]').fill("lea")
    await page.locator('input[name="password"]').fill("whatever")
    await page.locator('button[type="submit"]').click()
    await page.waitForURL(`${running.url}/`)
    const nav = page.getByRole("navigation", { name: "主导航" })
    await nav.getByRole("link", { name: "设置" }).waitFor()
    const me = (await page.evaluate(async () => (await fetch("/api/v1/auth/me")).json())) as {
      user: { email: string }
      memberships: unknown[]
    }
    expect(me.user.email).toBe("lea@demo.tenet.local")
    expect(me.memberships).toEqual([expect.objectContaining({ slug: DEMO.slug, role: "supervisor" })])
    await page.screenshot({ path: `${SHOTS}sso-signed-in.png` })
    await page.getByRole("button", { name: "退出登录" }).click()
    // signed out of the provider too (RP-initiated logout): its own confirmation, then back to the sign-in page
    await page.waitForURL((u) => u.href.startsWith(op.issuer))
    await page.locator('button[name="logout"][value="yes"]').click()
    await page.waitForURL(/\/sign-in/)
    const after = await page.evaluate(async () => (await fetch("/api/v1/auth/me")).status)
    expect(after).toBe(401)
    // the provider's session is gone: signing on again asks for the login once more
    await page.goto(`${running.url}/sign-in?org=${DEMO.slug}`)
    await page.getByTestId("sso-sign-in").click()
    await page.waitForURL((u) => u.href.startsWith(op.issuer))
    await page.locator('input[name="login"]').waitFor()
  })

  it("the owner still signs in with a password and sees the provider, its secret hidden", {
    timeout: 60_000,
  }, async () => {
    await page.goto(`${running.url}/sign-in`)
    await page.getByLabel("邮箱").fill(DEMO.people[0]!.email)
    await page.getByLabel("密码").fill(DEMO.password)
    await page.getByRole("button", { name: "登录", exact: true }).click()
    await page.waitForURL(`${running.url}/`)
    await page.goto(`${running.url}/settings/sso`)
    await page.getByTestId("sso-issuer").waitFor()
    expect(await page.getByTestId("sso-issuer").inputValue()).toBe(op.issuer)
    expect(await page.getByTestId("sso-clientSecret").inputValue()).toBe("")
    expect(await page.content()).not.toContain(op.clientSecret)
    await expect(page.getByText("已保存（不显示）。留空则保持不变。").isVisible()).resolves.toBe(true)
    await page.screenshot({ path: `${SHOTS}sso-settings.png`, fullPage: true })
  })
})
