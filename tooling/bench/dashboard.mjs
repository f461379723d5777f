// Dashboard benchmark on a PostgreSQL server (a command, not a test), in one run at each size:
//   a 90-day dashboard of 15 metric series with daily buckets, served from the daily rollups,
//   next to the same numbers computed by a naive GROUP BY over raw case and SLA clock rows;
//   checks every number is equal and prints p50/p95 and the speed ratio.
// Run from the root: pnpm bench:dashboard   (options: --sizes 1000000,10000000 --loads 20 --raw-loads 3)
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { fmt, ms, pct, startPostgres } from "./pg.mjs"

const root = fileURLToPath(new URL("../..", import.meta.url))
const opt = (name, def) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : def
}
const SIZES = opt("sizes", "1000000,10000000").split(",").map(Number)
const LOADS = Number(opt("loads", 20))
const RAW_LOADS = Number(opt("raw-loads", 3))

const { url, stop } = startPostgres()
console.log(`PostgreSQL: ${url.replace(/\/\/[^@]*@/, "//")}`)
const { Db, Migrations, Organizations } = await import(join(root, "packages/core/dist/index.js"))
const { Metrics, Rollups } = await import(join(root, "packages/process/dist/index.js"))
const { MODULES } = await import(join(root, "apps/api/dist/index.js"))
const { sql } = await import(join(root, "packages/core/node_modules/kysely/dist/index.js"))

const db = await Db.open({ kind: "postgres", url, max: 16 })
await Migrations.migrate(db, MODULES)
const org =
  (await Organizations.findBySlug(db, "bench-dash")) ??
  (await Organizations.create(db, { type: "system", id: "bench" }, { name: "Bench", slug: "bench-dash" }))
const TZ = "Asia/Shanghai"
await sql`update core.organization set time_zone = ${TZ} where id = ${org.id}`.execute(db.kysely)

// 90 whole local days ending 2026-11-01 (Asia/Shanghai)
const to = new Date("2026-11-01T00:00:00+08:00")
const from = new Date(to.getTime() - 90 * 86_400_000)

/**
 * Cases spread evenly over the 90 days, with dimensions correlated the way real ones are
 * (an agent belongs to one team, a category to one type), ~5 % repeat contacts linked both
 * ways, some reopened or escalated cases, and three SLA clocks per case (met, breached or running).
 */
const generate = async (first, count) => {
  const chunk = 250_000
  for (let done = 0; done < count; done += chunk) {
    const lo = first + done
    const hi = first + Math.min(count, done + chunk) - 1
    const r = (salt) => sql.raw(`((g::bigint * ${salt}) % 100)`)
    await sql`insert into process.case (org_id, id, number, customer_id, segment, type, channel, subject, status, urgency, impact, priority,
        category, tier, team, owner_id, received_at, recorded_at, resolved_at, repeat_of, repeated_by, reopen_count, escalation_level, sla_state)
      select ${org.id}, 'case_d' || g, g, 'cus_d' || (g % 200000),
        (array['new','existing','vip','regular'])[1 + (g / 7) % 4],
        (array['inquiry','problem','complaint','request'])[1 + (g / 3) % 4],
        (array['phone','email','chat','web_form','social','on_site','video','api'])[1 + g % 8],
        'Case ' || g,
        case when ${r(40503)} < 80 then 'resolved' else 'in_progress' end,
        'medium', 'medium', (array['p1','p2','p3','p4'])[1 + (g / 17) % 4],
        (array['inquiry','problem','complaint','request'])[1 + (g / 3) % 4] || '_' || ((g / 11) % 2),
        'L1', 'team_' || ((g / 5) % 4), 'team_' || ((g / 5) % 4) || '_agent_' || ((g / 13) % 10),
        ${from}::timestamptz + (((g * 7919) % 7776000) || ' seconds')::interval,
        ${from}::timestamptz + (((g * 7919) % 7776000) || ' seconds')::interval,
        case when ${r(40503)} < 80 then ${from}::timestamptz + (((g * 7919) % 7776000 + 3600) || ' seconds')::interval end,
        case when g % 20 = 1 then 'case_d' || (g - 1) end,
        case when g % 20 = 0 then 'case_d' || (g + 1) end,
        case when g % 25 = 0 then 1 else 0 end,
        case when g % 15 = 0 then 1 else 0 end,
        'ok'
      from generate_series(${lo}::bigint, ${hi}::bigint) g`.execute(db.kysely)
    await sql`insert into process.sla_clock (org_id, case_id, target, seq, calendar_id, target_seconds, started_at, status, stopped_at, elapsed_seconds)
      select ${org.id}, 'case_d' || g, t.target, 1, 'cal_bench', t.secs,
        ${from}::timestamptz + (((g * 7919) % 7776000) || ' seconds')::interval,
        case when ((g::bigint * t.salt) % 100) < t.met then 'met' when ((g::bigint * t.salt) % 100) < 97 then 'breached' else 'running' end,
        case when ((g::bigint * t.salt) % 100) < 97 then ${from}::timestamptz + (((g * 7919) % 7776000 + 600) || ' seconds')::interval end,
        case when ((g::bigint * t.salt) % 100) < 97 then ((g::bigint * t.salt) % 100) * 60 end
      from generate_series(${lo}::bigint, ${hi}::bigint) g
      cross join (values ('first_response', 3600, 2654435761, 88), ('initial_record', 900, 2246822519, 93), ('resolution', 86400, 3266489917, 81)) as t(target, secs, salt, met)`.execute(
      db.kysely,
    )
    if (process.stdout.isTTY) process.stdout.write(`\r  generated ${fmt(hi)} cases`)
    else if (hi % 1_000_000 === 0 || hi === first + count - 1) console.log(`  generated ${fmt(hi)} cases`)
  }
  if (process.stdout.isTTY) process.stdout.write("\n")
}

