// Feedback benchmark on a PostgreSQL server (a command, not a test), in one run:
//   1. the satisfaction dashboard (CSAT, NPS, CES and response rate, daily over 90 days, overall and by
//      channel) at 1 M responses, served from the daily rollups, next to the same numbers computed by a
//      naive GROUP BY over the raw rows; checks every number is equal and prints p50/p95 and the ratio;
//   2. dispatch of 100,000 due surveys by several dispatchers at once: rows/s, and that each was sent once.
// Run from the root: pnpm bench:feedback
//   (options: --responses 1000000 --loads 20 --raw-loads 3 --dispatch 100000 --dispatchers 4)
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { fmt, ms, pct, startPostgres } from "./pg.mjs"

const root = fileURLToPath(new URL("../..", import.meta.url))
const opt = (name, def) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : def
}
const RESPONSES = Number(opt("responses", 1_000_000))
const LOADS = Number(opt("loads", 20))
const RAW_LOADS = Number(opt("raw-loads", 3))
const DISPATCH = Number(opt("dispatch", 100_000))
const DISPATCHERS = Number(opt("dispatchers", 4))
// two in five invitations are answered: 2.5 invitations per response
const INVITATIONS = Math.ceil(RESPONSES / 0.4)

const { url, stop } = startPostgres()
console.log(`PostgreSQL: ${url.replace(/\/\/[^@]*@/, "//")}`)
const { Db, Migrations, Organizations } = await import(join(root, "packages/core/dist/index.js"))
const { Dispatch, Metrics, Rollups, Survey, Surveys } = await import(
  join(root, "packages/feedback/dist/index.js")
)
const { MODULES } = await import(join(root, "apps/api/dist/index.js"))
const { sql } = await import(join(root, "packages/core/node_modules/kysely/dist/index.js"))

const db = await Db.open({ kind: "postgres", url, max: 16 })
await Migrations.migrate(db, MODULES)
const org =
  (await Organizations.findBySlug(db, "bench-feedback")) ??
  (await Organizations.create(db, { type: "system", id: "bench" }, { name: "Bench", slug: "bench-feedback" }))
const TZ = "Asia/Shanghai"
await sql`update core.organization set time_zone = ${TZ} where id = ${org.id}`.execute(db.kysely)
const ctx = { orgId: org.id, actor: { type: "system", id: "bench" } }

// 90 whole local days ending 2026-11-01 (Asia/Shanghai)
const to = new Date("2026-11-01T00:00:00+08:00")
const from = new Date(to.getTime() - 90 * 86_400_000)

/**
 * Invitations spread evenly over the 90 days, two in five answered; each answer a CSAT (60 %), NPS
 * (25 %) or CES (15 %) response with a score drawn from a fixed hash, dimensions correlated the way
 * real ones are (an agent belongs to one team).
 */
