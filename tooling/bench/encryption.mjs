// Encryption at rest, on next to off (a command, not a test; it asserts nothing):
//   1. intake throughput: cases/s created through Cases.createCase by concurrent callers, each with
//      a customer (name, phone, e-mail, external id) and a message text
//   2. queue latency: p50/p95 of a queue page (listCases, 50 rows, customer names joined) and of a
//      case page (getCase: customer, timeline)
// Each mode runs in its own organisation of one database. PGlite in memory by default;
// BENCH_DATABASE_URL=postgres://… runs on a PostgreSQL server. Target: on ≥ 0.8× off.
// Each mode runs twice, alternated after a warm-up; the better figure of each is printed.
// Run from the root: pnpm bench:encryption   (options: --cases 2000 --concurrency 16 --reads 200)
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../..", import.meta.url))
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : def
}
const CASES = arg("cases", 2000)
const CONCURRENCY = arg("concurrency", 16)
const READS = arg("reads", 200)

const { Db, Encryption, Migrations, Organizations, Tenancy } = await import(
  join(root, "packages/core/dist/index.js")
)
const { Cases, Config } = await import(join(root, "packages/process/dist/index.js"))
const { MODULES } = await import(join(root, "apps/api/dist/index.js"))

const url = process.env.BENCH_DATABASE_URL
const db = await Db.open(url ? { kind: "postgres", url, max: 20 } : { kind: "pglite" })
await Migrations.migrate(db, MODULES)
console.log(`database: ${db.describe}; ${CASES} cases, ${CONCURRENCY} concurrent callers, ${READS} reads\n`)

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

const run = async (mode, CASES) => {
  Encryption.configure(mode === "on" ? Encryption.fromKey(Encryption.generateKekText(), "bench") : null)
  const slug = `bench-enc-${mode}-${Date.now()}`
  const org = await Organizations.create(db, { type: "system", id: "bench" }, { name: slug, slug })
  const ctx = Tenancy.system(org.id, "bench")
  await Config.ensureDefaults(db, ctx)
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < CASES; i = next++)
        await Cases.createCase(db, ctx, {
          type: ["inquiry", "problem", "complaint"][i % 3],
          channel: ["phone", "chat", "email"][i % 3],
          subject: `Bench case ${i}`,
          content: `客户来电说明第 ${i} 个问题，银行卡 4111 1111 1111 1111，请尽快处理。`,
          category: ["billing", "technical"][i % 2],
          customer: {
            externalId: `BC-${i % 500}`,
            name: `客户${i % 500}`,
            contacts: [
              { channel: "phone", value: `138${String(i % 500).padStart(8, "0")}` },
              { channel: "email", value: `c${i % 500}@example.com` },
            ],
          },
        })
    }),
  )
  const intakeSeconds = (performance.now() - t0) / 1000
  const queue = []
  const detail = []
  const page = await Cases.listCases(db, org.id, { limit: 50 })
  for (let r = 0; r < READS; r++) {
    let t = performance.now()
    await Cases.listCases(db, org.id, { limit: 50 })
    queue.push(performance.now() - t)
    t = performance.now()
    await Cases.getCase(db, org.id, page.items[r % page.items.length].id)
    detail.push(performance.now() - t)
  }
  return {
    casesPerSecond: CASES / intakeSeconds,
    queueP50: pct(queue, 50),
    queueP95: pct(queue, 95),
    caseP50: pct(detail, 50),
    caseP95: pct(detail, 95),
  }
}

// a warm-up (JIT, caches, the engine's buffers), then off and on alternated twice; the better of each
const casesWanted = CASES
await run("off", Math.min(200, CASES))
const runs = { off: [], on: [] }
for (const mode of ["off", "on", "off", "on"]) runs[mode].push(await run(mode, casesWanted))
const best = (rs) => ({
  casesPerSecond: Math.max(...rs.map((r) => r.casesPerSecond)),
  queueP50: Math.min(...rs.map((r) => r.queueP50)),
  queueP95: Math.min(...rs.map((r) => r.queueP95)),
  caseP50: Math.min(...rs.map((r) => r.caseP50)),
  caseP95: Math.min(...rs.map((r) => r.caseP95)),
})
const off = best(runs.off)
const on = best(runs.on)
Encryption.configure(null)
await db.close()

const f = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(2))
const rows = [
  ["intake cases/s", off.casesPerSecond, on.casesPerSecond, on.casesPerSecond / off.casesPerSecond],
  ["queue page p50 ms", off.queueP50, on.queueP50, off.queueP50 / on.queueP50],
  ["queue page p95 ms", off.queueP95, on.queueP95, off.queueP95 / on.queueP95],
  ["case page p50 ms", off.caseP50, on.caseP50, off.caseP50 / on.caseP50],
  ["case page p95 ms", off.caseP95, on.caseP95, off.caseP95 / on.caseP95],
]
console.log("measure              encryption off   encryption on   on vs off (≥ 0.80 is the target)")
for (const [name, a, b, ratio] of rows)
  console.log(`${name.padEnd(20)} ${f(a).padStart(14)}   ${f(b).padStart(13)}   ${ratio.toFixed(2)}×`)
