// Shared pieces of the reliability suites (tooling/reliability/*.mjs): a Tenet server started as
// its own process (on a fresh embedded database, or on PostgreSQL), a throwaway PostgreSQL server,
// sign-in for the demo people, a bounded HTTP client, and the figures a suite prints.
// Every suite sends traffic to 127.0.0.1 only, bounded in count and time.
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { startPostgres } from "../bench/pg.mjs"

export const root = fileURLToPath(new URL("../..", import.meta.url))
export const FAST = process.argv.includes("--fast")
export const DEMO_PASSWORD = "tenet-demo-2026"
export const ROLES = ["owner", "admin", "supervisor", "qa_analyst", "agent", "auditor"]
export const demoEmail = (role) => `${role === "qa_analyst" ? "qa" : role}@demo.tenet.local`

/** A free port below the kernel's ephemeral range and above Chromium's unsafe ports. */
export const freePort = () => 20000 + Math.floor(Math.random() * 5000)

/**
 * A PostgreSQL database for a suite: TENET_TEST_DATABASE_URL's server when set (a new database on it),
 * otherwise a throwaway server (see tooling/bench/pg.mjs). Returns { url, stop }.
 */
export const postgres = async (name = "rel") => {
  const base = process.env.TENET_TEST_DATABASE_URL
  if (!base) {
    const pg = startPostgres()
    return { url: pg.url, stop: pg.stop, psql: pg.psql }
  }
  const { default: pgmod } = await import(join(root, "packages/core/node_modules/pg/lib/index.js"))
  const dbName = `tenet_${name}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`
  const admin = new pgmod.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`create database ${dbName}`)
  await admin.end()
  const u = new URL(base)
  u.pathname = `/${dbName}`
  return {
    url: u.toString(),
    stop: async () => {
      const c = new pgmod.Client({ connectionString: base })
      await c.connect()
      await c.query(`drop database if exists ${dbName} with (force)`).catch(() => {})
      await c.end()
    },
  }
}

/**
 * Starts `tenet start` (apps/api/dist/cli.js) as a child process and waits until /healthz answers.
 * options: { databaseUrl, dataDir, env, demoDays, port, log }
 * Returns { url, port, pid, child, dataDir, stop(signal), kill() }.
 */
export const startServer = async (options = {}) => {
  const port = options.port ?? freePort()
  const dataDir = options.databaseUrl
    ? undefined
    : (options.dataDir ?? mkdtempSync(join(tmpdir(), "tenet-rel-")))
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    TENET_DEMO_DAYS: String(options.demoDays ?? 14),
    // the suites sign in as the demo people at once: seed before answering
    TENET_DEMO_WAIT: "1",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : { TENET_DATA_DIR: dataDir }),
    ...options.env,
  }
  if (!options.databaseUrl) delete env.DATABASE_URL
  const child = spawn(process.execPath, [join(root, "apps/api/dist/cli.js"), "start"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  const keep = (d) => {
    output = (output + d).slice(-20_000)
    if (options.log) process.stdout.write(d)
  }
  child.stdout.on("data", keep)
  child.stderr.on("data", keep)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000)
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before ready:\n${output}`)
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })
      if (r.ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill("SIGKILL")
      throw new Error(`server not ready within the time limit:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  const exited = new Promise((r) => child.once("exit", r))
  return {
    url,
    port,
    pid: child.pid,
    child,
    dataDir,
    output: () => output,
    /** SIGTERM, then SIGKILL after 10 s; removes the data folder unless keepData. */
    stop: async ({ keepData = false } = {}) => {
      if (child.exitCode === null) {
        child.kill("SIGTERM")
        const t = setTimeout(() => child.kill("SIGKILL"), 10_000)
        await exited
        clearTimeout(t)
      }
      if (dataDir && !keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
    kill: async () => {
      child.kill("SIGKILL")
      await exited
    },
  }
}

/** Signs a demo person in; returns headers (cookie, same-origin) for later requests. */
export const signIn = async (url, email, password = DEMO_PASSWORD) => {
  const r = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  })
  if (!r.ok) throw new Error(`sign-in of ${email} failed: ${r.status} ${await r.text()}`)
  const cookie = (r.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ")
  const me = await r.json()
  return { headers: { cookie, origin: url }, me }
}

/** fetch with a time limit; never throws for HTTP statuses, returns { status, body, ms, timedOut }. */
export const request = async (url, init = {}, timeoutMs = 10_000) => {
  const t0 = performance.now()
  try {
    const r = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    const text = await r.text()
    let body = text
    try {
      body = JSON.parse(text)
    } catch {}
    return { status: r.status, body, headers: r.headers, ms: performance.now() - t0, timedOut: false }
  } catch (e) {
    const timedOut = e?.name === "TimeoutError" || e?.name === "AbortError"
    return { status: 0, body: String(e), ms: performance.now() - t0, timedOut }
  }
}

export const pct = (xs, p) => {
  if (!xs.length) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

/**
 * The figures of a suite: `figure(name, value)` prints one line; `check(name, ok, detail)` counts a
 * pass or failure; `done()` prints "<suite>: N passed, N failed" and sets the exit code.
 */
export const suite = (name) => {
  let passed = 0
  let failed = 0
  const t0 = performance.now()
  console.log(`\n## ${name}${FAST ? " (fast)" : ""}`)
  return {
    figure: (label, value) => console.log(`  ${label}: ${value}`),
    check: (label, ok, detail = "") => {
      if (ok) passed++
      else failed++
      console.log(`  ${ok ? "ok  " : "FAIL"} ${label}${detail ? ` — ${detail}` : ""}`)
      return ok
    },
    done: () => {
      console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
      console.log(`${name}: ${passed} passed, ${failed} failed`)
      process.exitCode = failed ? 1 : 0
      return { passed, failed }
    },
  }
}
