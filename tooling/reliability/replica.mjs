// Reports from a streaming replica (DATABASE_READ_URL): a primary started with wal_level=replica, a
// standby made with `pg_basebackup -R` and kept by streaming replication, and Tenet on both.
// Proves: dashboards, metrics and the audit log are served by the replica (its transaction count
// grows, the primary's does not grow by as much); read-your-writes over N write-then-read pairs (each
// new case is in the audit log read right after, from the replica or — when it has not replayed the
// write yet — from the primary); with the replica stopped every report still answers (from the
// primary, logged), and once it is back reports go to it again.
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { demoEmail, FAST, request, signIn, startServer, suite } from "./lib.mjs"

const s = suite("replica")
const bins = [
  "/usr/local/bin",
  "/usr/lib/postgresql/15/bin",
  "/usr/lib/postgresql/16/bin",
  "/usr/lib/postgresql/17/bin",
]
const bin = (cmd) => {
  const d = bins.find((x) => existsSync(join(x, cmd)))
  if (!d) throw new Error(`no ${cmd} in ${bins.join(", ")}`)
  return join(d, cmd)
}
const as = (cmd, args) =>
  execFileSync("runuser", ["-u", "postgres", "--", bin(cmd), ...args], { stdio: "pipe", encoding: "utf8" })

// one folder for both servers, owned by postgres; removed on exit
const dir = mkdtempSync(join(tmpdir(), "tenet-replica-"))
execFileSync("chown", ["postgres:postgres", dir])
const primaryDir = join(dir, "primary")
const replicaDir = join(dir, "replica")
const base = 25000 + Math.floor(Math.random() * 4000)
const ports = { primary: base, replica: base + 1 }
const opts = (port) =>
  `-h 127.0.0.1 -p ${port} -k ${dir} -c max_connections=200 -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on -c track_counts=on`
const startPg = (d, port) =>
  as("pg_ctl", ["-D", d, "-l", join(dir, `${port}.log`), "-o", opts(port), "-w", "start"])
const stopPg = (d) => {
  try {
    as("pg_ctl", ["-D", d, "-m", "fast", "-w", "stop"])
  } catch {}
}
const servers = []
const cleanup = () => {
  stopPg(replicaDir)
  stopPg(primaryDir)
  rmSync(dir, { recursive: true, force: true })
}
process.on("exit", cleanup)

