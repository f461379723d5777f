import { definePlugin } from "@tenet/plugin-sdk"

const stage = (
  id: string,
  zh: string,
  en: string,
  fields: Record<string, string>,
  required: string[],
  extra: Record<string, unknown> = {},
) => ({
  id,
  name: { "zh-CN": zh, en },
  fields: {
    type: "object",
    properties: Object.fromEntries(
      Object.entries(fields).map(([k, title]) => [k, { type: "string", title, "x-widget": "textarea" }]),
    ),
    required,
  },
  guard: { required },
  ...extra,
})

/** 8D (D0–D8), domain.md §E: containment, root cause of occurrence and escape, permanent correction, prevention. */
export default definePlugin({
  id: "eight-d",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "8D 问题解决", en: "8D problem solving" },
  contributes: {
    workflows: [
      {
        id: "eight-d",
        version: "1",
        name: { "zh-CN": "8D 问题解决", en: "8D problem solving" },
        triggers: ["complaint", "qa_critical_error", "kpi_breach", "audit_finding"],
        stages: [
          stage(
            "d0_prepare",
            "D0 准备",
            "D0 Prepare",
            { emergency: "Emergency response / 紧急响应", warranted: "Is 8D warranted? / 是否需要 8D" },
            ["warranted"],
          ),
          stage("d1_team", "D1 组建团队", "D1 Team", { team: "Team and champion / 团队与负责人" }, ["team"]),
          stage(
            "d2_describe",
            "D2 描述问题",
            "D2 Describe",
            { five_w2h: "5W2H / 问题描述", is_is_not: "IS / IS NOT" },
            ["five_w2h"],
          ),
          stage(
            "d3_contain",
            "D3 临时遏制",
            "D3 Contain",
            { containment: "Interim containment, verified / 临时措施及验证" },
            ["containment"],
          ),
          stage(
            "d4_root_cause",
            "D4 根因分析",
            "D4 Root cause",
            { occurrence: "Root cause of occurrence / 发生根因", escape: "Escape point / 流出根因" },
            ["occurrence", "escape"],
          ),
          stage(
            "d5_choose_pca",
            "D5 选择永久措施",
            "D5 Choose PCA",
            { pca: "Permanent corrective actions and evidence / 永久纠正措施及证据" },
            ["pca"],
          ),
          stage(
            "d6_implement_validate",
            "D6 实施与验证",
            "D6 Implement and validate",
            { validation: "Validation, containment removed / 验证结果" },
            ["validation"],
          ),
          stage(
            "d7_prevent",
            "D7 预防再发",
            "D7 Prevent",
            { prevention: "Standards, training, similar processes / 标准、培训、类似流程" },
            ["prevention"],
          ),
          stage(
            "d8_close",
            "D8 关闭与表彰",
            "D8 Close and recognise",
            { recognition: "Recognition / 表彰" },
            [],
            { terminal: true, guard: { approverRole: "supervisor" } },
          ),
        ],
        transitions: [
          { from: "d0_prepare", to: "d1_team" },
          { from: "d1_team", to: "d2_describe" },
          { from: "d2_describe", to: "d3_contain" },
          { from: "d3_contain", to: "d4_root_cause" },
          { from: "d4_root_cause", to: "d5_choose_pca" },
          { from: "d5_choose_pca", to: "d6_implement_validate" },
          { from: "d6_implement_validate", to: "d7_prevent" },
          { from: "d6_implement_validate", to: "d4_root_cause" },
          { from: "d7_prevent", to: "d8_close" },
        ],
      },
    ],
  },
})
