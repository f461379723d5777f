// Mixed-load benchmark (a command, not a test): the demo organisation served by `tenet start` on the
// embedded database (PGlite) and on PostgreSQL, in one run, each under the same mixed load (read a
// case 45 %, list 20 %, create 20 %, metric 10 %, dashboard 5 %) offered at a fixed rate. Prints the
// served rate, p50/p99, errors and the same per operation, and /healthz latency sampled during the load.
// Loopback only, bounded in time.
// Run from the root: pnpm bench:mixed   (options: --rate 200 --seconds 30 --days 14 --only pglite|postgres)
import { describeMixed, mixedLoad, prepareMixed } from "../load/mixed.mjs"
import { demoEmail, pct, postgres, request, signIn, startServer } from "../reliability/lib.mjs"

const opt = (name, def) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : def
}
const RATE = Number(opt("rate", 200))
const SECONDS = Number(opt("seconds", 30))
const DAYS = Number(opt("days", 14))
const ONLY = opt("only", "")
// extra server environment for the embedded run, e.g. --env TENET_DB_WORKER=0
const EXTRA = Object.fromEntries(
  process.argv.flatMap((a, i) => (process.argv[i - 1] === "--env" ? [a.split("=", 2)] : [])),
)
const WARMUP = Number(opt("warmup", 5))

const measure = async (label, server) => {
  const { headers } = await signIn(server.url, demoEmail("supervisor"))
  const ctx = await prepareMixed(server.url, headers)
  // a short warm-up at a quarter of the rate (first-query plans, caches), not counted
  if (WARMUP > 0) await mixedLoad({ targets: [server.url], headers, rate: RATE / 4, seconds: WARMUP, ctx })
  const health = []
  let loading = true
  const sampler = (async () => {
    while (loading) {
      // its own connection (fetch), not one of the load's sockets
      const r = await request(`${server.url}/healthz`, {}, 30_000)
      health.push({ ms: r.ms, ok: r.status === 200 })
      await new Promise((res) => setTimeout(res, 250))
    }
  })()
  const r = await mixedLoad({ targets: [server.url], headers, rate: RATE, seconds: SECONDS, ctx })
  loading = false
  await sampler
  const hms = health.map((x) => x.ms)
  console.log(`\n${label}: ${describeMixed(r)}`)
  console.log(
    `    /healthz   n ${hms.length}, p50 ${pct(hms, 50).toFixed(1)} ms, max ${Math.max(...hms).toFixed(1)} ms, not ok ${health.filter((x) => !x.ok).length}`,
  )
  return r
}

console.log(
  `Mixed load: ${RATE} req/s offered for ${SECONDS} s (after ${WARMUP} s warm-up) on the demo organisation (${DAYS} days)`,
)
const results = {}
if (ONLY !== "postgres") {
  const t0 = performance.now()
  const server = await startServer({
    demoDays: DAYS,
    startTimeoutMs: 600_000,
    env: { TENET_DEMO: "1", ...EXTRA },
  })
  console.log(`embedded (PGlite) server ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  try {
    results.pglite = await measure("embedded (PGlite)", server)
  } finally {
    await server.stop()
  }
}
if (ONLY !== "pglite") {
  const pg = await postgres("bench")
  try {
    const t0 = performance.now()
    const server = await startServer({
      demoDays: DAYS,
      databaseUrl: pg.url,
      startTimeoutMs: 600_000,
      env: { TENET_DEMO: "1" },
    })
    console.log(`PostgreSQL server ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    try {
      results.postgres = await measure("PostgreSQL", server)
    } finally {
      await server.stop()
    }
  } finally {
    await pg.stop()
  }
}
const target = results.pglite
if (target) {
  const ok = target.errors === 0 && target.rps >= RATE * 0.97 && target.p99 <= 250
  console.log(
    `\ntarget on the embedded database (all ${RATE} req/s served, p99 ≤ 250 ms, 0 errors): ${ok ? "met" : "NOT met"}`,
  )
}
