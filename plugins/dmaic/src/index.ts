import { definePlugin } from "@tenet/plugin-sdk"

const text = (title: string) => ({ type: "string", title, "x-widget": "textarea" })
const gate = { approverRole: "supervisor" as const }

/** DMAIC, domain.md §E: a tollgate review (approval) at each exit. */
export default definePlugin({
  id: "dmaic",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "DMAIC 六西格玛改进", en: "DMAIC (Six Sigma)" },
  contributes: {
    workflows: [
      {
        id: "dmaic",
        version: "1",
        name: { "zh-CN": "DMAIC 六西格玛改进", en: "DMAIC (Six Sigma)" },
        triggers: ["kpi_breach", "control_chart_signal", "idea"],
        stages: [
          {
            id: "define",
            name: { "zh-CN": "界定", en: "Define" },
            fields: {
              type: "object",
              properties: { charter: text("Charter: problem, goal, scope, CTQs, SIPOC / 项目章程") },
              required: ["charter"],
            },
            guard: { required: ["charter"], ...gate },
          },
          {
            id: "measure",
            name: { "zh-CN": "测量", en: "Measure" },
            fields: {
              type: "object",
              properties: {
                data_plan: text(
                  "Operational definitions, data plan, measurement-system check / 数据收集计划",
                ),
              },
              required: ["data_plan"],
            },
            guard: { required: ["data_plan"], ...gate },
          },
          {
            id: "analyze",
            name: { "zh-CN": "分析", en: "Analyze" },
            fields: {
              type: "object",
              properties: { root_causes: text("Verified root causes with evidence / 经验证的根因") },
              required: ["root_causes"],
            },
            guard: { required: ["root_causes"], ...gate },
          },
          {
            id: "improve",
            name: { "zh-CN": "改进", en: "Improve" },
            fields: {
              type: "object",
              properties: { solution: text("Solution, FMEA, pilot results / 方案与试点结果") },
              required: ["solution"],
            },
            guard: { required: ["solution"], ...gate },
          },
          {
            id: "control",
            name: { "zh-CN": "控制", en: "Control" },
            fields: {
              type: "object",
              properties: {
                control_plan: text("Control plan: metric, chart, limits, owner, reaction / 控制计划"),
              },
              required: ["control_plan"],
            },
            guard: { required: ["control_plan"], ...gate },
          },
          { id: "closed", name: { "zh-CN": "已关闭", en: "Closed" }, terminal: true },
        ],
        transitions: [
          { from: "define", to: "measure" },
          { from: "measure", to: "analyze" },
          { from: "analyze", to: "improve" },
          { from: "improve", to: "control" },
          { from: "control", to: "closed" },
          { from: "analyze", to: "measure" },
        ],
      },
    ],
  },
})