const generate = async () => {
  const chunk = 250_000
  for (let lo = 1; lo <= INVITATIONS; lo += chunk) {
    const hi = Math.min(INVITATIONS, lo + chunk - 1)
    const at = sql.raw(
      `('${from.toISOString()}'::timestamptz + (((g * 7919) % 7776000) || ' seconds')::interval)`,
    )
    await sql`insert into feedback.invitation (org_id, id, source, case_id, rule_id, survey_id, survey_version, customer_id, customer_key,
        locale, status, case_type, channel, segment, team, agent_id, resolved_at, due_at, sent_at, expires_at, answered_at)
      select ${org.id}, 'finv_b' || g, 'dispatch', 'case_b' || g, 'drule_b', 'srv_b', 1, 'cus_b' || (g % 300000), 'cus_b' || (g % 300000),
        'zh-CN', case when g % 5 < 2 then 'answered' else 'sent' end,
        (array['inquiry','problem','complaint','request'])[1 + (g / 3) % 4],
        (array['phone','email','chat','web_form','social','on_site','video','api'])[1 + g % 8],
        (array['new','existing','vip','regular'])[1 + (g / 7) % 4],
        'team_' || ((g / 11) % 4), 'team_' || ((g / 11) % 4) || '_agent_' || ((g / 13) % 10),
        ${at} - interval '1 hour', ${at}, ${at}, ${at} + interval '14 days',
        case when g % 5 < 2 then ${at} + interval '2 hours' end
      from generate_series(${lo}::bigint, ${hi}::bigint) g`.execute(db.kysely)
    await sql`insert into feedback.response (org_id, id, invitation_id, survey_id, survey_version, case_id, customer_key, locale, answers,
        score_kind, score, sentiment, comment, dimensions, case_type, channel, segment, team, agent_id, submitted_at)
      select ${org.id}, 'fres_b' || g, 'finv_b' || g, 'srv_b', 1, 'case_b' || g, 'cus_b' || (g % 300000), 'zh-CN', '{"values":{}}',
        k.kind, k.score, case when k.score >= 4 then 'positive' else 'neutral' end, null, '{}',
        (array['inquiry','problem','complaint','request'])[1 + (g / 3) % 4],
        (array['phone','email','chat','web_form','social','on_site','video','api'])[1 + g % 8],
        (array['new','existing','vip','regular'])[1 + (g / 7) % 4],
        'team_' || ((g / 11) % 4), 'team_' || ((g / 11) % 4) || '_agent_' || ((g / 13) % 10),
        ${at} + interval '2 hours'
      from generate_series(${lo}::bigint, ${hi}::bigint) g
      cross join lateral (select case when (g / 5) % 20 < 12 then 'csat' when (g / 5) % 20 < 17 then 'nps' else 'ces' end as kind,
        (g::bigint * 2654435761) % 1000 as h) x
      cross join lateral (select x.kind,
        case x.kind when 'csat' then 1 + (case when x.h < 40 then 0 when x.h < 90 then 1 when x.h < 200 then 2 when x.h < 550 then 3 else 4 end)
          when 'nps' then x.h % 11 else 1 + x.h % 7 end as score) k
      where g % 5 < 2`.execute(db.kysely)
    if (process.stdout.isTTY) process.stdout.write(`\r  generated ${fmt(hi)} invitations`)
    else if (hi === INVITATIONS || hi % 1_000_000 === 0) console.log(`  generated ${fmt(hi)} invitations`)
  }
  if (process.stdout.isTTY) process.stdout.write("\n")
}

const series = [
  ["feedback.csat", []],
  ["feedback.nps", []],
  ["feedback.ces", []],
  ["feedback.response_rate", []],
  ["feedback.csat", ["channel"]],
  ["feedback.nps", ["channel"]],
  ["feedback.ces", ["channel"]],
  ["feedback.response_rate", ["channel"]],
]
const definitions = new Map(Metrics.metrics.map((m) => [m.id, m]))
const key = (v) => `${v.bucket ?? ""}|${JSON.stringify(v.dimensions ?? {})}`
const sorted = (values) => [...values].sort((a, b) => key(a).localeCompare(key(b)))
const load = (source) =>
  Promise.all(
    series.map(([id, groupBy]) =>
      definitions.get(id).compute(
        {
          orgId: org.id,
          from,
          to,
          timeZone: TZ,
          bucket: "day",
          groupBy,
          ...(source === "raw" ? { params: { source: "raw" } } : {}),
        },
        db,
      ),
    ),
  )
const timed = async (source, n) => {
  const lat = []
  let last
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    last = await load(source)
    lat.push(performance.now() - t)
  }
  return { lat, last }
}

let failed = false
console.log(
  `\n${fmt(RESPONSES)} responses (${fmt(INVITATIONS)} invitations), 90 days, ${series.length} metric series with daily buckets:`,
)
await sql`delete from feedback.response where org_id = ${org.id}`.execute(db.kysely)
await sql`delete from feedback.invitation where org_id = ${org.id}`.execute(db.kysely)
let t0 = performance.now()
await generate()
await sql`analyze feedback.response`.execute(db.kysely)
await sql`analyze feedback.invitation`.execute(db.kysely)
const responses = (
  await sql`select count(*)::int as n from feedback.response where org_id = ${org.id}`.execute(db.kysely)
).rows[0].n
console.log(
  `  data generated in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${fmt(responses)} responses`,
)
t0 = performance.now()
const built = await Rollups.rebuild(db, org.id)
console.log(
  `  rollups rebuilt from raw rows in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${fmt(built.rows)} rows`,
)
await load("rollup") // warm-up
const rolled = await timed("rollup", LOADS)
const raw = await timed("raw", RAW_LOADS)
let values = 0
let mismatches = 0
series.forEach(([id, groupBy], i) => {
  const a = JSON.stringify(sorted(rolled.last[i]))
  const b = JSON.stringify(sorted(raw.last[i]))
  values += rolled.last[i].length
  if (a !== b) {
    mismatches++
    console.log(`  MISMATCH ${id} by ${groupBy.join(",") || "day"}`)
  }
})
const n = rolled.last[0].reduce((a, v) => a + v.n, 0)
const p95r = pct(rolled.lat, 95)
const p95n = pct(raw.lat, 95)
console.log(
  `  numbers: ${fmt(values)} values in ${series.length} series (CSAT n = ${fmt(n)}), ${mismatches === 0 ? "all equal to the raw GROUP BY" : `${mismatches} series DIFFER`}`,
)
console.log(
  `  dashboard from rollups:  p50 ${ms(pct(rolled.lat, 50))}  p95 ${ms(p95r)}  (${LOADS} loads; target p95 ≤ 150 ms)`,
)
console.log(`  naive GROUP BY on raw:   p50 ${ms(pct(raw.lat, 50))}  p95 ${ms(p95n)}  (${RAW_LOADS} loads)`)
console.log(`  speed ratio (p95):       ${(p95n / p95r).toFixed(0)}×  (target ≥ 100×)`)
if (mismatches) failed = true

