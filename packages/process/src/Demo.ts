/**
 * Demo data: about 90 days of realistic cases for a Chinese service centre — a channel mix,
 * customer segments, working-hour arrival peaks, most answered in time, some breaches,
 * escalations, repeats and reopenings, and a live queue for today. Deterministic (seeded).
 *
 * @since 0.1.0
 */
import { addBusinessTime, isOpen, makeCalendar } from "@tenet/calendar"
import { chinaMainland } from "@tenet/calendar/presets/cn"
import { Change, type Db, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { createCaseIn, intakeCache, replyIn, transitionIn } from "./Cases"
import { ensureDefaults, upsertCustomerIn } from "./Config"
import { asProcess } from "./Store"

const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(r: () => number, items: ReadonlyArray<readonly [T, number]>): T => {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let x = r() * total
  for (const [v, w] of items) {
    x -= w
    if (x < 0) return v
  }
  return items[items.length - 1]![0]
}

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "吴",
  "周",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "林",
  "罗",
  "高",
]
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀英",
  "霞",
  "平",
]
const COMPANIES = ["华东物流有限公司", "星河电子", "Acme Trading", "北辰科技", "Lotus Retail", "嘉禾餐饮集团"]
const SUBJECTS: Record<string, ReadonlyArray<readonly [string, string]>> = {
  inquiry: [
    ["发票抬头如何修改？", "billing"],
    ["会员积分什么时候到账？", "account"],
    ["请问营业时间和门店地址", "general"],
    ["How do I change my delivery address?", "delivery"],
    ["套餐升级的价格是多少？", "billing"],
    ["如何开具增值税专用发票", "billing"],
  ],
  problem: [
    ["App 登录一直提示验证码错误", "technical"],
    ["订单显示已发货但物流无更新", "delivery"],
    ["支付成功但订单未生成", "technical"],
    ["Invoice PDF cannot be downloaded", "technical"],
    ["退款超过 7 天仍未到账", "billing"],
    ["设备无法连接 Wi-Fi", "technical"],
  ],
  complaint: [
    ["客服电话长时间无人接听", "service"],
    ["快递员态度恶劣", "delivery"],
    ["重复扣款，要求立即处理", "billing"],
    ["Promised callback never happened", "service"],
  ],
  request: [
    ["申请修改账户绑定手机号", "account"],
    ["申请上门安装", "general"],
    ["Request a copy of my contract", "account"],
  ],
}

