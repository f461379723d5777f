/**
 * Workforce planning in the browser (issue #20): the staffing plan of the busiest queue says which
 * handling time it uses (measured from the demo's cases, with n); a what-if of +100 % volume doubles
 * the forecast; forecast accuracy shows figures at first start (the demo backfills two weeks of
 * forecasts); Settings → Queues and shifts saves a queue's handling time and adds a shift.
 */
import type { BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, SHOTS, signIn, startProduct, until } from "./browser"

let product: Awaited<ReturnType<typeof startProduct>>
let context: BrowserContext
let page: Page

beforeAll(async () => {
  product = await startProduct("workforce", 45)
  ;({ context, page } = await launchBrowser("zh-CN"))
}, 600_000)

afterAll(async () => {
  await context?.close()
  await product?.stop()
})

/** The forecast column of the plan table summed over the day shown (each cell "1.2 (0.3–2.5)"). */
const dayForecast = async () => {
  const cells = await page
    .getByTestId("workforce-table")
    .locator("tbody tr td:nth-child(2)")
    .allTextContents()
  return cells.reduce((a, c) => a + Number.parseFloat(c), 0)
}

describe("workforce planning", () => {
  it("plans with the measured handling time, answers a what-if, shows accuracy, and edits queues and shifts", async () => {
    await signIn(page, product.url)
    await page.goto(`${product.url}/workforce`)
    await page.getByTestId("workforce-table").waitFor()
    // hourly intervals: a few arrivals per cell, so that doubling them is not lost to rounding
    await page.getByTestId("workforce-interval").selectOption("60")
    await page
      .getByTestId("workforce-handling")
      .getByText(/n = \d+/)
      .waitFor()
    const handling = await page.getByTestId("workforce-handling").textContent()
    expect(handling).toMatch(/处理时长 \d+ 秒/)
    // the busiest day of the horizon (the busiest queue is shown first)
    const days = page.getByTestId("workforce-day")
    const options = await days.locator("option").count()
    let best = { i: 0, total: -1 }
    for (let i = 0; i < options; i++) {
      await days.selectOption({ index: i })
      const total = await dayForecast()
      if (total > best.total) best = { i, total }
    }
    await days.selectOption({ index: best.i })
    expect(best.total).toBeGreaterThanOrEqual(1)
    const before = await dayForecast()
    await page.getByTestId("whatif-volume").fill("100")
    await page.getByTestId("whatif-apply").click()
    // (while the new plan loads the table is replaced by a placeholder: wait for it to come back changed)
    const after = await until("the what-if plan", async () => {
      const shown = await page.getByTestId("workforce-table").locator("tbody tr").count()
      const v = await dayForecast()
      return shown > 0 && v > before + 0.05 ? v : undefined
    })
    // each cell is rounded to a tenth: the day's total doubles within that rounding
    const cells = await page.getByTestId("workforce-table").locator("tbody tr").count()
    expect(Math.abs(after - 2 * before)).toBeLessThanOrEqual(0.1 * cells)
    expect(after / before).toBeGreaterThan(1.5)
    await page.screenshot({ path: `${SHOTS}workforce-plan-whatif.png`, fullPage: true })

    // forecast accuracy has figures at first start
    await page.goto(`${product.url}/workforce/accuracy`)
    await page.getByText(/近 28 天，按队列和时段：wMAPE \d/).waitFor()
    await page.getByTestId("workforce-actuals-chart").waitFor()
    // the error at three levels, each next to what chance alone gives at those volumes, with n
    const levels = page.getByTestId("workforce-accuracy-levels")
    for (const [k, label] of [
      ["interval", "按队列和时段"],
      ["queueDay", "按队列和天"],
      ["day", "全部队列按天"],
    ] as const) {
      const cells = await levels.getByTestId(`accuracy-${k}`).locator("td").allTextContents()
      expect(cells[0]).toBe(label)
      expect(cells[1]).toMatch(/^\d+\.\d %$/)
      expect(cells[2]).toMatch(/^\d+\.\d %$/)
      expect(Number(cells[4])).toBeGreaterThan(0)
    }
    const pctOf = async (k: string) =>
      Number.parseFloat((await levels.getByTestId(`accuracy-${k}`).locator("td").nth(1).textContent()) ?? "")
    // summed over a day the noise of quiet intervals cancels: the daily error is far below the interval one
    expect(await pctOf("day")).toBeLessThan((await pctOf("interval")) / 2)
    await page.screenshot({ path: `${SHOTS}workforce-accuracy.png`, fullPage: true })

    // Settings → Queues and shifts: save a queue's handling time, add a shift
    await page.goto(`${product.url}/settings/workforce`)
    const rows = page.getByTestId("workforce-queues").locator("tbody tr")
    await rows.first().waitFor()
    const row = rows.first()
    const key = await row.getAttribute("data-testid")
    // the table fits its card: no horizontal scrolling at the test's 1440 px
    const box = await page.getByTestId("workforce-queues").evaluate((t) => {
      const wrap = t.parentElement!
      const card = t.closest(".t-card")!
      return {
        table: t.getBoundingClientRect().width,
        wrap: wrap.clientWidth,
        scroll: wrap.scrollWidth,
        card: card.getBoundingClientRect().width,
      }
    })
    expect(box.scroll, JSON.stringify(box)).toBeLessThanOrEqual(box.wrap)
    expect(box.table, JSON.stringify(box)).toBeLessThanOrEqual(box.card)
    await row.getByLabel("处理时长（秒）").fill("333")
    await row.getByRole("button", { name: "保存" }).click()
    await page.getByText("已保存").first().waitFor()
    await page.reload()
    await expect
      .poll(
        () =>
          page
            .getByTestId(key ?? "")
            .getByLabel("处理时长（秒）")
            .inputValue(),
        { timeout: 30_000 },
      )
      .toBe("333")
    // a bad value is refused, naming the field
    const again = page.getByTestId(key ?? "")
    await again.getByLabel("目标比例（%）").fill("100")
    await again.getByRole("button", { name: "保存" }).click()
    await again.locator(".t-error-text").first().waitFor()
    const shiftsBefore = await page.getByTestId("workforce-shifts").locator("tbody tr").count()
    const form = page.getByTestId("shift-form")
    await form.getByLabel("团队").selectOption({ index: 1 })
    await form.getByLabel("人员").selectOption({ index: 1 })
    await form.getByLabel("开始").fill("10:00")
    await form.getByLabel("结束").fill("16:00")
    await form.getByRole("button", { name: "添加排班" }).click()
    await until("the new shift", async () =>
      (await page.getByTestId("workforce-shifts").locator("tbody tr").count()) === shiftsBefore + 1
        ? true
        : undefined,
    )
    await page.screenshot({ path: `${SHOTS}workforce-settings.png`, fullPage: true })
  })
})