as("initdb", ["-D", primaryDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
startPg(primaryDir, ports.primary)
const t0 = performance.now()
as("pg_basebackup", [
  "-h",
  "127.0.0.1",
  "-p",
  String(ports.primary),
  "-U",
  "postgres",
  "-D",
  replicaDir,
  "-R",
  "-X",
  "stream",
])
startPg(replicaDir, ports.replica)
s.figure("replica made with pg_basebackup -R and started in", `${Math.round(performance.now() - t0)} ms`)
const psql = (port, q) =>
  as("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-Atc", q]).trim()
s.check("the replica is a standby in recovery", psql(ports.replica, "select pg_is_in_recovery()") === "t")
s.check(
  "the primary streams to it",
  psql(ports.primary, "select count(*) from pg_stat_replication where state = 'streaming'") === "1",
)

const url = (port) => `postgres://postgres@127.0.0.1:${port}/postgres`
const server = await startServer({
  databaseUrl: url(ports.primary),
  env: { DATABASE_READ_URL: url(ports.replica), TENET_READ_WAIT_MS: "250", TENET_READ_MAX_LAG_MS: "2000" },
  demoDays: FAST ? 7 : 30,
})
servers.push(server)
const { headers, me } = await signIn(server.url, demoEmail("owner"))
const orgId = me.currentOrgId ?? me.memberships?.[0]?.orgId
const h = { ...headers, ...(orgId ? { "x-tenet-org": orgId } : {}) }
const day = 86_400_000
const period = () => `from=${new Date(Date.now() - 30 * day).toISOString()}&to=${new Date().toISOString()}`
const REPORTS = [
  () => `/api/v1/dashboard/kpis?${period()}`,
  () => `/api/v1/metrics/process.backlog?${period()}&bucket=day`,
  () => `/api/v1/metrics/process.fcr/control-chart?${period()}`,
  () => "/api/v1/audit?limit=20",
]

// 1. reports are served by the replica: count the transactions each server ran
const xacts = (port) =>
  Number(psql(port, "select xact_commit + xact_rollback from pg_stat_database where datname = 'postgres'"))
const reads = FAST ? 40 : 200
await new Promise((r) => setTimeout(r, 600)) // let the statistics collector settle
const before = { primary: xacts(ports.primary), replica: xacts(ports.replica) }
const from = {}
let readErrors = 0
for (let i = 0; i < reads; i++) {
  const r = await request(`${server.url}${REPORTS[i % REPORTS.length]()}`, { headers: h })
  if (r.status !== 200) readErrors++
  const where = r.headers?.get("tenet-read-from") ?? "none"
  from[where] = (from[where] ?? 0) + 1
}
// a backend publishes its counts when it goes idle, at most once a second, else after up to 10 s:
// read until the replica's count has caught up with the reports, for at most 15 s
let after
for (const until = Date.now() + 15_000; ; ) {
  await new Promise((r) => setTimeout(r, 500))
  after = { primary: xacts(ports.primary), replica: xacts(ports.replica) }
  if (after.replica - before.replica >= reads || Date.now() > until) break
}
const onReplica = after.replica - before.replica
const onPrimary = after.primary - before.primary
s.figure("reports", `${reads}: ${JSON.stringify(from)}, errors ${readErrors}`)
s.figure(
  "transactions during them",
  `replica +${onReplica}, primary +${onPrimary} (SLA sweep, jobs and sign-in checks)`,
)
s.check("every report answered", readErrors === 0)
// a metric that first refreshes rollup days changed since the last refresh writes on the primary
// and reads there after it, so a few may say "primary"
s.check("reports read from the replica", (from.replica ?? 0) >= reads * 0.9, JSON.stringify(from))
s.check("the replica ran the reports' queries", onReplica >= reads, `+${onReplica} for ${reads} reports`)

// 2. read-your-writes: create a case, read the audit log at once, the case must be there
const pairs = FAST ? 30 : 200
let seen = 0
const served = {}
let lsnCookie = ""
for (let i = 0; i < pairs; i++) {
  const c = await request(`${server.url}/api/v1/process/cases`, {
    method: "POST",
    headers: {
      ...h,
      cookie: [h.cookie, lsnCookie].filter(Boolean).join("; "),
      "content-type": "application/json",
    },
    body: JSON.stringify({ type: "inquiry", channel: "chat", subject: `读写一致 ${i}` }),
  })
  if (c.status !== 201) continue
  const set = c.headers.getSetCookie?.().find((x) => x.startsWith("tenet_lsn="))
  if (set) lsnCookie = set.split(";")[0]
  const r = await request(`${server.url}/api/v1/audit?entityId=${c.body.id}`, {
    headers: { ...h, cookie: [h.cookie, lsnCookie].filter(Boolean).join("; ") },
  })
  const where = r.headers?.get("tenet-read-from") ?? "none"
  served[where] = (served[where] ?? 0) + 1
  if (r.status === 200 && r.body.items?.some((a) => a.entityId === c.body.id)) seen++
}
s.figure(
  "write-then-read pairs",
  `${pairs}: the write seen in ${seen}; reads served ${JSON.stringify(served)}`,
)
s.check("read-your-writes holds in every pair", seen === pairs, `${seen}/${pairs}`)

// 2b. the replica falls behind (replay paused): a writer's next report waits, then reads from the
// primary and sees the write; after TENET_READ_MAX_LAG_MS (2 s here) reports without a position
// leave the lagging replica too; replay resumed, they return to it
psql(ports.replica, "select pg_wal_replay_pause()")
const paused = await request(`${server.url}/api/v1/process/cases`, {
  method: "POST",
  headers: { ...h, "content-type": "application/json" },
  body: JSON.stringify({ type: "inquiry", channel: "chat", subject: "复制暂停 replay paused" }),
})
const pausedLsn = paused.headers.get("tenet-read-lsn")
const behind = await request(`${server.url}/api/v1/audit?entityId=${paused.body.id}`, {
  headers: { ...h, "tenet-read-lsn": pausedLsn ?? "" },
})
s.check(
  "replica behind the writer: the report reads from the primary and sees the write",
  behind.headers?.get("tenet-read-from") === "primary" &&
    behind.body.items?.some((a) => a.entityId === paused.body.id),
  `${behind.status} from ${behind.headers?.get("tenet-read-from")}`,
)
// more writes, so the primary moves on while the replica stands still
for (let i = 0; i < 3; i++) {
  await request(`${server.url}/api/v1/process/cases`, {
    method: "POST",
    headers: { ...h, "content-type": "application/json" },
    body: JSON.stringify({ type: "inquiry", channel: "chat", subject: `lag ${i}` }),
  })
  await new Promise((r) => setTimeout(r, 1100))
}
const lagFrom = {}
for (let i = 0; i < 4; i++) {
  const r = await request(`${server.url}${REPORTS[i % REPORTS.length]()}`, { headers: h })
  const where = r.headers?.get("tenet-read-from") ?? "none"
  lagFrom[where] = (lagFrom[where] ?? 0) + 1
  await new Promise((r) => setTimeout(r, 300))
}
s.figure("replay paused for 4 s: reports without a position", JSON.stringify(lagFrom))
s.check(
  "a lagging replica is left for the primary (logged)",
  (lagFrom.primary ?? 0) >= 3 && /read replica .*: lagging/.test(server.output()),
  JSON.stringify(lagFrom),
)
psql(ports.replica, "select pg_wal_replay_resume()")
await new Promise((r) => setTimeout(r, 1500))
const caughtUp = await request(`${server.url}${REPORTS[0]()}`, { headers: h })
s.check(
  "replay resumed: reports read from the replica again",
  caughtUp.headers?.get("tenet-read-from") === "replica",
  `${caughtUp.headers?.get("tenet-read-from")}`,
)

// 3. the replica stops: reports still answer, from the primary; it comes back: reports return to it
stopPg(replicaDir)
const downFrom = {}
let downErrors = 0
const tDown = performance.now()
for (let i = 0; i < 20; i++) {
  const r = await request(`${server.url}${REPORTS[i % REPORTS.length]()}`, { headers: h })
  if (r.status !== 200) downErrors++
  const where = r.headers?.get("tenet-read-from") ?? "none"
  downFrom[where] = (downFrom[where] ?? 0) + 1
}
s.figure(
  "replica stopped: 20 reports",
  `${JSON.stringify(downFrom)}, errors ${downErrors}, ${Math.round(performance.now() - tDown)} ms`,
)
s.check("with the replica stopped every report answers", downErrors === 0)
s.check("… from the primary", (downFrom.primary ?? 0) >= 19, JSON.stringify(downFrom))
s.check("the fallback is logged", /read replica .*: down/.test(server.output()))
startPg(replicaDir, ports.replica)
// the replica is tried again 5 s after a failure, and used once it has replayed what the reader wrote
// (a restarted standby may need a few seconds more on a loaded machine): ask until it answers, 20 s at most
const tBack = performance.now()
await new Promise((r) => setTimeout(r, 5500))
let back = await request(`${server.url}${REPORTS[0]()}`, { headers: h })
while (back.headers?.get("tenet-read-from") !== "replica" && performance.now() - tBack < 20_000) {
  await new Promise((r) => setTimeout(r, 1000))
  back = await request(`${server.url}${REPORTS[0]()}`, { headers: h })
}
s.figure("replica back: reports read from it again after", `${Math.round(performance.now() - tBack)} ms`)
s.check(
  "once it is back, reports read from it again",
  back.status === 200 && back.headers.get("tenet-read-from") === "replica",
  `${back.status} ${back.headers?.get("tenet-read-from")}`,
)
for (const x of servers) await x.stop()
s.done()
cleanup()