/** Seed ~`days` days of cases ending at `now`. Returns how many were created. */
export const seedDemoCases = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  options: {
    readonly days?: number
    readonly now?: Date
    readonly agents: ReadonlyArray<string>
    readonly seed?: number
  },
): Promise<number> => {
  await ensureDefaults(db, ctx)
  const existing = await sql<{
    n: number
  }>`select count(*)::int as n from process.case where org_id = ${ctx.orgId}`.execute(db.kysely)
  if (existing.rows[0]!.n > 0) return 0
  const r = rng(options.seed ?? 20250101)
  const now = options.now ?? new Date()
  const days = options.days ?? 90
  const cal = makeCalendar(chinaMainland())
  const agents = options.agents.length ? options.agents : [ctx.actor.id]
  // customers
  const customers = await Change.change(db, ctx, async ({ tx }) => {
    const out: Array<{ externalId: string; name: string; segment: string }> = []
    for (let i = 0; i < 160; i++) {
      const segment = pick(r, [
        ["vip", 1],
        ["new", 2],
        ["existing", 4],
        ["regular", 3],
      ] as const)
      const name =
        i % 9 === 0
          ? COMPANIES[i % COMPANIES.length]!
          : `${SURNAMES[Math.floor(r() * SURNAMES.length)]}${GIVEN[Math.floor(r() * GIVEN.length)]}`
      const c = {
        externalId: `CRM-${10000 + i}`,
        name,
        segment,
        valueTier: segment === "vip" ? "A" : segment === "new" ? "C" : "B",
        contactFrequency: pick(r, [
          ["high", 1],
          ["medium", 2],
          ["low", 3],
        ] as const),
        needPriority: pick(r, [
          ["high", 1],
          ["medium", 3],
          ["low", 2],
        ] as const),
        contacts: [
          { channel: "phone", value: `138${String(10000000 + Math.floor(r() * 89999999)).slice(0, 8)}` },
        ],
        ...(segment === "vip" ? { dedicatedTeam: "vip" } : {}),
      }
      await upsertCustomerIn(asProcess(tx), ctx.orgId, c)
      out.push(c)
    }
    return out
  })
  let created = 0
  const cache = intakeCache()
  const start = new Date(now.getTime() - days * 86_400_000)
  for (let d = 0; d <= days; d++) {
    const dayStart = new Date(start.getTime() + d * 86_400_000)
    const dayKey = new Date(dayStart.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
    const open = isOpen(cal, new Date(`${dayKey}T10:00:00+08:00`))
    const count = Math.round((open ? 14 : 4) * (0.7 + r() * 0.6) * (d > days - 7 ? 1.15 : 1))
    const arrivals: Date[] = []
    for (let i = 0; i < count; i++) {
      const hour = pick(r, [
        [8, 1],
        [9, 4],
        [10, 6],
        [11, 5],
        [12, 2],
        [13, 4],
        [14, 5],
        [15, 6],
        [16, 4],
        [17, 3],
        [18, 1],
        [20, 1],
        [22, 0.5],
      ] as const)
      const t = new Date(
        `${dayKey}T${String(hour).padStart(2, "0")}:${String(Math.floor(r() * 60)).padStart(2, "0")}:00+08:00`,
      )
      if (t < now) arrivals.push(t)
    }
    arrivals.sort((a, b) => a.getTime() - b.getTime())
    if (arrivals.length === 0) continue
    await Change.change(db, ctx, async (scope) => {
      for (const receivedAt of arrivals) {
        const type = pick(r, [
          ["inquiry", 5],
          ["problem", 3],
          ["complaint", 1],
          ["request", 1],
        ] as const)
        const [subject, category] = SUBJECTS[type]![Math.floor(r() * SUBJECTS[type]!.length)]!
        const customer = customers[Math.floor(r() ** 1.6 * customers.length)]!
        const channel = pick(r, [
          ["phone", 30],
          ["chat", 30],
          ["email", 18],
          ["web_form", 10],
          ["social", 6],
          ["on_site", 3],
          ["video", customer.segment === "vip" ? 8 : 1],
          ["api", 2],
        ] as const)
        const owner = agents[Math.floor(r() * agents.length)]!
        // some of the last day's cases were received without a category: their intake record is
        // incomplete, the initial-record clock runs (late after 30 business minutes) until an agent
        // classifies the case or resolves it (not drawn from the generator, so the rest stays as it was)
        const incomplete = now.getTime() - receivedAt.getTime() < 86_400_000 && created % 5 === 2
        const agentCtx = { ...scope, ctx: { ...ctx, actor: { type: "user" as const, id: owner } } }
        const c = await createCaseIn(
          asProcess(scope.tx),
          ctx,
          {
            type,
            channel,
            subject,
            content: `${subject}（${customer.name}）`,
            category: incomplete ? undefined : category,
            urgency: pick(r, [
              ["high", 1],
              ["medium", 3],
              ["low", 2],
            ] as const),
            customer: { externalId: customer.externalId, name: customer.name, segment: customer.segment },
            ownerId: owner,
            receivedAt,
            recordedAt: ((completed: Date) => (incomplete ? undefined : completed))(
              new Date(receivedAt.getTime() + Math.floor(r() < 0.93 ? r() * 20 : 30 + r() * 60) * 60_000),
            ),
          },
          receivedAt,
          cache,
        )
        created++
        // how fast the first answer came, in business minutes: mostly in target, sometimes late
        const late = r() < 0.09
        const firstMinutes =
          type === "inquiry"
            ? late
              ? 20 + r() * 90
              : 2 + r() * 12
            : late
              ? 26 * 60 + r() * 600
              : 10 + r() * 300
        const firstAt = addBusinessTime(cal, receivedAt, Math.round(firstMinutes * 60))
        if (firstAt > now) continue // still waiting: part of today's live queue
        await replyIn(agentCtx, c.id, { content: "您好，已收到您的问题，我们正在处理。" }, firstAt)
        let t = firstAt
        if (r() < 0.12) {
          t = addBusinessTime(cal, t, Math.round((30 + r() * 120) * 60))
          if (t > now) continue
          await transitionIn(agentCtx, c.id, { to: "escalated", reason: "需要二线技术支持" }, t)
        }
        if (r() < 0.15 && type !== "inquiry") {
          t = addBusinessTime(cal, t, Math.round((10 + r() * 60) * 60))
          if (t > now) continue
          await transitionIn(agentCtx, c.id, { to: "pending_customer", reason: "等待客户提供截图" }, t)
          t = new Date(t.getTime() + Math.round((2 + r() * 40) * 3_600_000))
          if (t > now) continue
          await replyIn(agentCtx, c.id, { content: "截图已上传。", direction: "inbound" }, t)
        }
        const resolveMinutes =
          type === "inquiry" ? 20 + r() * (r() < 0.1 ? 900 : 300) : 120 + r() * (r() < 0.12 ? 4000 : 2000)
        t = addBusinessTime(cal, t, Math.round(resolveMinutes * 60))
        if (t > now) continue
        await transitionIn(
          agentCtx,
          c.id,
          { to: "resolved", resolutionCode: type === "inquiry" ? "answered" : "fixed" },
          t,
        )
        if (r() < 0.05) {
          const back = new Date(t.getTime() + Math.round((4 + r() * 60) * 3_600_000))
          if (back > now) continue
          await transitionIn(agentCtx, c.id, { to: "in_progress", reason: "客户反馈问题仍未解决" }, back)
          t = addBusinessTime(cal, back, Math.round((60 + r() * 600) * 60))
          if (t > now) continue
          await transitionIn(agentCtx, c.id, { to: "resolved", resolutionCode: "fixed" }, t)
        }
        const closeAt = new Date(t.getTime() + Math.round((20 + r() * 50) * 3_600_000))
        if (closeAt < now && r() < 0.8) {
          await sql`update process.follow_up set done_at = ${closeAt}, outcome = ${"客户确认已解决"}
            where org_id = ${ctx.orgId} and case_id = ${c.id} and kind = 'confirmation'`.execute(scope.tx)
          await transitionIn(agentCtx, c.id, { to: "closed" }, closeAt)
        }
      }
    })
  }
  // a backlog that went wrong, whatever the time of day the demo is seeded at: six problems received
  // ten days ago that nobody has answered, all past their resolution target — the "no more than 5
  // cases past their resolution target" target is breached, and the dashboard can open a PDCA cycle
  if (days >= 10) {
    const stuckAt = new Date(now.getTime() - 10 * 86_400_000)
    await Change.change(db, ctx, async (scope) => {
      for (let i = 0; i < 6; i++) {
        const customer = customers[i % customers.length]!
        const receivedAt = new Date(stuckAt.getTime() + i * 7 * 60_000)
        await createCaseIn(
          asProcess(scope.tx),
          ctx,
          {
            type: "problem",
            channel: "email",
            subject: "退款迟迟未到账",
            content: `退款迟迟未到账（${customer.name}）`,
            category: "billing",
            urgency: "high",
            customer: { externalId: customer.externalId, name: customer.name, segment: customer.segment },
            ownerId: agents[i % agents.length]!,
            receivedAt,
            recordedAt: new Date(receivedAt.getTime() + 5 * 60_000),
          },
          receivedAt,
          cache,
        )
        created++
      }
    })
  }
  // the work each resolved case took (talk + hold + after-contact work, as a phone system or the
  // agent resolving it records), spread around a typical time per channel: workforce planning measures
  // each queue's average handling time from these (deterministic: from the case id)
  await sql`update process.case c set handle_seconds = greatest(30, round(t.base * (0.55 + 0.9 *
      (('x' || substr(md5(c.id), 1, 8))::bit(32)::bigint & 2147483647)::float8 / 2147483647)))::int
    from (values ('phone', 330), ('chat', 660), ('email', 420), ('web_form', 480), ('social', 300),
      ('on_site', 1500), ('video', 900), ('api', 240)) as t(channel, base)
    where c.org_id = ${ctx.orgId} and c.channel = t.channel and c.resolved_at is not null`.execute(db.kysely)
  await sql`update core.job j set status = 'done', finished_at = now()
    where j.org_id = ${ctx.orgId} and j.status = 'pending' and j.kind = 'process.follow_up' and j.run_at < ${now}`.execute(
    db.kysely,
  )
  return created
}
