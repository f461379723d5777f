// Tenet benchmarks (commands, not tests). Run from the root: pnpm bench
// Prints: cold start to ready on the embedded database (new data folder and existing one),
// idle RSS of the server process, and the calendar's due-date throughput.
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../..", import.meta.url))
const cli = join(root, "apps/api/dist/cli.js")
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const rssMb = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8")
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024
}

const startOnce = async (dataDir, port) => {
  const t0 = performance.now()
  const child = spawn(process.execPath, [cli, "start"], {
    env: { ...process.env, TENET_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let ready = 0
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (r.ok) {
        ready = performance.now() - t0
        break
      }
    } catch {}
    await sleep(10)
  }
  if (!ready) {
    child.kill("SIGKILL")
    throw new Error("the server did not become ready in 6 s")
  }
  await sleep(3000)
  const idle = rssMb(child.pid)
  child.kill("SIGTERM")
  await new Promise((r) => child.once("exit", r))
  return { ready, idle }
}

const dir = mkdtempSync(join(tmpdir(), "tenet-bench-"))
try {
  const port = 3400 + Math.floor(Math.random() * 500)
  const fresh = await startOnce(dir, port)
  const existing = await startOnce(dir, port + 1)
  const again = await startOnce(dir, port + 2)
  console.log("Server on the embedded database (PGlite), built app (node apps/api/dist/cli.js start):")
  console.log(
    `  cold start to ready, new data folder (initdb, migrations, demo seed): ${Math.round(fresh.ready)} ms`,
  )
  console.log(
    `  cold start to ready, existing data folder:                           ${Math.round(existing.ready)} ms, ${Math.round(again.ready)} ms`,
  )
  console.log(
    `  RSS idle 3 s after ready: ${Math.round(fresh.idle)} MB (new folder), ${Math.round(existing.idle)} MB (existing folder)`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}

console.log("")
const cal = spawnSync(process.execPath, [join(root, "packages/calendar/bench/due-dates.mjs")], {
  stdio: "inherit",
})
process.exitCode = cal.status ?? 1
