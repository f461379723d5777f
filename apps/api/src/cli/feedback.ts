/**
 * Feedback from the command line, in Chinese or English (--locale, default TENET_LOCALE or zh-CN):
 * the surveys with their responses, a survey's results with n and intervals, sending the surveys
 * that are due (into the mail queue the server's mail worker sends), rebuilding the survey rollups.
 */
import type { Db } from "@tenet/core"
import { Dispatch, Results, Rollups, Surveys } from "@tenet/feedback"
import { sql } from "kysely"
import { deliverByEmail } from "../feedback/runtime"
import { mailSettingsFromEnv } from "../notify/mail"
import { orgBySlug, out, program, UsageError, withDb } from "./shared"

export type CliLocale = "zh-CN" | "en"

/** Every line the commands print, in both languages. */
export const MESSAGES = {
  "zh-CN": {
    noSurveys: "还没有问卷",
    published: (v: number | null) => (v === null ? "未发布" : `已发布 v${v}`),
    responses: (n: number) => `${n} 份回复`,
    results: (name: string, from: string, to: string) => `${name}：${from} 至 ${to}`,
    n: "样本量 n",
    score: { csat: "满意率（CSAT）", nps: "净推荐值（NPS）", ces: "费力度均值（CES）" },
    dissatisfied: { csat: "不满意率（DSAT）", nps: "贬损者占比", ces: "1–3 分占比" },
    responseRate: "回复率",
    interval: "95% 置信区间",
    weighted: "按客户分群加权（校正回复率差异）",
    previous: "与上期相比",
    significant: "差异显著",
    notSignificant: "差异不显著",
    warning: (min: number) => `注意：样本量低于 ${min}，结果仅供参考`,
    noData: "本期没有回复",
    sent: (sent: number, skipped: number) => `已发送 ${sent} 份问卷，跳过 ${skipped} 份`,
    rebuilt: (rows: number, tz: string) => `已重建满意度汇总：${rows} 行（时区 ${tz}）`,
    customKind: "自定义问卷没有总分；请在管理界面查看各题结果",
    noSuchSurvey: (id: string) => `--survey：没有编号为 "${id}" 的问卷`,
  },
  en: {
    noSurveys: "no surveys yet",
    published: (v: number | null) => (v === null ? "not published" : `published v${v}`),
    responses: (n: number) => `${n} responses`,
    results: (name: string, from: string, to: string) => `${name}: ${from} to ${to}`,
    n: "sample size n",
    score: { csat: "satisfied (CSAT)", nps: "Net Promoter Score (NPS)", ces: "effort mean (CES)" },
    dissatisfied: { csat: "dissatisfied (DSAT)", nps: "detractors", ces: "share scoring 1–3" },
    responseRate: "response rate",
    interval: "95% interval",
    weighted: "weighted by segment (corrects for differing response rates)",
    previous: "change from the period before",
    significant: "significant",
    notSignificant: "not significant",
    warning: (min: number) => `note: fewer than ${min} responses, read with care`,
    noData: "no responses in the period",
    sent: (sent: number, skipped: number) => `sent ${sent} surveys, skipped ${skipped}`,
    rebuilt: (rows: number, tz: string) => `rebuilt the survey rollups: ${rows} rows (time zone ${tz})`,
    customKind: "a custom survey has no overall score; see each question's results in the admin app",
    noSuchSurvey: (id: string) => `--survey: no survey with id "${id}"`,
  },
} as const

export const localeOf = (value: string | undefined): CliLocale => {
  const v = value ?? process.env.TENET_LOCALE ?? "zh-CN"
  if (v !== "zh-CN" && v !== "en") throw new UsageError(`--locale must be zh-CN or en (got "${v}")`)
  return v
}

const pct = (x: number | null) => (x === null ? "—" : `${(100 * x).toFixed(1)}%`)

/** A value as the command prints it: percent for shares, points for NPS, a mean for CES. */
const show = (kind: Results.ScoreKind, x: number | null) =>
  x === null ? "—" : kind === "csat" ? pct(x) : kind === "nps" ? x.toFixed(1) : x.toFixed(2)

/** The surveys with their published version and responses. */
export const surveysReport = async (db: Db.Database, orgId: string, locale: CliLocale) => {
  const m = MESSAGES[locale]
  const surveys = await Surveys.listSurveys(db, orgId)
  const counts = await sql<{ survey_id: string; n: number }>`select survey_id, count(*)::int as n
    from feedback.response where org_id = ${orgId} group by survey_id`.execute(db.kysely)
  const n = new Map(counts.rows.map((r) => [r.survey_id, r.n]))
  const items = surveys.map((s) => ({ ...s, responses: n.get(s.id) ?? 0 }))
  const text = items.length
    ? items
        .map(
          (s) =>
            `${s.id}  ${s.name}  [${s.kind}]  ${m.published(s.publishedVersion)}  ${m.responses(s.responses)}`,
        )
        .join("\n")
    : m.noSurveys
  return { text, data: { items } }
}