// 2. dispatch: DISPATCH surveys due now, sent by DISPATCHERS concurrent dispatchers
console.log(`\ndispatch of ${fmt(DISPATCH)} due surveys by ${DISPATCHERS} dispatchers at once:`)
const survey = await Surveys.createSurvey(db, ctx, { name: "Bench CSAT", definition: Survey.csatTemplate() })
await Surveys.publishSurvey(db, ctx, survey.id)
const rule = await Dispatch.saveRule(db, ctx, {
  name: "bench",
  surveyId: survey.id,
  ...Dispatch.DEFAULTS,
  capDays: 0,
  caseTypes: [],
  channels: [],
  segments: [],
  teams: [],
})
await sql`create table if not exists public.bench_sent (invitation_id text not null, token text not null)`.execute(
  db.kysely,
)
await sql`truncate public.bench_sent`.execute(db.kysely)
const now = new Date()
await sql`insert into feedback.invitation (org_id, id, source, case_id, rule_id, survey_id, survey_version, customer_id, customer_key,
    email, locale, status, case_type, channel, segment, team, agent_id, resolved_at, due_at)
  select ${org.id}, 'finv_d' || g, 'dispatch', 'case_d' || g, ${rule.id}, ${survey.id}, 1, 'cus_d' || g, 'cus_d' || g,
    'c' || g || '@example.com', 'zh-CN', 'scheduled', 'inquiry', 'email', 'existing', 'team_0', 'team_0_agent_0',
    ${new Date(now.getTime() - 2 * 3_600_000)}, ${new Date(now.getTime() - 60_000)}
  from generate_series(1, ${DISPATCH}::int) g`.execute(db.kysely)
await sql`analyze feedback.invitation`.execute(db.kysely)
// the delivery writes one row per e-mail in the sending transaction (as the API writes its mail queue)
const deliver = async (tx, out) => {
  await sql`insert into public.bench_sent (invitation_id, token) values (${out.invitationId}, ${out.token})`.execute(
    tx,
  )
}
t0 = performance.now()
let sent = 0
let skipped = 0
await Promise.all(
  Array.from({ length: DISPATCHERS }, async () => {
    for (;;) {
      const r = await Dispatch.sendDue(db, deliver, { limit: 1000 })
      sent += r.sent
      skipped += r.skipped
      if (r.sent + r.skipped === 0) {
        const left = await sql`select count(*)::int as n from feedback.invitation
          where org_id = ${org.id} and status = 'scheduled' and due_at <= now()`.execute(db.kysely)
        if (left.rows[0].n === 0) return
      }
    }
  }),
)
const secs = (performance.now() - t0) / 1000
const check = (
  await sql`select count(*)::int as rows, count(distinct invitation_id)::int as invitations from public.bench_sent`.execute(
    db.kysely,
  )
).rows[0]
const marked = (
  await sql`select count(*)::int as n from feedback.invitation where org_id = ${org.id} and id like 'finv_d%' and status = 'sent'`.execute(
    db.kysely,
  )
).rows[0].n
const once =
  check.rows === DISPATCH && check.invitations === DISPATCH && marked === DISPATCH && sent === DISPATCH
console.log(
  `  ${fmt(sent)} sent, ${fmt(skipped)} skipped in ${secs.toFixed(1)} s: ${fmt(DISPATCH / secs)} rows/s`,
)
console.log(
  `  each sent once: ${once ? "yes" : "NO"} (${fmt(check.rows)} e-mails for ${fmt(check.invitations)} invitations, ${fmt(marked)} marked sent)`,
)
if (!once) failed = true
await sql`drop table public.bench_sent`.execute(db.kysely)
if (failed) process.exitCode = 1
await db.close()
stop()
