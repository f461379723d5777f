import { definePlugin } from "@tenet/plugin-sdk"

/**
 * The plugin the author guide builds: a custom standard for a night shift, a three-stage
 * quick-fix workflow, and a handler that reacts to breaches.
 */
export default definePlugin({
  id: "example-standard",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "示例：夜班服务标准", en: "Example: night-shift service standard" },
  contributes: {
    standards: [
      {
        format: "tenet-standard/v1",
        id: "night-shift",
        version: "1.0",
        title: { "zh-CN": "夜班服务标准", en: "Night-shift service standard" },
        provider: "Example Co.",
        licence: "CC0-1.0",
        reviewCadenceDays: 90,
        clauses: [
          {
            id: "1",
            title: { "zh-CN": "夜间响应", en: "Night response" },
            requirements: [
              {
                id: "1.1",
                title: {
                  "zh-CN": "在线客服咨询 15 分钟内响应",
                  en: "Chat inquiries answered within 15 minutes",
                },
                targets: [
                  {
                    id: "chat-frt",
                    metric: "process.first_response_sla",
                    operator: ">=",
                    value: 0.95,
                    warningBand: 0.02,
                    filter: { channel: "chat", type: "inquiry" },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    workflows: [
      {
        id: "quick-fix",
        version: "1",
        name: { "zh-CN": "快速修复", en: "Quick fix" },
        triggers: ["kpi_breach", "idea"],
        stages: [
          {
            id: "triage",
            name: { "zh-CN": "分诊", en: "Triage" },
            fields: {
              type: "object",
              properties: { cause: { type: "string", title: "Likely cause / 可能原因" } },
              required: ["cause"],
            },
            guard: { required: ["cause"] },
          },
          {
            id: "fix",
            name: { "zh-CN": "修复", en: "Fix" },
            fields: {
              type: "object",
              properties: { change: { type: "string", title: "What changed / 做了什么改动" } },
              required: ["change"],
            },
            guard: { required: ["change"] },
          },
          { id: "done", name: { "zh-CN": "完成", en: "Done" }, terminal: true },
        ],
        transitions: [
          { from: "triage", to: "fix" },
          { from: "fix", to: "done" },
          { from: "fix", to: "triage" },
        ],
      },
    ],
    // installed like the standard, from the Plugins page: a night-shift QA scorecard and its calendar
    scorecards: [
      {
        name: "夜班质检 · Night-shift QA",
        definition: {
          passMark: 80,
          sections: [
            {
              id: "night",
              name: { "zh-CN": "夜班服务", en: "Night service" },
              criteria: [
                {
                  id: "handover",
                  name: { "zh-CN": "交接班记录完整", en: "Handover note complete" },
                  weight: 1,
                  scale: "binary",
                  critical: "business",
                },
                {
                  id: "tone",
                  name: { "zh-CN": "语气与耐心", en: "Tone and patience" },
                  weight: 2,
                  scale: "5",
                },
              ],
            },
          ],
        },
      },
    ],
    calendars: [
      {
        name: "夜班 · Night shift",
        spec: {
          timeZone: "Asia/Shanghai",
          hours: {
            mon: [["20:00", "24:00"]],
            tue: [
              ["00:00", "08:00"],
              ["20:00", "24:00"],
            ],
            wed: [
              ["00:00", "08:00"],
              ["20:00", "24:00"],
            ],
            thu: [
              ["00:00", "08:00"],
              ["20:00", "24:00"],
            ],
            fri: [
              ["00:00", "08:00"],
              ["20:00", "24:00"],
            ],
            sat: [["00:00", "08:00"]],
          },
        },
      },
    ],
  },
  handlers: [
    {
      name: "count-breaches",
      events: ["standards.target.breached"],
      handle: async (event) => {
        breaches.push(event.aggregateId)
      },
    },
  ],
})

/** Breaches this plugin has seen (a real plugin would notify someone). */
export const breaches: string[] = []
