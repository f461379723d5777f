// Plugin faults: a server started with fault plugins (tooling/reliability/fixtures/plugin-faults:
// a handler that throws, one that hangs on a promise, a synchronous endless loop, a memory blow-up,
// and one that fails while a gate file exists) keeps answering while they fail. Figures: /healthz
// p99 and case creation during the faults, time until each faulty handler is quarantined, a restart
// with a poison event pending (the server becomes ready), events held during quarantine delivered
// after release, and the server's memory.
//   node tooling/reliability/plugin-faults.mjs [--fast]
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { demoEmail, FAST, pct, request, root, signIn, startServer, suite } from "./lib.mjs"

const s = suite("plugin-faults")
const work = mkdtempSync(join(tmpdir(), "tenet-faults-"))
const gate = join(work, "gate")
const log = join(work, "delivered.log")
writeFileSync(gate, "closed")
const env = {
  TENET_PLUGINS: join(root, "tooling/reliability/fixtures/plugin-faults/tenet.plugins.json"),
  TENET_FAULT_GATE: gate,
  TENET_FAULT_LOG: log,
  TENET_PLUGIN_HEAP_MB: FAST ? "64" : "128",
}
const FAULTS = ["throws", "hangs", "loops", "memory"]
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const rssMb = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return m ? Number(m[1]) / 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

const s0 = performance.now()
let server = await startServer({ env, demoDays: FAST ? 2 : 7 })
s.figure("first start with the fault plugins (s)", ((performance.now() - s0) / 1000).toFixed(1))
const dataDir = server.dataDir
let admin = await signIn(server.url, demoEmail("admin"))

