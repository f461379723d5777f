import { definePlugin } from "@tenet/plugin-sdk"

const text = (zh: string, en: string) => ({
  type: "string",
  title: en,
  "x-title": { "zh-CN": zh, en },
  "x-widget": "textarea",
})

/**
 * CAPA (corrective and preventive action), domain.md §E: the problem and its containment, the root
 * cause, the corrective action, the preventive action, and an effectiveness check that re-measures
 * the triggering metric after the actions (the cycle's Check: before against after, with the test)
 * before the CAPA may close. An effectiveness check that shows no effect sends it back.
 */
export default definePlugin({
  id: "capa",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "CAPA 纠正与预防措施", en: "CAPA (corrective and preventive action)" },
  description: {
    "zh-CN": "问题与遏制、根因、纠正措施、预防措施，以及复测触发指标的有效性验证。",
    en: "Problem and containment, root cause, corrective action, preventive action, and an effectiveness check that re-measures the triggering metric.",
  },
  contributes: {
    workflows: [
      {
        id: "capa",
        version: "1",
        name: { "zh-CN": "CAPA 纠正与预防措施", en: "CAPA (corrective and preventive action)" },
        triggers: [
          "kpi_breach",
          "control_chart_signal",
          "complaint",
          "qa_critical_error",
          "audit_finding",
          "risk",
        ],
        stages: [
          {
            id: "problem",
            name: { "zh-CN": "问题与遏制", en: "Problem and containment" },
            dueInDays: 3,
            fields: {
              type: "object",
              properties: {
                problem: text("问题描述", "Problem statement"),
                containment: text("遏制措施（已受影响的客户）", "Containment (customers already affected)"),
              },
              required: ["problem", "containment"],
            },
            guard: { required: ["problem", "containment"] },
          },
          {
            id: "root_cause",
            name: { "zh-CN": "根因", en: "Root cause" },
            dueInDays: 7,
            fields: {
              type: "object",
              properties: { root_cause: text("根因（5 个为什么、鱼骨图）", "Root cause (5 whys, fishbone)") },
              required: ["root_cause"],
            },
            guard: { required: ["root_cause"] },
          },
          {
            id: "corrective",
            name: { "zh-CN": "纠正措施", en: "Corrective action" },
            dueInDays: 14,
            fields: {
              type: "object",
              properties: {
                corrective_action: text("纠正措施（负责人、日期）", "Corrective action (owner, date)"),
              },
              required: ["corrective_action"],
            },
            guard: { required: ["corrective_action"], approverRole: "supervisor" },
          },
          {
            id: "preventive",
            name: { "zh-CN": "预防措施", en: "Preventive action" },
            dueInDays: 14,
            fields: {
              type: "object",
              properties: {
                preventive_action: text(
                  "预防措施（流程、培训、系统）",
                  "Preventive action (process, training, system)",
                ),
              },
              required: ["preventive_action"],
            },
            guard: { required: ["preventive_action"] },
          },
          {
            id: "check",
            name: { "zh-CN": "有效性验证", en: "Effectiveness check" },
            dueInDays: 30,
            fields: {
              type: "object",
              properties: {
                effectiveness: text("有效性结论（复测结果）", "Effectiveness conclusion (re-measurement)"),
                lessons: text("经验教训", "Lessons learned"),
              },
              required: ["effectiveness"],
            },
            guard: { required: ["effectiveness"], approverRole: "supervisor" },
          },
          { id: "closed", name: { "zh-CN": "已关闭", en: "Closed" }, terminal: true },
        ],
        transitions: [
          { from: "problem", to: "root_cause" },
          { from: "root_cause", to: "corrective" },
          { from: "root_cause", to: "problem" },
          { from: "corrective", to: "preventive" },
          { from: "corrective", to: "root_cause" },
          { from: "preventive", to: "check" },
          { from: "check", to: "closed" },
          { from: "check", to: "corrective" },
        ],
      },
    ],
  },
})
