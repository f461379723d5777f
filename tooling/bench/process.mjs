// Process benchmarks on a PostgreSQL server, in one run (a command, not a test):
//   1. import rows/s next to PostgreSQL COPY of the same rows into the same server
//   2. queue page latency p50/p95 at 1 M cases
//   3. API case creation p50/p99 at a fixed request rate next to a bare Hono + pg insert endpoint,
//      and the most requests/s each serves (closed loop at several numbers of clients; the peak of each)
// Uses BENCH_DATABASE_URL when set, otherwise starts a throwaway PostgreSQL server (as the
// postgres user, like .ci/run). Run from the root: pnpm bench:process
//   (options: --cases 1000000 --import-rows 50000 --rate 1000 --seconds 5 --concurrency 64 --clients 64,128,256)
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Readable } from "node:stream"
import { fileURLToPath } from "node:url"
import { fmt, ms, pct, startPostgres } from "./pg.mjs"

const root = fileURLToPath(new URL("../..", import.meta.url))
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : def
}
const CASES = arg("cases", 1_000_000)
const IMPORT_ROWS = arg("import-rows", 50_000)
const RATE = arg("rate", 1000)
const SECONDS = arg("seconds", 5)
const CONCURRENCY = arg("concurrency", 64)
// closed loop: each endpoint at each of these numbers of clients; its throughput is the most it served
const CLIENTS = (
  process.argv.includes("--clients") ? process.argv[process.argv.indexOf("--clients") + 1] : "64,128,256"
)
  .split(",")
  .map(Number)
// --- a PostgreSQL server --------------------------------------------------------------------
const { url, psql, stop: stopPg } = startPostgres()
console.log(`PostgreSQL: ${url.replace(/\/\/[^@]*@/, "//")}\n`)

const { Db, Migrations, Organizations, Tenancy } = await import(join(root, "packages/core/dist/index.js"))
const { Import, Cases, Config } = await import(join(root, "packages/process/dist/index.js"))
const { MODULES } = await import(join(root, "apps/api/dist/index.js"))
const { sql } = await import(join(root, "packages/core/node_modules/kysely/dist/index.js"))

const db = await Db.open({ kind: "postgres", url, max: 20 })
await Migrations.migrate(db, MODULES)
const org =
  (await Organizations.findBySlug(db, "bench")) ??
  (await Organizations.create(db, { type: "system", id: "bench" }, { name: "Bench", slug: "bench" }))
const ctx = Tenancy.system(org.id, "bench")
await Config.ensureDefaults(db, ctx)

// --- 1. import vs COPY ------------------------------------------------------------------------
// The import runs in its own organisation, so every row it writes can be copied out afterwards.
const importOrg =
  (await Organizations.findBySlug(db, "bench-import")) ??
  (await Organizations.create(
    db,
    { type: "system", id: "bench" },
    { name: "Bench import", slug: "bench-import" },
  ))
const importCtx = Tenancy.system(importOrg.id, "bench")
await Config.ensureDefaults(db, importCtx)
const channels = ["phone", "email", "chat", "web_form", "social"]
const types = ["inquiry", "problem", "complaint", "request"]
const rows = [
  "external_id,subject,type,channel,urgency,received_at,customer_id,customer_name,customer_segment",
]
const base = Date.parse("2025-03-03T01:00:00Z")
for (let i = 0; i < IMPORT_ROWS; i++)
  rows.push(
    [
      `B-${Date.now()}-${i}`,
      `Bench case ${i}`,
      types[i % 4],
      channels[i % 5],
      ["high", "medium", "low"][i % 3],
      new Date(base + i * 60_000).toISOString(),
      `BC-${i % 500}`,
      `Customer ${i % 500}`,
      ["new", "existing", "vip", "regular"][i % 4],
    ].join(","),
  )
const csv = `${rows.join("\n")}\n`
const file = join(tmpdir(), `tenet-bench-${process.pid}.csv`)
writeFileSync(file, csv)
let t0 = performance.now()
const summary = await Import.importCases(db, importCtx, Readable.from([csv]), { format: "csv" })
const importSeconds = (performance.now() - t0) / 1000
const importRate = summary.imported / importSeconds
// (a) the source rows into a plain table
await sql`create table if not exists public.copy_target (external_id text, subject text, type text, channel text, urgency text,
  received_at timestamptz, customer_id text, customer_name text, customer_segment text)`.execute(db.kysely)
