import { definePlugin } from "@tenet/plugin-sdk"

const text = (zh: string, en: string) => ({
  type: "string",
  title: en,
  "x-title": { "zh-CN": zh, en },
  "x-widget": "textarea",
})

/**
 * A3 problem solving (Toyota's one-page report), domain.md §E: background, current condition,
 * goal, root-cause analysis, countermeasures, the plan, the follow-up that re-measures, and what
 * is standardised. The follow-up stage is the cycle's Check: it re-measures the triggering metric.
 */
export default definePlugin({
  id: "a3",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "A3 问题解决", en: "A3 problem solving" },
  description: {
    "zh-CN": "一页纸 A3 报告：背景、现状、目标、根因、对策、计划、跟进复测与标准化。",
    en: "The one-page A3 report: background, current condition, goal, root cause, countermeasures, plan, follow-up re-measurement and standardising.",
  },
  contributes: {
    workflows: [
      {
        id: "a3",
        version: "1",
        name: { "zh-CN": "A3 问题解决", en: "A3 problem solving" },
        triggers: [
          "kpi_breach",
          "control_chart_signal",
          "complaint",
          "qa_critical_error",
          "audit_finding",
          "idea",
        ],
        stages: [
          {
            id: "background",
            name: { "zh-CN": "背景与现状", en: "Background and current condition" },
            dueInDays: 7,
            fields: {
              type: "object",
              properties: {
                background: text("背景：为何重要", "Background: why it matters"),
                current_condition: text("现状（数据、流程图）", "Current condition (data, process map)"),
                goal: {
                  type: "number",
                  title: "Goal",
                  "x-title": { "zh-CN": "目标值", en: "Goal" },
                  "x-unit": "metric",
                },
              },
              required: ["background", "current_condition"],
            },
            guard: { required: ["background", "current_condition"] },
          },
          {
            id: "analysis",
            name: { "zh-CN": "根因分析", en: "Root-cause analysis" },
            dueInDays: 7,
            fields: {
              type: "object",
              properties: { root_cause: text("根因（5 个为什么、鱼骨图）", "Root cause (5 whys, fishbone)") },
              required: ["root_cause"],
            },
            guard: { required: ["root_cause"] },
          },
          {
            id: "countermeasures",
            name: { "zh-CN": "对策与计划", en: "Countermeasures and plan" },
            dueInDays: 14,
            fields: {
              type: "object",
              properties: {
                countermeasures: text("对策", "Countermeasures"),
                plan: text("实施计划（负责人、日期）", "Implementation plan (owner, date)"),
              },
              required: ["countermeasures", "plan"],
            },
            guard: { required: ["countermeasures", "plan"], approverRole: "supervisor" },
          },
          {
            id: "check",
            name: { "zh-CN": "跟进复测", en: "Follow-up" },
            dueInDays: 14,
            fields: {
              type: "object",
              properties: {
                follow_up: text("跟进结论（复测结果）", "Follow-up conclusion (re-measurement)"),
              },
              required: ["follow_up"],
            },
            guard: { required: ["follow_up"] },
          },
          {
            id: "standardize",
            name: { "zh-CN": "标准化", en: "Standardise" },
            dueInDays: 7,
            fields: {
              type: "object",
              properties: { lessons: text("标准化内容与经验教训", "What is standardised, lessons learned") },
              required: ["lessons"],
            },
            guard: { required: ["lessons"], approverRole: "supervisor" },
          },
          { id: "closed", name: { "zh-CN": "已关闭", en: "Closed" }, terminal: true },
        ],
        transitions: [
          { from: "background", to: "analysis" },
          { from: "analysis", to: "countermeasures" },
          { from: "analysis", to: "background" },
          { from: "countermeasures", to: "check" },
          { from: "countermeasures", to: "analysis" },
          { from: "check", to: "standardize" },
          { from: "check", to: "countermeasures" },
          { from: "standardize", to: "closed" },
        ],
      },
    ],
  },
})
