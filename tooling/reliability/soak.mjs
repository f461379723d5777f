// Soak: the mixed read/write load (tooling/load/mixed.mjs) held for minutes against one server on
// the embedded database, the server's RSS sampled every few seconds, and /healthz (liveness) and
// /readyz (the database) asked throughout. Figures: served rate, errors (must be 0), p50/p99, RSS
// at start, end and peak, and its drift (end − start) checked against a bound.
//   node tooling/reliability/soak.mjs [--fast] [--minutes 5] [--rate 20]
// The fast variant (CI): ~40 s at 10 req/s. Loopback only, bounded in requests and time.
import { readFileSync } from "node:fs"
import { describeMixed, mixedLoad, prepareMixed } from "../load/mixed.mjs"
import { demoEmail, FAST, pct, postgres, request, signIn, startServer, suite } from "./lib.mjs"

const opt = (name, def) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : def
}
const SECONDS = FAST ? 40 : opt("minutes", 5) * 60
const RATE = opt("rate", FAST ? 10 : 20)
const SAMPLE_MS = FAST ? 2000 : 5000
// RSS may grow while caches, prepared plans and the database's buffers fill; beyond this it is a leak
const DRIFT_BOUND_MB = FAST ? 150 : 250
const ON_POSTGRES = process.argv.includes("--postgres")

const t = suite("soak")
const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return m ? Number(m[1]) / 1024 : Number.NaN
}

const pg = ON_POSTGRES ? await postgres("soak") : undefined
const server = await startServer({
  demoDays: 7,
  startTimeoutMs: 300_000,
  ...(pg ? { databaseUrl: pg.url } : {}),
})
try {
  t.figure("database", pg ? "PostgreSQL" : "embedded (PGlite)")
  t.figure(
    "load",
    `${RATE} req/s for ${SECONDS} s (mixed: read 45 %, list 20 %, create 20 %, metric 10 %, dashboard 5 %)`,
  )
  const { headers } = await signIn(server.url, demoEmail("supervisor"))
  const ctx = await prepareMixed(server.url, headers)
  const rss = [{ s: 0, mb: rssMb(server.pid) }]
  const live = []
  const ready = []
  let running = true
  const t0 = performance.now()
  const sampler = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS))
      if (!running) break
      rss.push({ s: (performance.now() - t0) / 1000, mb: rssMb(server.pid) })
      const [h, r] = await Promise.all([
        request(`${server.url}/healthz`, {}, 10_000),
        request(`${server.url}/readyz`, {}, 10_000),
      ])
      live.push(h)
      ready.push(r)
    }
  })()
  const r = await mixedLoad({ targets: [server.url], headers, rate: RATE, seconds: SECONDS, ctx })
  running = false
  await sampler
  rss.push({ s: (performance.now() - t0) / 1000, mb: rssMb(server.pid) })
  console.log(`  ${describeMixed(r)}`)
  const mbs = rss.map((x) => x.mb)
  const start = mbs[0]
  const end = mbs.at(-1)
  const max = Math.max(...mbs)
  // drift: the mean of the last quarter of the samples against the first quarter (less noisy than two points)
  const q = Math.max(1, Math.floor(mbs.length / 4))
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
  const drift = mean(mbs.slice(-q)) - mean(mbs.slice(0, q))
  t.figure(
    "RSS",
    `start ${start.toFixed(0)} MB, end ${end.toFixed(0)} MB, max ${max.toFixed(0)} MB, drift ${drift >= 0 ? "+" : ""}${drift.toFixed(0)} MB (last quarter of ${mbs.length} samples vs first)`,
  )
  t.figure(
    "/healthz",
    `n ${live.length}, p50 ${pct(
      live.map((x) => x.ms),
      50,
    ).toFixed(1)} ms, max ${Math.max(...live.map((x) => x.ms)).toFixed(1)} ms`,
  )
  t.figure(
    "/readyz",
    `n ${ready.length}, p50 ${pct(
      ready.map((x) => x.ms),
      50,
    ).toFixed(1)} ms, max ${Math.max(...ready.map((x) => x.ms)).toFixed(1)} ms`,
  )
  t.check(
    "every request of the load answered 2xx",
    r.errors === 0,
    `${r.errors} errors, statuses ${JSON.stringify(r.byStatus)}`,
  )
  t.check(
    "the load was served (≥ 90 % of the offered rate)",
    r.rps >= RATE * 0.9,
    `${r.rps.toFixed(1)} of ${RATE} req/s`,
  )
  t.check("/healthz answered 200 throughout", live.length > 0 && live.every((x) => x.status === 200))
  t.check("/readyz answered 200 throughout", ready.length > 0 && ready.every((x) => x.status === 200))
  t.check(`RSS drift within ${DRIFT_BOUND_MB} MB`, drift <= DRIFT_BOUND_MB, `${drift.toFixed(0)} MB`)
  t.check("the server is still running", server.child.exitCode === null)
} finally {
  await server.stop()
  await pg?.stop()
}
t.done()
