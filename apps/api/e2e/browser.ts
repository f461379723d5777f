/**
 * What every browser test starts with: a real server on the embedded database with the demo
 * organisation (a data folder of its own), headless Chromium (the machine's, never a download),
 * and signing in as the demo owner. Screenshots go to screenshots/ at the repository's root.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { configFromEnv } from "../src/config"
import { DEMO } from "../src/demo"
import { type Running, start } from "../src/server"

export const SHOTS = new URL("../../../screenshots/", import.meta.url).pathname

/** A server on a fresh data folder with `demoDays` days of demo data; `stop` removes the folder. */
export const startProduct = async (name: string, demoDays: number) => {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), `tenet-e2e-${name}-`))
  const config = configFromEnv({
    TENET_DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    TENET_DEMO_DAYS: String(demoDays),
  })
  // above every port Chromium refuses to open (its "unsafe" list ends at 10080; 3659, once drawn from the
  // old 3190–3689 range, failed the whole run) and below the kernel's ephemeral range
  const running: Running = await start(
    { ...config, port: 12_000 + Math.floor(Math.random() * 8_000) },
    () => {},
  )
  return {
    running,
    url: running.url,
    stop: async () => {
      await running.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Headless Chromium with a new empty profile, in `locale`, at a desktop size. */
export const launchBrowser = async (locale = "zh-CN"): Promise<{ context: BrowserContext; page: Page }> => {
  const profile = mkdtempSync(join(tmpdir(), "tenet-chromium-"))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    locale,
    viewport: { width: 1440, height: 900 },
    // without the background-networking flags Chromium's own connections are refused by a closed network
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  })
  return { context, page: context.pages()[0] ?? (await context.newPage()) }
}

/** Sign in as a demo person (the owner by default) in Chinese. */
export const signIn = async (page: Page, url: string, email = DEMO.people[0]!.email) => {
  await page.goto(`${url}/sign-in`)
  await page.getByLabel("邮箱").fill(email)
  await page.getByLabel("密码").fill(DEMO.password)
  await page.getByRole("button", { name: "登录" }).click()
  await page.waitForURL(`${url}/`)
}

/** Poll until `f` gives a value (or throw after `ms`). */
export const until = async <A>(
  what: string,
  f: () => A | undefined | Promise<A | undefined>,
  ms = 60_000,
) => {
  const end = Date.now() + ms
  for (;;) {
    const a = await f()
    if (a !== undefined && a !== false) return a
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}
