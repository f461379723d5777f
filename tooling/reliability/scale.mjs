// Scale-out on one PostgreSQL: two Tenet API processes behind a round-robin proxy (node:http on
// loopback, started here) under the mixed load, while the two processes' job workers drain 10,000
// scheduled jobs (2,000 fast) of a test kind whose handler appends each run to a file.
// Proves: 0 errors through the proxy; sessions valid on both processes (signed in through one, used
// on the other, signed out through one, refused by both); every job run exactly once (0 missed,
// 0 doubled, both processes took part); the SLA sweep's effects once (no breach, warning or escalation
// timeline entry twice); rollups that agree with the raw rows after the load.
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import http from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describeMixed, mixedLoad, prepareMixed } from "../load/mixed.mjs"
import { demoEmail, FAST, freePort, postgres, request, root, signIn, startServer, suite } from "./lib.mjs"

const s = suite("scale")
const JOBS = FAST ? 2000 : 10_000
const LOAD = FAST ? { rate: 20, seconds: 15 } : { rate: 20, seconds: 60 }
const { default: pg } = await import(join(root, "packages/core/node_modules/pg/lib/index.js"))

const db = await postgres("scale")
const jobLog = join(tmpdir(), `tenet-scale-jobs-${process.pid}.log`)
writeFileSync(jobLog, "")
// the proxy is where people reach Tenet: its URL is the servers' public URL (their own origin for
// the cross-site checks of sign-in and changes)
const proxyPort = freePort()
const proxyUrl = `http://127.0.0.1:${proxyPort}`
const env = { TENET_TEST_JOB_LOG: jobLog, TENET_PUBLIC_URL: proxyUrl }
const servers = []
const cleanup = async () => {
  for (const x of servers) await x.stop().catch(() => {})
  await db.stop()
  rmSync(jobLog, { force: true })
}
try {
  // one after the other: the first migrates and seeds the demo organisation, the second finds them done
  servers.push(await startServer({ databaseUrl: db.url, env, demoDays: FAST ? 7 : 30 }))
  servers.push(await startServer({ databaseUrl: db.url, env }))
  const [a, b] = servers

  // the round-robin proxy
  const upstream = servers.map((x) => new URL(x.url))
  const served = [0, 0]
  let turn = 0
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 })
  const proxy = http.createServer((req, res) => {
    const i = turn++ % upstream.length
    served[i]++
    const t = upstream[i]
    const chunks = []
    req.on("data", (c) => chunks.push(c))
    req.on("end", () => {
      const body = Buffer.concat(chunks)
      const send = (retry) => {
        const up = http.request(
          { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers, agent },
          (ur) => {
            res.writeHead(ur.statusCode ?? 502, ur.headers)
            ur.pipe(res)
          },
        )
        up.on("error", (e) => {
          // a keep-alive socket the server closed as it was reused: send once more on a new one
          if (retry && up.reusedSocket && e.code === "ECONNRESET") return send(false)
          if (!res.headersSent) res.writeHead(502)
          res.end()
        })
        up.end(body)
      }
      send(true)
    })
  })
  await new Promise((r) => proxy.listen(proxyPort, "127.0.0.1", r))

  // sessions: signed in through the proxy, valid on both processes
  const { headers, me } = await signIn(proxyUrl, demoEmail("owner"))
  const h = { ...headers, "x-tenet-org": me.currentOrgId }
  const onA = await request(`${a.url}/api/v1/auth/me`, { headers: h })
  const onB = await request(`${b.url}/api/v1/auth/me`, { headers: h })
  s.check(
    "a session made through the proxy is valid on both processes",
    onA.status === 200 && onB.status === 200,
    `${onA.status}, ${onB.status}`,
  )

  // a policy of seconds for the load's request/web_form cases (a quarter of those it creates), so
  // warnings, breaches and escalations fall due while both processes sweep
  const calendars = await request(`${proxyUrl}/api/v1/process/calendars`, { headers: h })
  const always = calendars.body?.items?.find((c) => c.name === "7×24")
  const policy = await request(`${proxyUrl}/api/v1/process/sla-policies`, {
    method: "POST",
    headers: { ...h, "content-type": "application/json" },
    body: JSON.stringify({
      name: "scale suite: seconds",
      position: 1,
      definition: {
        conditions: { type: ["request"], channel: ["web_form"] },
        calendarId: always?.id ?? "none",
        targets: { first_response: 2, initial_record: 3, resolution: 4 },
        pauseStatuses: [],
        warnAt: 0.5,
        escalations: [
          { afterSeconds: 0, action: "notify" },
          { afterSeconds: 2, action: "raise_tier" },
        ],
      },
    }),
  })
  s.check(
    "a policy of seconds for the load's cases",
    policy.status === 201,
    policy.status === 201 ? "" : `${policy.status} ${JSON.stringify(policy.body).slice(0, 300)}`,
  )

  // 10,000 jobs due now, drained by both workers while the load runs
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  const t0 = performance.now()
  await client.query(
    `insert into core.job (org_id, id, kind, key, run_at, payload)
     select '', 'job_scale_' || g, 'test.record', 'scale-' || g, now(), '{}' from generate_series(1, $1::int) g`,
    [JOBS],
  )
  const sweepFrom = new Date()
  const ctx = await prepareMixed(proxyUrl, h)
  const load = mixedLoad({ targets: [proxyUrl], headers: h, rate: LOAD.rate, seconds: LOAD.seconds, ctx })
  let drainedMs = Number.NaN
  const deadline = Date.now() + (FAST ? 60_000 : 480_000)
  for (;;) {
    const r = await client.query(
      `select count(*)::int as n from core.job where kind = 'test.record' and status = 'done'`,
    )
    if (r.rows[0].n >= JOBS) {
      drainedMs = performance.now() - t0
      break
    }
    if (Date.now() > deadline) break
    await new Promise((r) => setTimeout(r, 250))
  }
  const r = await load
  s.figure("mixed load through the proxy", describeMixed(r))
  s.figure("requests per process", `${served[0]} and ${served[1]}`)
  s.check(
    "0 errors under the mixed load through the proxy",
    r.errors === 0 && r.served === r.sent,
    `${r.errors} errors of ${r.sent}`,
  )
  s.check("both processes served", served[0] > 0 && served[1] > 0)

  // exactly once: count the runs the handler recorded
  const runs = new Map()
  const byPid = {}
  for (const line of readFileSync(jobLog, "utf8").split("\n")) {
    if (!line) continue
    const [key, pid] = line.split(" ")
    runs.set(key, (runs.get(key) ?? 0) + 1)
    byPid[pid] = (byPid[pid] ?? 0) + 1
  }
  let missed = 0
  let doubled = 0
  for (let i = 1; i <= JOBS; i++) {
    const n = runs.get(`scale-${i}`) ?? 0
    if (n === 0) missed++
    if (n > 1) doubled++
  }
  s.figure(
    "scheduled jobs",
    `${JOBS} drained in ${(drainedMs / 1000).toFixed(1)} s (${Math.round(JOBS / (drainedMs / 1000))} jobs/s) under the load; runs by process ${JSON.stringify(Object.values(byPid))}`,
  )
  s.figure(
    "job runs",
    `missed ${missed}, doubled ${doubled}, recorded ${[...runs.values()].reduce((x, y) => x + y, 0)}`,
  )
  s.check(`every one of ${JOBS} jobs ran exactly once (0 missed, 0 doubled)`, missed === 0 && doubled === 0)
  s.check("both processes ran jobs", Object.keys(byPid).length === 2, JSON.stringify(byPid))

  // the SLA sweep ran from both processes: no timeline entry twice
  const sla = await client.query(
    `select count(*)::int as n, count(*) filter (where at >= $1)::int as recent from process.case_event
     where actor_id = 'sla' and kind in ('sla_warning', 'sla_breach', 'escalation')`,
    [sweepFrom],
  )
  const dup = await client.query(
    `select count(*)::int as n from (
       select 1 from process.case_event where actor_id = 'sla' and kind in ('sla_warning', 'sla_breach', 'escalation')
       group by org_id, case_id, kind, data->>'target', data->>'dueAt', coalesce(data->>'level', '')
       having count(*) > 1) d`,
  )
  // breaches name their target and due time in the audit record; escalations do not (one per
  // target may share a level), so those are counted against the timeline's entries
  const breachAudit = await client.query(
    `select count(*)::int as n from (select 1 from core.audit_log where action = 'sla.breached'
       group by org_id, entity_id, after::text having count(*) > 1) d`,
  )
  const escalations = await client.query(
    `select (select count(*)::int from core.audit_log where action = 'case.escalated') as audit,
       (select count(*)::int from process.case_event where actor_id = 'sla' and kind = 'escalation') as timeline`,
  )
  const esc = escalations.rows[0]
  s.figure(
    "SLA sweep effects",
    `${sla.rows[0].n} warning/breach/escalation entries (${sla.rows[0].recent} during the run), ${dup.rows[0].n} duplicated; ${breachAudit.rows[0].n} duplicated breach audit records; escalations ${esc.audit} audited, ${esc.timeline} in timelines`,
  )
  s.check("SLA events fell due and fired during the run", sla.rows[0].recent > 0, `${sla.rows[0].recent}`)
  s.check(
    "the SLA sweep's effects happened once",
    dup.rows[0].n === 0 && breachAudit.rows[0].n === 0 && esc.audit === esc.timeline,
  )

  // rollups agree with the raw rows: the same metric from the rollups (the organisation's zone) and
  // from raw rows (Asia/Chongqing, the same offset under another name, which the rollups do not serve).
  // Rollups follow the outbox (a breach marks its day dirty when its event is handled), so they are
  // compared once the sweep and the outbox are quiet: up to 60 s, every 2 s.
  const dayMs = 86_400_000
  const todayLocal = Math.floor((Date.now() + 8 * 3_600_000) / dayMs) * dayMs - 8 * 3_600_000
  const period = `from=${new Date(todayLocal - 30 * dayMs).toISOString()}&to=${new Date(todayLocal + dayMs).toISOString()}`
  let mismatches = []
  const settled = Date.now()
  for (let attempt = 0; attempt < 30; attempt++) {
    mismatches = []
    for (const metric of ["process.first_response_sla", "process.resolution_sla", "process.fcr"]) {
      const viaRollup = await request(
        `${proxyUrl}/api/v1/metrics/${metric}?${period}&timeZone=Asia/Shanghai`,
        {
          headers: h,
        },
      )
      const viaRaw = await request(`${proxyUrl}/api/v1/metrics/${metric}?${period}&timeZone=Asia/Chongqing`, {
        headers: h,
      })
      const pick = (x) => JSON.stringify((x.body?.values ?? []).map((v) => [v.n, v.numerator, v.denominator]))
      if (viaRollup.status !== 200 || viaRaw.status !== 200 || pick(viaRollup) !== pick(viaRaw))
        mismatches.push(
          `${metric}: ${viaRollup.status} ${pick(viaRollup)} vs ${viaRaw.status} ${pick(viaRaw)}`,
        )
    }
    if (mismatches.length === 0) break
    await new Promise((r) => setTimeout(r, 2000))
  }
  s.figure("rollups equal to the raw rows", `${((Date.now() - settled) / 1000).toFixed(1)} s after the load`)
  s.check("rollups agree with the raw rows after the load", mismatches.length === 0, mismatches.join("; "))

  // sign out through the proxy: the session is gone on both processes
  await request(`${proxyUrl}/api/v1/auth/sign-out`, { method: "POST", headers: h })
  const outA = await request(`${a.url}/api/v1/auth/me`, { headers: h })
  const outB = await request(`${b.url}/api/v1/auth/me`, { headers: h })
  s.check(
    "signed out through the proxy: refused by both processes",
    outA.status === 401 && outB.status === 401,
    `${outA.status}, ${outB.status}`,
  )

  await client.end()
  proxy.close()
  agent.destroy()
} catch (e) {
  s.check("the suite ran", false, String(e?.stack ?? e))
}
await cleanup()
s.done()
process.exit()