await sql`truncate public.copy_target`.execute(db.kysely)
t0 = performance.now()
spawnSync(
  psql,
  [url, "-q", "-c", `\\copy public.copy_target from '${file}' with (format csv, header true)`],
  { stdio: "inherit" },
)
const plainSeconds = (performance.now() - t0) / 1000
// (b) the rows the import wrote (cases, customers, timeline, clocks, jobs, audit) into empty
//     tables with the same columns and indexes
const tables = [
  "process.customer",
  "process.case",
  "process.case_event",
  "process.sla_clock",
  "core.job",
  "core.audit_log",
]
await sql`drop schema if exists bench_copy cascade; create schema bench_copy`.execute(db.kysely)
let written = 0
const copies = []
for (const t of tables) {
  const name = t.replace(".", "_")
  await sql.raw(`create table bench_copy.${name} (like ${t} including all)`).execute(db.kysely)
  const out = join(tmpdir(), `tenet-bench-${process.pid}-${name}.copy`)
  spawnSync(
    psql,
    [url, "-q", "-c", `\\copy (select * from ${t} where org_id = '${importOrg.id}') to '${out}'`],
    { stdio: "inherit" },
  )
  written += (
    await sql.raw(`select count(*)::int as n from ${t} where org_id = '${importOrg.id}'`).execute(db.kysely)
  ).rows[0].n
  copies.push(`\\copy bench_copy.${name} from '${out}'`)
}
t0 = performance.now()
spawnSync(psql, [url, "-q", "-1", ...copies.flatMap((c) => ["-c", c])], { stdio: "inherit" })
const sameSeconds = (performance.now() - t0) / 1000
await sql`drop schema bench_copy cascade`.execute(db.kysely)
for (const t of tables)
  rmSync(join(tmpdir(), `tenet-bench-${process.pid}-${t.replace(".", "_")}.copy`), { force: true })
rmSync(file, { force: true })
const plainRate = IMPORT_ROWS / plainSeconds
const sameRate = IMPORT_ROWS / sameSeconds
console.log(
  `1. Import ${fmt(IMPORT_ROWS)} CSV rows (cases + customers + timeline + SLA clocks + jobs + audit; ${fmt(written)} rows written):`,
)
console.log(
  `   tenet import:                     ${fmt(importRate).padStart(9)} rows/s (${importSeconds.toFixed(2)} s, ${summary.imported} imported, ${summary.failed} failed)`,
)
console.log(
  `   COPY of the same written rows:    ${fmt(sameRate).padStart(9)} rows/s (${sameSeconds.toFixed(2)} s, psql \\copy into empty tables with the same indexes, one transaction)`,
)
console.log(
  `   COPY of the CSV into a plain table: ${fmt(plainRate).padStart(7)} rows/s (${plainSeconds.toFixed(2)} s, 9 text columns, no index)`,
)
console.log(
  `   ratio to COPY of the same rows:   ${(importRate / sameRate).toFixed(2)}×  (target ≥ 0.5×);  to the plain-table COPY: ${(importRate / plainRate).toFixed(3)}×\n`,
)

