/**
 * Browser test: a data-subject request from receipt to the downloaded export (a readable document in
 * the customer's language), and a deletion whose statement names what was kept for its legal minimum.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, expect, it } from "vitest"
import { launchBrowser, SHOTS, signIn, startProduct } from "./browser"

let product: Awaited<ReturnType<typeof startProduct>>
let context: BrowserContext
let page: Page

beforeAll(async () => {
  product = await startProduct("privacy", 14)
  ;({ context, page } = await launchBrowser("zh-CN"))
  await signIn(page, product.url)
}, 300_000)

afterAll(async () => {
  await context?.close()
  await product?.stop()
})

const receive = async (customerId: string, kind: string) => {
  await page.getByLabel("客户编号").fill(customerId)
  await page.getByLabel("请求类型").selectOption({ label: kind })
  await page.getByRole("button", { name: "登记", exact: true }).click()
}

it("a request goes from receipt to the downloaded export, and a deletion states what was kept", {
  timeout: 300_000,
}, async () => {
  const customers = await (await page.request.get(`${product.url}/api/v1/process/customers?limit=10`)).json()
  const customer = customers.items[6] as { id: string; name: string }
  await page.goto(`${product.url}/privacy`)
  // the demo's own requests are in the queue
  await page.locator("[data-testid^='request-']").first().waitFor()

  await receive(customer.id, "查阅复制")
  const access = page.getByTestId(`request-${customer.id}-access`)
  // 30 business days on the demo's service calendar: more than 30 calendar days left
  await access.getByText(/剩余 (3[0-9]|4[0-9]) 天/).waitFor()
  await access.getByLabel("身份核验方式").fill("核对身份证原件")
  await access.getByRole("button", { name: "核验身份" }).click()
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    access.getByRole("link", { name: "下载文档" }).click(),
  ])
  const file = await download.path()
  const html = readFileSync(file!, "utf8")
  expect(html).toContain("您的个人信息副本")
  expect(html).toContain(customer.name)
  expect(html).toContain("沟通记录")
  await access.getByRole("button", { name: "标记为已答复" }).click()
  await access.getByText("已完成").waitFor()

  await receive(customer.id, "删除")
  const deletion = page.getByTestId(`request-${customer.id}-deletion`)
  await deletion.getByLabel("身份核验方式").fill("核对预留手机号")
  await deletion.getByRole("button", { name: "核验身份" }).click()
  await deletion.getByRole("button", { name: "执行删除" }).click()
  const statement = deletion.locator("[data-testid^='statement-']")
  await statement.getByText(/沟通记录：保留 \d+ 条/).waitFor()
  expect(await statement.textContent()).toContain("通信记录至少保存两年")
  await page.screenshot({ path: join(SHOTS, "privacy-requests.zh-CN.png"), fullPage: true })
})

it("a correction request changes the customer's phone number, found by the new number", {
  timeout: 300_000,
}, async () => {
  const customers = await (await page.request.get(`${product.url}/api/v1/process/customers?limit=10`)).json()
  const customer = customers.items[7] as { id: string }
  await page.goto(`${product.url}/privacy`)
  // the request clock counts business days on the service calendar
  await page.getByTestId("privacy-clock").getByText("按服务日历的工作日计算。").waitFor()
  await page.getByLabel("客户编号").fill(customer.id)
  await page.getByLabel("请求类型").selectOption({ label: "更正补充" })
  await page.getByLabel("将电话号码更正为").fill("13911112222")
  await page.getByRole("button", { name: "登记", exact: true }).click()
  const correction = page.getByTestId(`request-${customer.id}-correction`)
  await correction.getByLabel("身份核验方式").fill("核对身份证原件")
  await correction.getByRole("button", { name: "核验身份" }).click()
  await correction.getByRole("button", { name: "执行更正" }).click()
  await correction.getByText("已更正：电话号码").waitFor()
  const found = await (
    await page.request.get(`${product.url}/api/v1/process/customers/lookup?phone=13911112222`)
  ).json()
  expect(found.items.map((c: { id: string }) => c.id)).toEqual([customer.id])
})
