// Workforce benchmark (a command, not a test): recomputing the staffing plan of 20 queues from 90 days of
// history at 96 intervals a day (forecast, required agents by each queue's model, scheduled, gap), and how
// the time grows with intervals per day and days of history. Printed next to a baseline in the same run:
// the same forecasts with the required agents by the textbook Erlang C — Σ A^k/k! summed afresh for every
// candidate number of agents, no recursion and no cache, as a spreadsheet or a naive port does — for every
// queue that is not deferred work. The baseline computes Erlang C where the plan computes Erlang A for a
// quarter of the queues, so it does less work than the plan; the ratio is a fair floor, not a flattering one.
// Run from the root: pnpm bench:workforce   (options: --queues 20 --days 90 --horizon 14 --repeat 3)
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../..", import.meta.url))
const { Workforce } = await import(join(root, "packages/process/dist/index.js"))
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : def
}
const QUEUES = arg("queues", 20)
const DAYS = arg("days", 90)
const HORIZON = arg("horizon", 14)
const REPEAT = arg("repeat", 3)

// --- synthetic history: seeded Poisson counts with a weekly and a two-peak daily shape ----------------
let seed = 42
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const poisson = (mean) => {
  if (mean > 50)
    return Math.max(
      0,
      Math.round(
        mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand()),
      ),
    )
  const l = Math.exp(-mean)
  let k = 0
  let p = rand()
  while (p > l) {
    k++
    p *= rand()
  }
  return k
}
const start = "2026-01-05"
const weekday = [0.4, 1.25, 1.15, 1.1, 1.05, 1.0, 0.5]
const dayType = (date) => {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay()
  return wd === 0 || wd === 6 ? "restday" : "workday"
}
const models = ["erlang_c", "erlang_a", "chat", "deferred"]
const queues = Array.from({ length: QUEUES }, (_, i) => ({
  ...Workforce.defaultsFor("x", `team${i}`),
  channel: `ch${i % 4}`,
  model: models[i % 4],
  targetLevel: [0.8, 0.8, 0.8, 0.9][i % 4],
  targetSeconds: [20, 20, 60, 4 * 3600][i % 4],
  ahtSeconds: [300, 300, 600, 480][i % 4],
  patienceSeconds: 120,
  concurrency: i % 4 === 2 ? 3 : 1,
  perDay: 200 + 150 * (i % 7), // 200 … 1,100 arrivals a day
}))
const history = (q, perDay, days) => {
  const out = []
  for (let d = 0; d < days; d++) {
    const wd = new Date(Date.parse(`${start}T00:00:00Z`) + d * 86_400_000).getUTCDay()
    for (let s = 0; s < perDay; s++) {
      const h = ((s + 0.5) * 24) / perDay
      const shape = 0.05 + Math.exp(-((h - 10.5) ** 2) / 4) + 0.8 * Math.exp(-((h - 15) ** 2) / 5)
      out.push(poisson((q.perDay * weekday[wd] * shape) / (perDay * 0.2205)))
    }
  }
  return out
}

// --- the baseline's Erlang C: Σ A^k/k! afresh for each n (log-space so it does not overflow) ----------
const naiveC = (n, a) => {
  if (n <= a) return 1
  let sum = 0
  let term = 1
  for (let k = 0; k < n; k++) {
    sum += term
    term *= a / (k + 1)
  }
  const top = term * (n / (n - a))
  return top / (sum + top)
}
const naiveRequired = (q, arrivals, intervalSeconds) => {
  if (arrivals <= 0) return 0
  const aht = q.ahtSeconds
  const a = (arrivals * aht) / intervalSeconds
  for (let n = Math.floor(a) + 1; ; n++) {
    const sl = 1 - naiveC(n, a) * Math.exp((-(n - a) * q.targetSeconds) / aht)
    if (sl >= q.targetLevel) return q.model === "chat" ? Math.ceil(n / q.concurrency) : n
  }
}

const time = (fn) => {
  const runs = []
  let out
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now()
    out = fn()
    runs.push(performance.now() - t0)
  }
  runs.sort((x, y) => x - y)
  return { ms: runs[Math.floor(runs.length / 2)], out }
}
const fmt = (x) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString("en"))

console.log(
  `Workforce plan recomputation: ${QUEUES} queues, horizon ${HORIZON} days, median of ${REPEAT} runs (Node ${process.version})\n`,
)
console.log(
  "intervals/day | history days | history intervals | plan (ms) | per queue (ms) | baseline Erlang C (ms) | baseline ÷ plan",
)
console.log("---|---|---|---|---|---|---")
const rows = []
// warm-up (JIT): one plan at 96 intervals, not timed
{
  const data = queues.map((q) => history(q, 96, 30))
  for (const [i, q] of queues.entries())
    Workforce.queueNeed({
      queue: q,
      history: data[i],
      historyStart: start,
      intervalsPerDay: 96,
      horizonDays: HORIZON,
      dayType,
    })
}
for (const perDay of [24, 48, 96]) {
  for (const days of perDay === 96 ? [30, 60, 90] : [DAYS]) {
    const data = queues.map((q) => history(q, perDay, days))
    const plan = time(() =>
      queues.map((q, i) =>
        Workforce.withSchedule(
          Workforce.queueNeed({
            queue: q,
            history: data[i],
            historyStart: start,
            intervalsPerDay: perDay,
            horizonDays: HORIZON,
            dayType,
          }),
          null,
        ),
      ),
    )
    // the baseline: the same forecasts, the required agents by the textbook formula (Erlang C for every
    // queue model except deferred work, which has no search)
    const base = time(() =>
      queues.map((q, i) => {
        const need = Workforce.queueNeed({
          queue: { ...q, model: "deferred" },
          history: data[i],
          historyStart: start,
          intervalsPerDay: perDay,
          horizonDays: HORIZON,
          dayType,
        })
        return q.model === "deferred"
          ? need.required
          : need.points.map((p) => naiveRequired(q, p.forecast, 86_400 / perDay))
      }),
    )
    rows.push({ perDay, days, ms: plan.ms })
    console.log(
      `${perDay} | ${days} | ${(QUEUES * perDay * days).toLocaleString("en")} | ${fmt(plan.ms)} | ${fmt(plan.ms / QUEUES)} | ${fmt(base.ms)} | ${(base.ms / plan.ms).toFixed(1)}×`,
    )
  }
}
const a = rows.find((r) => r.perDay === 24)
const b = rows.find((r) => r.perDay === 96 && r.days === DAYS)
if (a && b)
  console.log(`\nGrowth: 4× the intervals a day (24 → 96) took ${(b.ms / a.ms).toFixed(1)}× the time.`)