const series = [
  ["process.first_response_sla", []],
  ["process.initial_record_timeliness", []],
  ["process.resolution_sla", []],
  ["process.fcr", []],
  ["process.reopen_rate", []],
  ["process.escalation_rate", []],
  ["process.first_response_sla", ["channel"]],
  ["process.resolution_sla", ["channel"]],
  ["process.fcr", ["channel"]],
  ["process.first_response_sla", ["team"]],
  ["process.escalation_rate", ["team"]],
  ["process.reopen_rate", ["segment"]],
  ["process.resolution_sla", ["priority"]],
  ["process.fcr", ["type"]],
  ["process.initial_record_timeliness", ["agent"]],
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

let have = 0
for (const size of SIZES) {
  console.log(
    `\n${fmt(size)} cases (${fmt(size * 3)} SLA clocks), 90 days, ${series.length} metric series with daily buckets:`,
  )
  let t0 = performance.now()
  await generate(have + 1, size - have)
  have = size
  await sql`analyze process.case`.execute(db.kysely)
  await sql`analyze process.sla_clock`.execute(db.kysely)
  console.log(`  data generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  t0 = performance.now()
  const built = await Rollups.rebuild(db, org.id)
  await sql`analyze process.metric_rollup`.execute(db.kysely)
  await sql`analyze process.metric_rollup_dim`.execute(db.kysely)
  const dimRows = (
    await sql`select count(*)::int as n from process.metric_rollup_dim where org_id = ${org.id}`.execute(
      db.kysely,
    )
  ).rows[0].n
  console.log(
    `  rollups rebuilt from raw facts in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${fmt(built.rows)} cube rows, ${fmt(dimRows)} per-dimension rows`,
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
  const p50r = pct(rolled.lat, 50)
  const p50n = pct(raw.lat, 50)
  console.log(
    `  numbers: ${fmt(values)} values in ${series.length} series, ${mismatches === 0 ? "all equal to the raw GROUP BY" : `${mismatches} series DIFFER`}`,
  )
  console.log(
    `  dashboard from rollups:  p50 ${ms(p50r)}  p95 ${ms(pct(rolled.lat, 95))}  (${LOADS} loads; target p95 ≤ 150 ms at 10 M)`,
  )
  console.log(`  naive GROUP BY on raw:   p50 ${ms(p50n)}  p95 ${ms(pct(raw.lat, 95))}  (${RAW_LOADS} loads)`)
  console.log(`  speed ratio (p50):       ${(p50n / p50r).toFixed(0)}×`)
  if (mismatches) process.exitCode = 1
}
await db.close()
stop()
