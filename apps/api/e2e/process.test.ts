/**
 * Issue #18 (Process) in the browser: Cases → Settings adds a case type (labels in both languages)
 * and changes the priority matrix; the new-case dialog finds a customer and sets the category, tier
 * and team; a case received without a category shows its record incomplete until it is classified;
 * a customer is created and edited; the Import page lists the columns of each format. Screenshots in
 * zh-CN and English, 1440×900 and 390×844.
 */
import type { BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, SHOTS, signIn, startProduct } from "./browser"

let product: Awaited<ReturnType<typeof startProduct>>
let context: BrowserContext
let page: Page

beforeAll(async () => {
  product = await startProduct("process", 3)
  ;({ context, page } = await launchBrowser("zh-CN"))
}, 600_000)

afterAll(async () => {
  await context?.close()
  await product?.stop()
})

const shot = async (name: string) => {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true })
}

describe("#18 process in the app", () => {
  it("Cases → Settings: a new case type with both labels, and the priority matrix", async () => {
    await signIn(page, product.url)
    await page.goto(`${product.url}/cases/settings`)
    const form = page.getByTestId("vocabulary-form")
    await form.getByLabel("代码").fill("wish")
    await form.getByLabel("中文名称").fill("心愿")
    await form.getByLabel("英文名称").fill("Wish")
    await form.getByRole("button", { name: "添加" }).click()
    await page.getByRole("cell", { name: "心愿", exact: true }).waitFor()
    // a bad code is refused at its field
    await form.getByLabel("代码").fill("Not a code")
    await form.getByLabel("中文名称").fill("错")
    await form.getByLabel("英文名称").fill("Bad")
    await form.getByRole("button", { name: "添加" }).click()
    await form.getByText("请使用 1–64 个小写字母、数字、_ 或 -。").waitFor()
    // the matrix: low urgency × low impact becomes P3
    const cell = page.getByLabel("紧急程度为低、影响范围为低时的优先级")
    await cell.selectOption("p3")
    await page.getByTestId("process-settings").getByRole("button", { name: "保存" }).click()
    await page.getByText("已保存").first().waitFor()
    await page.reload()
    await expect(page.getByLabel("紧急程度为低、影响范围为低时的优先级").inputValue()).resolves.toBe("p3")
    await shot("case-settings-zh")
  })

  it("a new case with a customer found by name, a category, tier and team; then one without a category is classified later", async () => {
    const customer = await page.evaluate(async () => {
      const r = await fetch("/api/v1/process/customers?limit=1", {
        headers: { "x-tenet-org": localStorage.getItem("tenet.org") ?? "" },
      })
      return ((await r.json()) as { items: Array<{ name: string }> }).items[0]!.name
    })
    await page.goto(`${product.url}/cases`)
    await page.getByRole("button", { name: "新建工单" }).click()
    const dialog = page.getByRole("dialog")
    await dialog.getByLabel("主题").fill("想要夜间客服")
    await dialog.getByLabel("类型").selectOption({ label: "心愿" })
    await dialog.getByLabel("类别").selectOption({ label: "服务" })
    await dialog.getByLabel("层级").selectOption("L2")
    await dialog.getByLabel("团队").fill("general")
    await dialog.getByTestId("customer-lookup").getByRole("textbox").fill(customer)
    await dialog.getByTestId("customer-lookup").getByRole("button", { name: "搜索" }).click()
    await dialog
      .getByTestId("customer-lookup")
      .getByRole("button", { name: new RegExp(customer) })
      .first()
      .click()
    await dialog.getByLabel("描述", { exact: true }).fill("希望晚上十点后也有人接电话")
    await shot("case-new-dialog-zh")
    await dialog.getByRole("button", { name: "创建" }).click()
    await page.waitForURL(/\/cases\/case_/)
    await page.getByText("心愿").first().waitFor()
    // customer, description and category: the record was complete at intake
    await expect(page.getByTestId("recorded-at").textContent()).resolves.not.toContain("尚不完整")

    await page.goto(`${product.url}/cases`)
    await page.getByRole("button", { name: "新建工单" }).click()
    await dialog.getByLabel("主题").fill("电话里没说清楚的问题")
    await dialog.getByTestId("customer-lookup").getByRole("textbox").fill(customer)
    await dialog.getByTestId("customer-lookup").getByRole("button", { name: "搜索" }).click()
    await dialog
      .getByTestId("customer-lookup")
      .getByRole("button", { name: new RegExp(customer) })
      .first()
      .click()
    await dialog.getByLabel("描述", { exact: true }).fill("客户描述了一个问题，还没分类")
    await dialog.getByRole("button", { name: "创建" }).click()
    await page.waitForURL(/\/cases\/case_/)
    await page.getByTestId("recorded-at").getByText("尚不完整（首次记录时钟计时中）").waitFor()
    await shot("case-record-incomplete-zh")
    const record = page.getByTestId("record-panel")
    await record.getByLabel("类别").selectOption({ label: "技术" })
    // a milestone, written with the record
    await record.getByLabel("新的里程碑").fill("回电确认")
    await record.getByRole("button", { name: "添加" }).click()
    await record.getByRole("button", { name: "保存" }).click()
    await page.getByText("受理记录已完整").first().waitFor()
    await page.reload()
    await page.getByTestId("milestones").getByText("回电确认").waitFor()
    // a reply with the others who took part in the call
    await page.getByRole("textbox", { name: "回复客户" }).fill("已与客户和工程师通话")
    await page.getByLabel("参与人").fill("王工程师、客户家属")
    await page.getByRole("button", { name: "发送" }).click()
    await page.getByText("参与人: 王工程师、客户家属").waitFor()
    await shot("case-record-completed-zh")
    await expect(page.getByTestId("recorded-at").textContent()).resolves.not.toContain("尚不完整")
  })

  it("customers are created and edited in the app", async () => {
    await page.goto(`${product.url}/cases/customers`)
    await page.getByRole("button", { name: "新建客户" }).click()
    const dialog = page.getByTestId("customer-dialog")
    await dialog.getByLabel("姓名").fill("测试客户甲")
    await dialog.getByLabel("外部编号").fill("crm-e2e-1")
    await dialog.getByLabel("电话").fill("13912345678")
    await dialog.getByRole("button", { name: "保存" }).click()
    await page.getByText("客户已创建。").waitFor()
    await page.getByLabel("完整姓名、外部编号、电话或邮箱").fill("13912345678")
    await page.getByRole("button", { name: "搜索", exact: true }).click()
    await page.getByRole("cell", { name: "测试客户甲" }).waitFor()
    await page
      .getByRole("row", { name: /测试客户甲/ })
      .getByRole("button", { name: "编辑" })
      .click()
    await dialog.getByLabel("姓名").fill("测试客户乙")
    await dialog.getByLabel("客户分群").selectOption("vip")
    await dialog.getByRole("button", { name: "保存" }).click()
    await page.getByText("客户已保存。").waitFor()
    await page.getByRole("cell", { name: "测试客户乙" }).waitFor()
  })

  it("the Import page lists the columns of each format", async () => {
    await page.goto(`${product.url}/cases/import`)
    await page.getByLabel("格式").selectOption("freshdesk")
    await page.getByTestId("import-columns").getByText("可导入的列").click()
    await page.getByTestId("import-columns").getByText("description_text").waitFor()
    await page.getByLabel("格式").selectOption("zammad")
    await page.getByTestId("import-columns").getByText("article.body | articles[0].body").waitFor()
    await shot("case-import-columns-zh")
  })

  it("the same screens in English, wide and narrow", async () => {
    await page.getByTestId("language-switcher").selectOption("en")
    await page.getByTestId("import-columns").getByText("Column in the file").waitFor()
    await page.goto(`${product.url}/cases/settings`)
    await page.getByRole("cell", { name: "Wish", exact: true }).waitFor()
    await page.getByText("Case types and categories").first().waitFor()
    await shot("case-settings-en")
    await page.setViewportSize({ width: 390, height: 844 })
    await shot("case-settings-en-narrow")
    await page.goto(`${product.url}/cases`)
    await page.getByRole("button", { name: "New case" }).click()
    await page.getByRole("dialog").getByLabel("Category").waitFor()
    await shot("case-new-dialog-en-narrow")
    await page.keyboard.press("Escape")
    await page.getByTestId("language-switcher").selectOption("zh-CN")
    await page.goto(`${product.url}/cases/settings`)
    await page.getByText("工单类型与类别").first().waitFor()
    await shot("case-settings-zh-narrow")
    await page.setViewportSize({ width: 1440, height: 900 })
  })
})
