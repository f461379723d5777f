// Backups across engines: an embedded data folder with the demo organisation and a run of the
// server's jobs → `tenet backup` → `tenet restore` into PostgreSQL → `tenet backup` there →
// `tenet restore` into a fresh embedded folder → `tenet backup` again. Each backup's tables are
// compared with the first's: row count and a checksum of the rows (in key order; transaction ids,
// which belong to the database that made them, left out). The audit chain verifies after each
// restore, and a server started on the restored PostgreSQL takes new writes (identities continue).
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { demoEmail, FAST, postgres, request, root, signIn, startServer, suite } from "./lib.mjs"

const s = suite("backup")
const work = mkdtempSync(join(tmpdir(), "tenet-backup-"))
const cli = (env, ...args) => {
  const base = { ...process.env, ...env }
  if (!env.DATABASE_URL) delete base.DATABASE_URL
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [join(root, "apps/api/dist/cli.js"), "--json", ...args], {
    env: base,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`tenet ${args.join(" ")} failed (${r.status}): ${r.stderr}`)
  return { json: JSON.parse(r.stdout), ms }
}
// transaction ids are per database (restore gives rows the restoring transaction's)
const PER_DATABASE = new Set(["tx"])
/** Per table: rows and a checksum of its rows in the backup's key order. */
const tablesOf = (file) => {
  const out = {}
  let current
  let hash
  const lines = readFileSync(file, "utf8").split("\n")
  for (const line of lines.slice(1)) {
    if (!line || line.startsWith('{"end":')) continue
    if (line.startsWith('{"table":')) {
      if (current) out[current].checksum = hash.digest("hex").slice(0, 16)
      current = JSON.parse(line).table
      out[current] = { rows: 0 }
      hash = createHash("sha256")
      continue
    }
    const row = JSON.parse(line)
    for (const k of PER_DATABASE) delete row[k]
    hash.update(JSON.stringify(row))
    hash.update("\n")
    out[current].rows++
  }
  if (current) out[current].checksum = hash.digest("hex").slice(0, 16)
  return out
}
const compare = (label, a, b) => {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  const differ = names.filter((n) => a[n]?.rows !== b[n]?.rows || a[n]?.checksum !== b[n]?.checksum)
  const rows = Object.values(b).reduce((x, t) => x + t.rows, 0)
  s.check(
    `${label}: ${names.length} tables, ${rows} rows, counts and checksums equal`,
    differ.length === 0,
    differ
      .slice(0, 5)
      .map((n) => `${n}: ${JSON.stringify(a[n])} vs ${JSON.stringify(b[n])}`)
      .join("; "),
  )
}

const pg = await postgres("backup")
const servers = []
try {
  // 1. an embedded database with the demo, some changes and a few seconds of the server's jobs
  const dataDir = join(work, "embedded")
  const server = await startServer({ dataDir, demoDays: FAST ? 7 : 60 })
  servers.push(server)
  const { headers, me } = await signIn(server.url, demoEmail("owner"))
  const h = { ...headers, "x-tenet-org": me.currentOrgId, "content-type": "application/json" }
  for (let i = 0; i < 20; i++)
    await request(`${server.url}/api/v1/process/cases`, {
      method: "POST",
      headers: h,
      body: JSON.stringify({
        type: "complaint",
        channel: "email",
        subject: `备份 backup ${i} — "quotes", \\ and ✓`,
      }),
    })
  await new Promise((r) => setTimeout(r, FAST ? 1500 : 5000))
  await server.stop({ keepData: true })
  const embedded = { TENET_DATA_DIR: dataDir }
  // personal fields are sealed at rest: a backup carries them sealed, so restoring elsewhere needs
  // the key they were sealed with (here the embedded folder's development key)
  const keyFile = join(dataDir, "encryption.key")
  const withKey = existsSync(keyFile) ? { TENET_ENCRYPTION_KEY: readFileSync(keyFile, "utf8").trim() } : {}
  const onPg = { DATABASE_URL: pg.url, ...withKey }

  const first = join(work, "1-embedded.ndjson")
  const b1 = cli(embedded, "backup", "--out", first)
  s.figure(
    "backup of the embedded database",
    `${b1.json.rows} rows in ${Object.keys(b1.json.tables).length} tables, ${Math.round(b1.ms)} ms`,
  )
  const t1 = tablesOf(first)

  // 2. into PostgreSQL
  const r2 = cli(onPg, "restore", first)
  s.figure("restore into PostgreSQL", `${r2.json.rows} rows, ${Math.round(r2.ms)} ms`)
  const v2 = cli(onPg, "audit", "verify")
  s.check(
    "the audit chain verifies on PostgreSQL after the restore",
    v2.json.ok === true,
    JSON.stringify(v2.json).slice(0, 200),
  )
  const second = join(work, "2-postgres.ndjson")
  cli(onPg, "backup", "--out", second)
  compare("embedded → PostgreSQL", t1, tablesOf(second))

  // 3. and back into a fresh embedded folder
  const back = { TENET_DATA_DIR: join(work, "embedded-again"), ...withKey }
  const r3 = cli(back, "restore", second)
  s.figure("restore into a fresh embedded database", `${r3.json.rows} rows, ${Math.round(r3.ms)} ms`)
  const v3 = cli(back, "audit", "verify")
  s.check("the audit chain verifies on the embedded database after the restore", v3.json.ok === true)
  const third = join(work, "3-embedded.ndjson")
  cli(back, "backup", "--out", third)
  compare("PostgreSQL → embedded", t1, tablesOf(third))

  // 4. the restored PostgreSQL database works: a server on it takes new changes and the chain holds
  const onRestored = await startServer({ databaseUrl: pg.url, env: { TENET_DEMO: "0", ...withKey } })
  servers.push(onRestored)
  const signed = await signIn(onRestored.url, demoEmail("owner"))
  const h2 = { ...signed.headers, "x-tenet-org": signed.me.currentOrgId, "content-type": "application/json" }
  let created = 0
  for (let i = 0; i < 10; i++) {
    const r = await request(`${onRestored.url}/api/v1/process/cases`, {
      method: "POST",
      headers: h2,
      body: JSON.stringify({ type: "inquiry", channel: "chat", subject: `after restore ${i}` }),
    })
    if (r.status === 201) created++
  }
  await onRestored.stop()
  s.check("a server on the restored PostgreSQL takes new cases", created === 10, `${created}/10`)
  const v4 = cli(onPg, "audit", "verify")
  s.check("… and the audit chain still verifies", v4.json.ok === true, `${v4.json.records} records`)
} catch (e) {
  s.check("the suite ran", false, String(e?.stack ?? e))
}
for (const x of servers) await x.stop().catch(() => {})
await pg.stop()
rmSync(work, { recursive: true, force: true })
s.done()