// --- 2. queue latency at 1 M cases -------------------------------------------------------------
const have = (
  await sql`select count(*)::int as n from process.case where org_id = ${org.id}`.execute(db.kysely)
).rows[0].n
if (have < CASES) {
  t0 = performance.now()
  const todo = CASES - have
  const chunk = 200_000
  for (let done = 0; done < todo; done += chunk) {
    const n = Math.min(chunk, todo - done)
    await sql`insert into process.case (org_id, id, number, customer_id, segment, type, channel, subject, status, urgency, impact, priority,
        category, tier, team, received_at, recorded_at, sla_state, next_due_at, policy_id, policy_version)
      select ${org.id}, 'case_bench' || lpad((g + ${have + done})::text, 10, '0'), 1000000 + g + ${have + done}, 'cus_bench' || (g % 50000),
        (array['new','existing','vip','regular'])[1 + g % 4], (array['inquiry','problem','complaint','request'])[1 + g % 4],
        (array['phone','email','chat','web_form','social','on_site','video','api'])[1 + g % 8], 'Bench case ' || g,
        (array['new','in_progress','pending_customer','resolved','closed','closed','closed','resolved'])[1 + g % 8],
        'medium', 'medium', (array['p1','p2','p3','p4'])[1 + g % 4], 'billing', 'L1', (array['general','technical','billing','vip'])[1 + g % 4],
        now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval,
        (array['ok','warning','breached','met','paused'])[1 + g % 5], now() + ((g % 1000) || ' minutes')::interval, null, null
      from generate_series(1, ${n}) g`.execute(db.kysely)
  }
  await sql`analyze process.case`.execute(db.kysely)
  console.log(`   (inserted ${fmt(todo)} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s)`)
}
const views = [
  { name: "default (newest first)", q: {} },
  { name: "open cases", q: { open: true } },
  { name: "chat, breached", q: { channel: ["chat"], sla: ["breached"] } },
  { name: "sorted by due time", q: { sort: "dueAt", open: true } },
  { name: "search #number", q: { q: "#1500000" } },
]
console.log(`2. Queue page latency at ${fmt(Math.max(have, CASES))} cases (listCases, 50 rows, PostgreSQL):`)
const all = []
for (const v of views) {
  const lat = []
  let cursor
  for (let i = 0; i < 40; i++) {
    const t = performance.now()
    const page = await Cases.listCases(db, org.id, { ...v.q, limit: 50, cursor })
    lat.push(performance.now() - t)
    cursor = i % 4 === 3 ? undefined : (page.nextCursor ?? undefined)
  }
  all.push(...lat.slice(2))
  console.log(`   ${v.name.padEnd(24)} p50 ${ms(pct(lat.slice(2), 50))}  p95 ${ms(pct(lat.slice(2), 95))}`)
}
console.log(
  `   all views                p50 ${ms(pct(all, 50))}  p95 ${ms(pct(all, 95))}  (target p95 ≤ 50 ms)\n`,
)

// --- 3. API case creation at a fixed rate -------------------------------------------------------
// Maintenance the steps above left due (vacuum of a million inserted rows, a checkpoint) is done
// first, so that it does not run in the middle of either endpoint's measurement.
// The imported cases are open and long overdue: the SLA sweep would spend the API test firing their
// warnings, breaches and escalations. They are taken out of it, so that the test measures intake.
await sql`update process.sla_clock set next_event_at = null where org_id = ${importOrg.id}`.execute(db.kysely)
await sql`vacuum (analyze) process.case, process.sla_clock, process.case_event, process.customer, core.job, core.audit_log`.execute(
  db.kysely,
)
await sql`checkpoint`.execute(db.kysely)
const key = await (await import(join(root, "apps/api/dist/index.js"))).createApp // ensure built
const port = 21000 + Math.floor(Math.random() * 3000) // below the ephemeral range, see pg.mjs
const env = { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: "127.0.0.1", TENET_DEMO: "0" }
const apiKey = JSON.parse(
  execFileSync(
    process.execPath,
    [
      join(root, "apps/api/dist/cli.js"),
      "--json",
      "apikey",
      "create",
      "--org",
      "bench",
      "--role",
      "admin",
      "--name",
      "bench",
    ],
    { env },
  ).toString(),
).secret
const server = spawn(process.execPath, [join(root, "apps/api/dist/cli.js"), "start"], {
  env,
  stdio: ["ignore", "ignore", "inherit"],
})
const bare = spawn(process.execPath, [join(root, "tooling/bench/bare-hono.mjs")], {
  env: { ...env, PORT: String(port + 1) },
  stdio: "ignore",
})
const ready = async (u) => {
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(u)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${u} did not start`)
}
await ready(`http://127.0.0.1:${port}/healthz`)
await ready(`http://127.0.0.1:${port + 1}/healthz`)
// The server first works off what the import left it: reminder jobs for the imported recurring
// issues, the import's outbox events and the days it made dirty for the rollups. That is
// measured here, and waited for, so that the API test measures intake rather than intake beside a
// backlog.
t0 = performance.now()
const backlog = async () =>
  (
    await sql`select
      (select count(*)::int from core.job where status in ('pending', 'running') and every_seconds is null and run_at <= now()) as jobs,
      (select count(*)::int from core.outbox_cursor c
        where exists (select 1 from core.outbox_event e where (e.tx, e.position) > (c.tx, c.position))) as lagging,
      (select count(*)::int from process.rollup_dirty) as dirty`.execute(db.kysely)
  ).rows[0]
const before = await backlog()
for (let b = before; b.jobs > 0 || b.lagging > 0 || b.dirty > 0; b = await backlog()) {
  if (performance.now() - t0 > 600_000)
    throw new Error(`the server did not work off its backlog: ${JSON.stringify(b)}`)
  await new Promise((r) => setTimeout(r, 250))
}
const drainSeconds = (performance.now() - t0) / 1000
// The load generator runs in a process of its own, so this process's heap (the 1 M cases set up
// above) does not pause it; the same generator drives both endpoints.
const generate = (mode, target, headers, connections = CONCURRENCY) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        join(root, "tooling/bench/load.mjs"),
        mode,
        target,
        JSON.stringify(headers),
        String(RATE),
        String(SECONDS),
        String(connections),
      ],
      {
        maxBuffer: 1 << 20,
      },
    ).toString(),
  )
