// The HTTP load generator of `pnpm bench:process`, in a process of its own (warmed up for two
// seconds before it measures). Prints one JSON line.
//   node load.mjs rate URL HEADERS_JSON RATE SECONDS      open loop at a fixed rate: p50, p99 (from the
//                                                          scheduled send time: no coordinated omission), req/s
//   node load.mjs max URL HEADERS_JSON RATE SECONDS CONCURRENCY   closed loop: the most req/s
// It sends with node:http over keep-alive connections rather than fetch: on this 2-core machine
// fetch spent ~0.5 ms of CPU per request (a quarter of a core at 1,000 req/s, taken from the
// servers being measured); node:http spends less than half of that.
import http from "node:http"
import { pct } from "./pg.mjs"

const [mode, target, headersJson, rateArg, secondsArg, concurrencyArg] = process.argv.slice(2)
const url = new URL(target)
const headers = { "content-type": "application/json", ...JSON.parse(headersJson) }
const RATE = Number(rateArg)
const SECONDS = Number(secondsArg)
const CONCURRENCY = Number(concurrencyArg ?? 64)
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 })
let seq = 0
const body = () =>
  JSON.stringify({
    type: "inquiry",
    channel: "chat",
    subject: "并发压测 bench",
    customer: { externalId: `bench-api-${process.pid}-${seq++}`, name: "Bench" },
  })

/** One POST; resolves true when the answer was a success (2xx), false on an error status or a failure. */
const post = () =>
  new Promise((resolve) => {
    const payload = body()
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume()
        res.on("end", () => resolve(res.statusCode >= 200 && res.statusCode < 300))
        res.on("error", () => resolve(false))
      },
    )
    req.on("error", () => resolve(false))
    req.end(payload)
  })

const atRate = async (seconds = SECONDS) => {
  const lat = []
  let errors = 0
  const total = RATE * seconds
  const started = performance.now()
  const inflight = []
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    inflight.push(
      post().then((ok) => {
        if (ok) lat.push(performance.now() - due)
        else errors++
      }),
    )
  }
  await Promise.all(inflight)
  return {
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    rps: lat.length / ((performance.now() - started) / 1000),
    errors,
  }
}

const most = async (seconds = SECONDS) => {
  let done = 0
  let errors = 0
  const until = performance.now() + seconds * 1000
  const client = async () => {
    while (performance.now() < until) {
      if (await post()) done++
      else errors++
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, client))
  return { rps: done / ((performance.now() - started) / 1000), errors }
}

// a fresh process runs cold: two seconds of the same load first, not measured
if (mode === "max") await most(2)
else await atRate(2)
console.log(JSON.stringify(mode === "max" ? await most() : await atRate()))
