/**
 * The COPC-aligned baseline as data: the structure of a COPC-style operation and the seed targets
 * (domain.md §A3) in our own words — not the COPC text, which is copyrighted. Version 1.1 adds the
 * customer's voice, measured by the feedback module: the survey within 24 h of resolution (seed 000
 * §3.3), feedback answered within 24 h (§5.2), CSAT, and complaint handling (ISO 10002).
 */
export const copcBaseline = {
  format: "tenet-standard/v1",
  id: "copc-aligned-baseline",
  version: "1.1",
  title: { "zh-CN": "COPC 对齐基线标准", en: "COPC-aligned baseline" },
  locale: ["zh-CN", "en"],
  provider: "Tenet",
  copyright:
    "Tenet contributors; structure aligned with public descriptions of the COPC CX Standard, no COPC text",
  licence: "CC-BY-4.0",
  reviewCadenceDays: 180,
  clauses: [
    {
      id: "1",
      title: { "zh-CN": "领导与规划", en: "Leadership and planning" },
      requirements: [
        {
          id: "1.3",
          title: {
            "zh-CN": "为每项关键指标设定目标并按月复核",
            en: "Every key metric has a target, reviewed monthly",
          },
          text: {
            "zh-CN": "目标值注明依据（客户要求、基准或历史），偏离时启动改进。",
            en: "Targets state their rationale (customer requirement, benchmark or history); a miss starts an improvement cycle.",
          },
        },
      ],
    },
    {
      id: "2",
      title: { "zh-CN": "服务流程", en: "Service process" },
      clauses: [
        {
          id: "2.1",
          title: { "zh-CN": "受理与响应", en: "Intake and response" },
          requirements: [
            {
              id: "2.1.1",
              title: { "zh-CN": "咨询在 15 分钟内响应", en: "Inquiries answered within 15 minutes" },
              text: { "zh-CN": "来源：客户服务流程与规范 §3.1。", en: "Source: seed 000 §3.1." },
              targets: [
                {
                  id: "frt-inquiry",
                  metric: "process.first_response_sla",
                  operator: ">=",
                  value: 0.9,
                  warningBand: 0.03,
                  filter: { type: "inquiry" },
                },
              ],
            },
            {
              id: "2.1.2",
              title: { "zh-CN": "30 分钟内完成初始记录", en: "Initial record completed within 30 minutes" },
              text: {
                "zh-CN": "记录含客户信息、内容、时间与处理状态。",
                en: "The record holds the customer, content, time and status.",
              },
              targets: [
                {
                  id: "record",
                  metric: "process.initial_record_timeliness",
                  operator: ">=",
                  value: 0.95,
                  warningBand: 0.02,
                },
              ],
            },
            {
              id: "2.1.3",
              title: {
                "zh-CN": "问题在 24 小时内响应，复杂问题 48 小时内初步处理",
                en: "Problems answered within 24 h; complex problems handled within 48 h",
              },
              text: { "zh-CN": "来源：客户服务流程与规范 §3.2。", en: "Source: seed 000 §3.2." },
              targets: [
                {
                  id: "frt-problem",
                  metric: "process.first_response_sla",
                  operator: ">=",
                  value: 0.9,
                  warningBand: 0.03,
                  filter: { type: "problem" },
                },
              ],
            },
          ],
        },
        {
          id: "2.2",
          title: { "zh-CN": "解决与闭环", en: "Resolution and closed loop" },
          requirements: [
            {
              id: "2.2.1",
              title: { "zh-CN": "按时解决", en: "Cases resolved within their target" },
              targets: [
                {
                  id: "resolution",
                  metric: "process.resolution_sla",
                  operator: ">=",
                  value: 0.85,
                  warningBand: 0.03,
                },
              ],
            },
            {
              id: "2.2.2",
              title: { "zh-CN": "首次解决率不低于 70%", en: "First-contact resolution of at least 70 %" },
              targets: [{ id: "fcr", metric: "process.fcr", operator: ">=", value: 0.7, warningBand: 0.05 }],
            },
            {
              id: "2.2.3",
              title: { "zh-CN": "重开率不高于 5%", en: "Reopen rate of at most 5 %" },
              targets: [
                {
                  id: "reopen",
                  metric: "process.reopen_rate",
                  operator: "<=",
                  value: 0.05,
                  warningBand: 0.01,
                },
              ],
            },
            {
              id: "2.2.4",
              title: {
                "zh-CN": "解决后 24 小时内完成满意度调查",
                en: "Satisfaction survey within 24 h of resolution",
              },
              text: {
                "zh-CN": "来源：客户服务流程与规范 §3.3；由反馈模块度量。",
                en: "Source: seed 000 §3.3; measured by the feedback module.",
              },
              targets: [
                {
                  id: "survey-24h",
                  metric: "feedback.survey_within_24h",
                  operator: ">=",
                  value: 0.95,
                  warningBand: 0.02,
                },
              ],
            },
          ],
        },
        {
          id: "2.3",
          title: { "zh-CN": "记录与追溯", en: "Records and traceability" },
          requirements: [
            {
              id: "2.3.1",
              title: {
                "zh-CN": "沟通记录保存不少于 2 年",
                en: "Communication records kept for at least 2 years",
              },
              text: { "zh-CN": "来源：客户服务流程与规范 §4.3。", en: "Source: seed 000 §4.3." },
            },
          ],
        },
      ],
    },
    {
      id: "4",
      title: { "zh-CN": "绩效", en: "Performance" },
      requirements: [
        {
          id: "4.1",
          title: { "zh-CN": "升级率受控", en: "Escalation kept in check" },
          targets: [
            {
              id: "escalation",
              metric: "process.escalation_rate",
              operator: "<=",
              value: 0.15,
              warningBand: 0.02,
            },
          ],
        },
        {
          id: "4.2",
          title: { "zh-CN": "超时积压不超过 5 件", en: "No more than 5 cases past their resolution target" },
          targets: [{ id: "backlog", metric: "process.backlog", operator: "<=", value: 5 }],
        },
      ],
    },
    {
      id: "5",
      title: { "zh-CN": "客户之声", en: "The customer's voice" },
      requirements: [
        {
          id: "5.1",
          title: { "zh-CN": "客户满意度不低于 85%", en: "Customer satisfaction of at least 85 %" },
          text: {
            "zh-CN": "解决后满意度调查中选 4 或 5 分的占比（客户服务流程与规范 §5.1）。",
            en: "Share of post-resolution survey answers scoring 4 or 5 (seed 000 §5.1).",
          },
          targets: [{ id: "csat", metric: "feedback.csat", operator: ">=", value: 0.85, warningBand: 0.03 }],
        },
        {
          id: "5.2",
          title: { "zh-CN": "建议、表扬和投诉 24 小时内答复", en: "Feedback answered within 24 h" },
          text: { "zh-CN": "来源：客户服务流程与规范 §5.2。", en: "Source: seed 000 §5.2." },
          targets: [
            {
              id: "feedback-24h",
              metric: "feedback.replied_within_24h",
              operator: ">=",
              value: 0.95,
              warningBand: 0.02,
            },
          ],
        },
        {
          id: "5.3",
          title: {
            "zh-CN": "投诉按时确认和答复，重复投诉受控",
            en: "Complaints acknowledged and answered in time; repeats kept low",
          },
          text: {
            "zh-CN": "1 个工作日内确认；紧急投诉 24 小时内、其余按 15/30/60 天告知处理决定（ISO 10002）。",
            en: "Acknowledged within 1 business day; the decision within 24 h when urgent, otherwise 15 / 30 / 60 days (ISO 10002).",
          },
          targets: [
            {
              id: "complaint-ack",
              metric: "feedback.complaint_ack_attainment",
              operator: ">=",
              value: 0.95,
              warningBand: 0.03,
            },
            {
              id: "complaint-response",
              metric: "feedback.complaint_response_attainment",
              operator: ">=",
              value: 0.95,
              warningBand: 0.03,
            },
            {
              id: "complaint-repeat",
              metric: "feedback.repeat_complaint_rate",
              operator: "<=",
              value: 0.05,
              warningBand: 0.01,
            },
          ],
        },
      ],
    },
  ],
}