const load = (target, headers) => generate("rate", target, headers)
const saturate = (target, headers, clients) => generate("max", target, headers, clients)
const tenetUrl = `http://127.0.0.1:${port}/api/v1/process/cases`
const bareUrl = `http://127.0.0.1:${port + 1}/cases`
const auth = { authorization: `Bearer ${apiKey}` }
await load(tenetUrl, auth) // the server's warm-up
const tenet = await load(tenetUrl, auth)
await load(bareUrl, {})
const bareR = await load(bareUrl, {})
// both endpoints at each level in turn (so that drift of the shared machine touches both alike)
const levels = []
for (const clients of CLIENTS)
  levels.push({
    clients,
    tenet: await saturate(tenetUrl, auth, clients),
    bare: await saturate(bareUrl, {}, clients),
  })
const peak = (key) => levels.reduce((best, l) => (l[key].rps > best[key].rps ? l : best))
const exited = (child) =>
  new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)))
server.kill("SIGTERM")
bare.kill("SIGTERM")
await Promise.all([exited(server), exited(bare)]) // before the database goes away
console.log(
  `3. API case creation, ${RATE} req/s offered for ${SECONDS} s (open loop, latency from the scheduled send time):`,
)
console.log(
  `   (the server first worked off the import's backlog — ${fmt(before.jobs)} reminder jobs due, ${before.lagging} outbox handlers behind, ${fmt(before.dirty)} days to recompute — in ${drainSeconds.toFixed(1)} s)`,
)
console.log(
  `   tenet POST /api/v1/process/cases: p50 ${ms(tenet.p50)}  p99 ${ms(tenet.p99)}  ${fmt(tenet.rps)} req/s  ${tenet.errors} errors`,
)
console.log(
  `   bare Hono + pg insert:            p50 ${ms(bareR.p50)}  p99 ${ms(bareR.p99)}  ${fmt(bareR.rps)} req/s  ${bareR.errors} errors`,
)
console.log(`   p99 target ≤ 25 ms at ${fmt(RATE)} req/s`)
console.log(`   most req/s (closed loop, ${SECONDS} s at each number of clients):`)
for (const l of levels)
  console.log(
    `     ${String(l.clients).padStart(4)} clients: tenet ${fmt(l.tenet.rps).padStart(6)}, bare ${fmt(l.bare.rps).padStart(6)}  (${(l.tenet.rps / l.bare.rps).toFixed(2)}×)`,
  )
const tenetPeak = peak("tenet")
const barePeak = peak("bare")
console.log(
  `   throughput (the most each served): tenet ${fmt(tenetPeak.tenet.rps)} (${tenetPeak.clients} clients), bare ${fmt(barePeak.bare.rps)} (${barePeak.clients} clients)  ratio ${(tenetPeak.tenet.rps / barePeak.bare.rps).toFixed(2)}× (target ≥ 0.5×)`,
)
await db.close()
void key
stopPg()
process.exit(0)
