// The mixed load of the reliability suites and benchmarks: an open loop at a fixed rate (no
// coordinated omission: latency counts from each request's scheduled send time) over the operations
// a busy service centre runs — read a case, list the queue, create a case, compute a metric, open the
// dashboard. Sends with node:http over keep-alive connections, to loopback only.
//
//   import { mixedLoad, prepareMixed } from "../load/mixed.mjs"
//   const ctx = await prepareMixed(url, headers)          // ids of existing cases to read
//   const r = await mixedLoad({ targets: [url], headers, rate: 200, seconds: 30, ctx })
//   // r: { offered, sent, served, errors, byStatus, rps, p50, p99, byOp: { getCase: { n, p50, p99, errors } … } }
//
// `targets` may name several servers (round robin), e.g. two API processes on one PostgreSQL.
import http from "node:http"

/** The operations and their share of the load (sums to 100). */
export const MIX = [
  { op: "getCase", weight: 45 },
  { op: "listCases", weight: 20 },
  { op: "createCase", weight: 20 },
  { op: "metric", weight: 10 },
  { op: "dashboard", weight: 5 },
]

const pct = (xs, p) => {
  if (!xs.length) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })

/** One request; resolves { status, body } (status 0 on a network failure or after timeoutMs). */
export const send = (base, method, path, headers, body, timeoutMs = 30_000) =>
  new Promise((resolve) => {
    const url = new URL(path, base)
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: {
          ...headers,
          ...(payload
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
            : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = []
        res.on("data", (c) => chunks.push(c))
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }))
        res.on("error", () => resolve({ status: 0, body: "" }))
      },
    )
    req.on("timeout", () => req.destroy(new Error("timeout")))
    req.on("error", () => resolve({ status: 0, body: "" }))
    req.end(payload)
  })

/** Reads the ids of up to 200 cases the load will read. `headers` must carry auth and X-Tenet-Org. */
export const prepareMixed = async (base, headers) => {
  const r = await send(base, "GET", "/api/v1/process/cases?limit=200", headers)
  if (r.status !== 200)
    throw new Error(`listing cases for the mixed load failed: ${r.status} ${r.body.slice(0, 300)}`)
  const ids = JSON.parse(r.body).items.map((c) => c.id)
  if (!ids.length) throw new Error("the mixed load needs at least one case (seed the demo organisation)")
  return { ids }
}

const day = 86_400_000
const requestFor = (op, ctx, n) => {
  const now = Date.now()
  switch (op) {
    case "getCase":
      return ["GET", `/api/v1/process/cases/${ctx.ids[n % ctx.ids.length]}`]
    case "listCases": {
      const views = ["", "&status=open", "&sort=-receivedAt", "&channel=chat", "&sort=dueAt"]
      return ["GET", `/api/v1/process/cases?limit=50${views[n % views.length]}`]
    }
    case "createCase":
      return [
        "POST",
        "/api/v1/process/cases",
        {
          type: ["inquiry", "problem", "complaint", "request"][n % 4],
          channel: ["phone", "email", "chat", "web_form"][n % 4],
          subject: `混合负载 mixed load ${n}`,
          customer: { externalId: `mixed-${process.pid}-${n % 500}`, name: `Mixed ${n % 500}` },
        },
      ]
    case "metric": {
      const ids = ["process.first_response_sla", "process.resolution_sla", "process.fcr", "process.backlog"]
      const from = new Date(now - 30 * day).toISOString()
      const to = new Date(now).toISOString()
      return ["GET", `/api/v1/metrics/${ids[n % ids.length]}?from=${from}&to=${to}&bucket=day`]
    }
    case "dashboard": {
      const from = new Date(now - 30 * day).toISOString()
      const to = new Date(now).toISOString()
      return ["GET", `/api/v1/dashboard/kpis?from=${from}&to=${to}`]
    }
  }
  throw new Error(`unknown operation ${op}`)
}

/**
 * Offers `rate` requests a second for `seconds` seconds, spread over the operations of MIX (or
 * options.mix), round robin over `targets`. Every request is bounded by timeoutMs.
 */
export const mixedLoad = async ({ targets, headers, rate, seconds, ctx, mix = MIX, timeoutMs = 30_000 }) => {
  const wheel = []
  for (const m of mix) for (let i = 0; i < m.weight; i++) wheel.push(m.op)
  // a fixed interleaving so that every second carries the same mix
  const order = wheel.map((op, i) => ({ op, k: (i * 37) % wheel.length })).sort((a, b) => a.k - b.k)
  const total = Math.round(rate * seconds)
  const lat = []
  const byOp = {}
  const byStatus = {}
  let errors = 0
  const started = performance.now()
  const inflight = []
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const op = order[i % order.length].op
    const [method, path, body] = requestFor(op, ctx, i)
    const target = targets[i % targets.length]
    inflight.push(
      send(target, method, path, headers, body, timeoutMs).then((r) => {
        const ms = performance.now() - due
        byOp[op] ??= { n: 0, errors: 0, lat: [] }
        const s = byOp[op]
        s.n++
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1
        if (r.status >= 200 && r.status < 300) {
          lat.push(ms)
          s.lat.push(ms)
        } else {
          errors++
          s.errors++
        }
      }),
    )
  }
  await Promise.all(inflight)
  const elapsed = (performance.now() - started) / 1000
  return {
    offered: rate,
    sent: total,
    served: lat.length,
    errors,
    byStatus,
    rps: lat.length / elapsed,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    byOp: Object.fromEntries(
      Object.entries(byOp).map(([op, s]) => [
        op,
        { n: s.n, errors: s.errors, p50: pct(s.lat, 50), p99: pct(s.lat, 99) },
      ]),
    ),
  }
}

/** One line per operation and a total, for a suite's or benchmark's output. */
export const describeMixed = (r) =>
  [
    `offered ${r.offered} req/s, served ${r.rps.toFixed(1)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors} (statuses ${JSON.stringify(r.byStatus)})`,
    ...Object.entries(r.byOp).map(
      ([op, s]) =>
        `    ${op.padEnd(10)} n ${s.n}, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, errors ${s.errors}`,
    ),
  ].join("\n")
