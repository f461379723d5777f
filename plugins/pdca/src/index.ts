import { definePlugin } from "@tenet/plugin-sdk"

const text = (title: string) => ({ type: "string", title, "x-widget": "textarea" })

/** PDCA (plan–do–check–act), the seed's improvement cycle (seed 000 §1.4, domain.md §E). */
export default definePlugin({
  id: "pdca",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "PDCA 循环", en: "PDCA cycle" },
  description: {
    "zh-CN": "计划、执行、检查、处理：检查阶段用同一指标复测，处理阶段把改进固化为标准新版本。",
    en: "Plan, do, check, act: Check re-measures the same metric; Act standardises the fix into the next version of the standard.",
  },
  contributes: {
    workflows: [
      {
        id: "pdca",
        version: "1",
        name: { "zh-CN": "PDCA 循环", en: "PDCA cycle" },
        triggers: [
          "kpi_breach",
          "control_chart_signal",
          "complaint",
          "qa_critical_error",
          "risk",
          "idea",
          "audit_finding",
        ],
        stages: [
          {
            id: "plan",
            name: { "zh-CN": "计划", en: "Plan" },
            dueInDays: 7,
            fields: {
              type: "object",
              properties: {
                problem: text("Problem statement / 问题描述"),
                root_cause: text("Root-cause hypothesis (5 whys, fishbone) / 根因假设"),
                actions: text("Actions: owner and date / 改进措施（负责人、日期）"),
                success_measure: { type: "string", title: "Success measure / 成功标准" },
                // in the metric's unit: the admin app takes a rate in percent, as it shows it
                target_value: {
                  type: "number",
                  title: "Target after the change / 改进后目标值",
                  "x-unit": "metric",
                },
              },
              required: ["problem", "root_cause", "actions"],
            },
            guard: { required: ["problem", "root_cause", "actions"], approverRole: "supervisor" },
          },
          {
            id: "do",
            name: { "zh-CN": "执行", en: "Do" },
            dueInDays: 14,
            fields: {
              type: "object",
              properties: {
                actions_done: text("Actions carried out / 已执行的措施"),
                pilot_scope: { type: "string", title: "Pilot scope / 试点范围" },
                deviations: text("Deviations / 偏差"),
              },
              required: ["actions_done"],
            },
            guard: { required: ["actions_done"] },
          },
          {
            id: "check",
            name: { "zh-CN": "检查", en: "Check" },
            dueInDays: 7,
            fields: {
              type: "object",
              properties: {
                conclusion: text("Conclusion from the re-measurement / 复测结论"),
                side_effects: text("Side effects on guard metrics / 对其他指标的影响"),
              },
              required: ["conclusion"],
            },
            guard: { required: ["conclusion"] },
          },
          {
            id: "act",
            name: { "zh-CN": "处理", en: "Act" },
            dueInDays: 7,
            fields: {
              type: "object",
              properties: {
                decision: {
                  type: "string",
                  title: "Decision / 决定",
                  enum: ["standardize", "adjust", "abandon"],
                },
                lessons: text("Lessons learned / 经验教训"),
                training: { type: "string", title: "Training assigned / 安排的培训" },
              },
              required: ["decision", "lessons"],
            },
            guard: { required: ["decision", "lessons"], approverRole: "supervisor" },
          },
          { id: "closed", name: { "zh-CN": "已关闭", en: "Closed" }, terminal: true },
        ],
        transitions: [
          { from: "plan", to: "do" },
          { from: "do", to: "check" },
          { from: "do", to: "plan" },
          { from: "check", to: "act" },
          { from: "check", to: "do" },
          { from: "act", to: "closed" },
          { from: "act", to: "plan" },
        ],
      },
    ],
  },
})