const handlers = async () => {
  const r = await request(`${server.url}/api/v1/plugins/handlers`, { headers: admin.headers })
  return r.status === 200 ? new Map(r.body.items.map((h) => [h.name, h])) : new Map()
}
const post = (path, body) =>
  request(`${server.url}${path}`, {
    method: "POST",
    headers: { ...admin.headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

// The baseline: /healthz for 3 s before any fault (the fault plugins react to new cases only)
const baseline = []
for (const end = performance.now() + 3000; performance.now() < end; ) {
  const r = await request(`${server.url}/healthz`, {}, 5000)
  if (r.status === 200) baseline.push(r.ms)
  await sleep(50)
}

// A sampler: /healthz every 50 ms, a case every 400 ms, the server's RSS every 500 ms.
let sampling = true
const health = []
let healthFailed = 0
let created = 0
let createFailed = 0
const rss = []
const sampler = (async () => {
  let n = 0
  while (sampling) {
    const r = await request(`${server.url}/healthz`, {}, 5000)
    if (r.status === 200) health.push(r.ms)
    else healthFailed++
    if (n % 8 === 0) {
      const c = await post("/api/v1/process/cases", {
        type: "inquiry",
        channel: "chat",
        subject: `plugin faults ${n}`,
        customer: { externalId: `faults-${n % 50}`, name: `Faults ${n % 50}` },
      })
      if (c.status === 201) created++
      else createFailed++
    }
    if (n % 10 === 0) rss.push(rssMb(server.pid))
    n++
    await sleep(50)
  }
})()

// 1. each faulty handler is quarantined after its limit, while the server answers
const t0 = performance.now()
const quarantinedAfter = {}
const deadline = t0 + 90_000
while (performance.now() < deadline) {
  const hs = await handlers()
  for (const name of [...FAULTS, "gated"])
    if (hs.get(name)?.quarantined && quarantinedAfter[name] === undefined)
      quarantinedAfter[name] = { s: (performance.now() - t0) / 1000, h: hs.get(name) }
  if (Object.keys(quarantinedAfter).length === FAULTS.length + 1) break
  await sleep(500)
}
for (const name of [...FAULTS, "gated"]) {
  const q = quarantinedAfter[name]
  s.check(
    `${name}: quarantined after ${q?.h.consecutiveFailures ?? "?"} failures in a row`,
    q !== undefined && q.h.consecutiveFailures === 3,
    q
      ? `${q.s.toFixed(1)} s, last error (${q.h.errors[0]?.kind}): ${q.h.errors[0]?.message}`
      : "not quarantined",
  )
}
const kinds = Object.fromEntries(FAULTS.map((n) => [n, quarantinedAfter[n]?.h.errors[0]?.kind]))
s.check(
  "each fault recorded as what it was",
  kinds.throws === "error" &&
    kinds.hangs === "timeout" &&
    kinds.loops === "timeout" &&
    kinds.memory === "memory",
  JSON.stringify(kinds),
)
s.figure(
  "/healthz during the faults: p50 / p99 / max (ms)",
  `${pct(health, 50).toFixed(1)} / ${pct(health, 99).toFixed(1)} / ${Math.max(...health).toFixed(1)}`,
)
s.check(
  "/healthz answered every time during the faults",
  healthFailed === 0 && health.length > 0,
  `${health.length} answered, ${healthFailed} failed`,
)
// on a shared machine the absolute figure moves with its load: compare with the baseline taken just before
const bound = Math.max(500, 3 * pct(baseline, 99))
s.figure(
  "/healthz before the faults: p50 / p99 (ms)",
  `${pct(baseline, 50).toFixed(1)} / ${pct(baseline, 99).toFixed(1)}`,
)
s.check(
  "/healthz p99 during the faults within max(500 ms, 3 × the p99 before them)",
  pct(health, 99) < bound,
  `${pct(health, 99).toFixed(1)} ms, bound ${bound.toFixed(0)} ms`,
)
s.check(
  "cases created during the faults",
  created > 0 && createFailed === 0,
  `${created} created, ${createFailed} failed`,
)

// 2. restart with a poison event pending: release the endless loop, restart at once
const held = (await handlers()).get("gated")
s.figure("events held for the quarantined gated handler", held?.waiting)
await post("/api/v1/plugins/fault-loops/handlers/loops/release")
sampling = false
await sampler
await server.stop({ keepData: true })
const r0 = performance.now()
server = await startServer({ env, dataDir, startTimeoutMs: 60_000 })
const readyMs = performance.now() - r0
admin = await signIn(server.url, demoEmail("admin"))
s.check(
  "restart with the endless loop's event pending: ready",
  true,
  `${(readyMs / 1000).toFixed(1)} s to /healthz`,
)
let after = await handlers()
s.check(
  "quarantine survives the restart",
  ["throws", "hangs", "memory", "gated"].every((n) => after.get(n)?.quarantined),
  ["throws", "hangs", "memory", "gated"].map((n) => `${n}=${after.get(n)?.quarantined}`).join(" "),
)
// the released loop's event is tried again in its worker and counted
const loopDeadline = performance.now() + 30_000
const healthAfter = []
while (performance.now() < loopDeadline) {
  const h = await request(`${server.url}/healthz`, {}, 5000)
  if (h.status === 200) healthAfter.push(h.ms)
  after = await handlers()
  if (after.get("loops")?.quarantined) break
  await sleep(200)
}
s.check(
  "the poison event is tried after the restart, fails, and quarantines again",
  after.get("loops")?.quarantined === true,
  `${after.get("loops")?.failures} failures in all`,
)
s.figure("/healthz after the restart while the loop runs: p99 (ms)", pct(healthAfter, 99).toFixed(1))

// 3. release the gated handler (gate open): the held events are delivered in order
rmSync(gate)
const waiting = after.get("gated")?.waiting ?? 0
await post("/api/v1/plugins/fault-gated/handlers/gated/release")
const deliverDeadline = performance.now() + 60_000
while (performance.now() < deliverDeadline) {
  const g = (await handlers()).get("gated")
  if (g && !g.quarantined && g.waiting === 0 && g.consecutiveFailures === 0 && existsSync(log)) break
  await sleep(500)
}
const positions = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").map(Number) : []
const inOrder = positions.every((p, i) => i === 0 || p > positions[i - 1])
s.figure("events delivered after release", positions.length)
s.check(
  "every held event delivered after release, in order",
  positions.length >= waiting && waiting > 0 && inOrder,
  `${waiting} waiting at release, ${positions.length} delivered, in order: ${inOrder}`,
)

// 4. a poison event skipped by an admin, recorded in the audit log
const throws = (await handlers()).get("throws")
if (throws?.heldEvent) {
  const r = await post("/api/v1/plugins/fault-throws/handlers/throws/skip", { eventId: throws.heldEvent.id })
  const audit = await request(`${server.url}/api/v1/audit?limit=20`, { headers: admin.headers })
  const recorded = JSON.stringify(audit.body).includes("plugin.event.skipped")
  s.check(
    "an admin skips the poison event (audited)",
    r.status === 200 && recorded,
    `status ${r.status}, audit: ${recorded}`,
  )
} else s.check("an admin skips the poison event (audited)", false, "no held event shown")

// 5. memory of the server process
const rssEnd = rssMb(server.pid)
const rssMax = Math.max(...rss.filter(Number.isFinite), rssEnd)
s.figure(
  "server RSS during the faults: max / after restart (MB)",
  `${rssMax.toFixed(0)} / ${rssEnd.toFixed(0)}`,
)
s.check(
  `server memory stays bounded (RSS under 1 GB with a ${env.TENET_PLUGIN_HEAP_MB} MB plugin heap limit)`,
  rssMax < 1024,
  `${rssMax.toFixed(0)} MB`,
)

await server.stop()
rmSync(dataDir, { recursive: true, force: true })
rmSync(work, { recursive: true, force: true })
s.done()
