/** The demo's risks: one per seed 000 §6.1 category, rated inherent and residual, with a control each. */
type Rate = readonly [number, number]
export const RISKS: ReadonlyArray<{
  c: string
  t: string
  cause: string
  event: string
  cons: string
  inh: Rate
  res: Rate
  control: string
}> = [
  {
    c: "poor_communication",
    t: "政策变更未及时告知客户 · Policy changes reach customers late",
    cause: "知识库更新滞后 · knowledge base updated after the change",
    event: "客服给出过时答复 · agents give outdated answers",
    cons: "投诉与重复来电增加 · complaints and repeat contacts rise",
    inh: [3, 2],
    res: [2, 2],
    control: "变更前知识库审核 · knowledge review before each change",
  },
  {
    c: "response_delay",
    t: "高峰时段首次响应超时 · First responses late at peak",
    cause: "排班与来电高峰不匹配 · rota does not follow the peak",
    event: "首次响应超出承诺时限 · first response past the promise",
    cons: "客户流失、满意度下降 · churn and lower satisfaction",
    inh: [3, 3],
    res: [2, 3],
    control: "高峰时段弹性排班 · flexible peak rota",
  },
  {
    c: "quality_decline",
    t: "新人答复准确率不足 · New agents' answers less accurate",
    cause: "培训周期压缩 · shortened onboarding",
    event: "质检致命错误增加 · more critical QA errors",
    cons: "二次处理与赔付 · rework and compensation",
    inh: [2, 3],
    res: [2, 2],
    control: "新人前两周全量质检 · full QA for new agents' first two weeks",
  },
  {
    c: "system_failure",
    t: "电话系统供应商故障 · Telephony vendor outage",
    cause: "单一运营商线路 · single carrier",
    event: "呼入中断 · inbound calls fail",
    cons: "客户无法联系我们 · customers cannot reach us",
    inh: [2, 3],
    res: [1, 3],
    control: "备用运营商线路 · backup carrier line",
  },
  {
    c: "service_interruption",
    t: "在线客服渠道中断 · Chat channel interrupted",
    cause: "第三方插件升级失败 · failed vendor plug-in upgrade",
    event: "网页与 App 在线客服不可用 · web and app chat unavailable",
    cons: "来电激增、等待时间变长 · calls surge, waits grow",
    inh: [2, 2],
    res: [2, 2],
    control: "升级前灰度发布 · staged rollout of upgrades",
  },
  {
    c: "demand_surge",
    t: "促销活动带来来访激增 · Promotions bring contact surges",
    cause: "营销活动未提前告知客服 · campaigns not announced to service",
    event: "积压超出处理能力 · backlog beyond capacity",
    cons: "超时积压与投诉 · overdue backlog and complaints",
    inh: [2, 3],
    res: [1, 3],
    control: "活动日历同步 · shared campaign calendar",
  },
  {
    c: "data_leakage",
    t: "工单导出文件外泄 · Case exports leaked",
    cause: "导出文件通过邮件传递 · exports mailed as attachments",
    event: "客户个人信息发送给错误对象 · personal data sent to the wrong person",
    cons: "监管报告与信任受损 · regulatory notice, loss of trust",
    inh: [2, 3],
    res: [2, 2],
    control: "导出加密与审批 · encrypted, approved exports",
  },
]
