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

// Starts `tenet start`, and measures when /healthz first answers (the sign-in page can be shown) and
// when the demo organisation is seeded (GET /api/v1/status says "ready"; a new folder seeds it behind
// the running server). The limit is generous: a loaded machine must print figures, not fail.
const startOnce = async (dataDir, port) => {
  const t0 = performance.now()
  const child = spawn(process.execPath, [cli, "start"], {
    env: { ...process.env, TENET_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let ready = 0
  let seeded = 0
  for (let i = 0; i < 30_000 && !seeded; i++) {
    try {
      if (!ready) {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`)
        if (r.ok) ready = performance.now() - t0
      }
      if (ready) {
        const s = await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json()
        if (s.demo === "ready") seeded = performance.now() - t0
      }
    } catch {}
    if (child.exitCode !== null) break
    if (!seeded) await sleep(10)
  }
  if (!seeded) {
    child.kill("SIGKILL")
    throw new Error("the server did not answer with its demo seeded within 300 s")
  }
  await sleep(3000)
  const idle = rssMb(child.pid)
  child.kill("SIGTERM")
  await new Promise((r) => child.once("exit", r))
  return { ready, seeded, idle }
}

const dir = mkdtempSync(join(tmpdir(), "tenet-bench-"))
try {
  const port = 3400 + Math.floor(Math.random() * 500)
  const fresh = await startOnce(dir, port)
  const existing = await startOnce(dir, port + 1)
  const again = await startOnce(dir, port + 2)
  console.log("Server on the embedded database (PGlite), built app (node apps/api/dist/cli.js start):")
  console.log(
    `  new data folder: answers (sign-in page) after ${Math.round(fresh.ready)} ms; demo seeded behind it after ${Math.round(fresh.seeded)} ms   (goal: answers ≤ 8000 ms)`,
  )
  console.log(
    `  existing data folder: answers after ${Math.round(existing.ready)} ms, ${Math.round(again.ready)} ms   (goal: ≤ 1500 ms)`,
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