/** A survey's results over [from, to): n, the score with its interval, the response rate, weighting, the change. */
export const resultsReport = async (
  db: Db.Database,
  orgId: string,
  input: { surveyId: string; from: Date; to: Date; locale: CliLocale },
) => {
  const m = MESSAGES[input.locale]
  const survey = (await Surveys.listSurveys(db, orgId)).find((s) => s.id === input.surveyId)
  if (!survey) throw new UsageError(m.noSuchSurvey(input.surveyId))
  if (survey.kind === "custom") throw new UsageError(m.customKind)
  const kind = survey.kind
  const r = await Results.results(db, orgId, { kind, surveyId: survey.id, from: input.from, to: input.to })
  const day = (d: Date) => d.toISOString().slice(0, 10)
  const iv = (e: Results.Estimate) =>
    e.lower === null || e.upper === null
      ? ""
      : `  ${m.interval} ${show(kind, e.lower)}–${show(kind, e.upper)}`
  const lines = [m.results(survey.name, day(input.from), day(input.to)), `  ${m.n} = ${r.n}`]
  if (r.n === 0) lines.push(`  ${m.noData}`)
  else {
    lines.push(`  ${m.score[kind]}: ${show(kind, r.score.value)}${iv(r.score)}`)
    lines.push(
      `  ${m.dissatisfied[kind]}: ${pct(r.dissatisfied.value)}${r.dissatisfied.value === null ? "" : `  ${m.interval} ${pct(r.dissatisfied.lower)}–${pct(r.dissatisfied.upper)}`}`,
    )
    if (r.weighted)
      lines.push(
        `  ${m.weighted}: ${pct(r.weighted.score.value)}  ${m.interval} ${pct(r.weighted.score.lower)}–${pct(r.weighted.score.upper)}`,
      )
    if (r.previous.difference !== null)
      lines.push(
        `  ${m.previous}: ${r.previous.difference >= 0 ? "+" : ""}${kind === "csat" ? `${(100 * r.previous.difference).toFixed(1)} pt` : r.previous.difference.toFixed(2)} (p = ${r.previous.pValue?.toFixed(3)}, ${r.previous.significant ? m.significant : m.notSignificant})`,
      )
  }
  lines.push(
    `  ${m.responseRate}: ${pct(r.responseRate.value)} (${r.responseRate.numerator ?? 0}/${r.invited})${r.responseRate.value === null ? "" : `  ${m.interval} ${pct(r.responseRate.lower)}–${pct(r.responseRate.upper)}`}`,
  )
  if (r.warning) lines.push(`  ${m.warning(r.minN)}`)
  return { text: lines.join("\n"), data: { survey, results: r } }
}

const dateOption = (name: string, value: string) => {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) throw new UsageError(`--${name}: not a date (use YYYY-MM-DD or ISO 8601)`)
  return d
}

export const registerFeedbackCommands = () => {
  const feedback = program
    .command("feedback")
    .description("feedback: surveys and their results, sending due surveys, the survey rollups")

  feedback
    .command("surveys")
    .description("list the surveys with their published version and number of responses")
    .requiredOption("--org <slug>", "the organisation")
    .option("--locale <locale>", "zh-CN or en (default TENET_LOCALE or zh-CN)")
    .action(async (o: { org: string; locale?: string }) =>
      withDb(async (db) => {
        const locale = localeOf(o.locale)
        const r = await surveysReport(db, (await orgBySlug(db, o.org)).id, locale)
        out(r.text, r.data)
      }),
    )

  feedback
    .command("results")
    .description(
      "a survey's results: n, the score with its 95% interval, the response rate, weighting, the change",
    )
    .requiredOption("--org <slug>", "the organisation")
    .requiredOption("--survey <id>", "the survey's id (see `tenet feedback surveys`)")
    .option("--from <date>", "start of the period (default 30 days ago)")
    .option("--to <date>", "end of the period, exclusive (default now)")
    .option("--locale <locale>", "zh-CN or en (default TENET_LOCALE or zh-CN)")
    .action(async (o: { org: string; survey: string; from?: string; to?: string; locale?: string }) =>
      withDb(async (db) => {
        const locale = localeOf(o.locale)
        const to = o.to ? dateOption("to", o.to) : new Date()
        const from = o.from ? dateOption("from", o.from) : new Date(to.getTime() - 30 * 86_400_000)
        if (from >= to) throw new UsageError("--from must be before --to")
        const r = await resultsReport(db, (await orgBySlug(db, o.org)).id, {
          surveyId: o.survey,
          from,
          to,
          locale,
        })
        out(r.text, r.data)
      }),
    )

  feedback
    .command("send-due")
    .description("send the surveys that are due now (each once; their e-mails go to the mail queue)")
    .option("--limit <n>", "at most this many in this run", "500")
    .option("--locale <locale>", "zh-CN or en (default TENET_LOCALE or zh-CN)")
    .action(async (o: { limit: string; locale?: string }) =>
      withDb(async (db, config) => {
        const locale = localeOf(o.locale)
        const limit = Number(o.limit)
        if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000)
          throw new UsageError("--limit must be a whole number from 1 to 1,000,000")
        const mail = mailSettingsFromEnv(config.publicUrl ?? `http://localhost:${config.port}`)
        const r = await Dispatch.sendDue(db, deliverByEmail(mail), { limit })
        out(MESSAGES[locale].sent(r.sent, r.skipped), r)
      }),
    )

  feedback
    .command("rebuild-rollups")
    .description("rebuild an organisation's survey rollups from the raw rows (kept fresh after that)")
    .requiredOption("--org <slug>", "the organisation")
    .option("--locale <locale>", "zh-CN or en (default TENET_LOCALE or zh-CN)")
    .action(async (o: { org: string; locale?: string }) =>
      withDb(async (db) => {
        const locale = localeOf(o.locale)
        const r = await Rollups.rebuild(db, (await orgBySlug(db, o.org)).id)
        out(MESSAGES[locale].rebuilt(r.rows, r.timeZone), r)
      }),
    )
}
