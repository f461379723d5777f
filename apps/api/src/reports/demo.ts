/**
 * The demo organisation's reports: a weekly compliance schedule, a monthly report schedule with
 * one produced report (PDF, or XLSX on a machine without a CJK font), a management review, and a
 * public service report configured but off.
 */
import type { Db, Tenancy } from "@tenet/core"
import { ComplianceSchedules, Reviews } from "@tenet/standards"
import { findPdfFont } from "./fonts"
import * as Public from "./public"
import * as Reports from "./service"

export const seedDemoReports = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  input: { standardId: string; ownerEmail: string; now: Date },
) => {
  await ComplianceSchedules.setSchedule(
    db,
    ctx,
    input.standardId,
    { frequency: "weekly", weekday: 1, time: "06:00" },
    input.now,
  )
  const schedule = await Reports.saveSchedule(
    db,
    ctx,
    {
      name: "月度服务绩效报告",
      source: "dashboard",
      format: findPdfFont() ? "pdf" : "xlsx",
      locale: "zh-CN",
      frequency: "monthly",
      monthDay: 1,
      time: "08:00",
      recipients: [input.ownerEmail],
    },
    undefined,
    input.now,
  )
  await Reports.produce(db, ctx, schedule, input.now, "demo")
  await Reviews.createReview(db, ctx, {
    title: "月度管理评审 · Monthly management review",
    from: new Date(input.now.getTime() - 31 * 86_400_000),
    to: new Date(input.now.getTime() + 60_000),
    heldAt: input.now,
    openCycles: [],
    risks: [
      "晚高峰人手不足 · Evening peak understaffed",
      "工单系统单点故障 · Ticket system single point of failure",
    ],
    decisions: [
      { text: "晚班增加两名坐席 · Two more agents on the evening shift", owner: "王芳 Wang Fang" },
      {
        text: "首次响应改进进入 PDCA · First response improvement goes into a PDCA cycle",
        owner: "李强 Li Qiang",
      },
    ],
    attendees: ["周敏 Zhou Min", "李强 Li Qiang", "王芳 Wang Fang", "陈静 Chen Jing"],
    notes: "演示数据 · Demo data",
  })
  await Public.saveSettings(db, ctx, {
    enabled: false,
    title: "服务质量公示 · Our service in numbers",
    intro: "我们每月公布客户服务的关键指标。· Each month we publish our key service figures.",
    kpis: [`${input.standardId}/frt-inquiry`, `${input.standardId}/frt-problem`, `${input.standardId}/fcr`],
    period: "last_30_days",
    scheduleId: schedule.id,
  })
}
