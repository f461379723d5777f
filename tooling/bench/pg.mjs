// A PostgreSQL server for a benchmark: BENCH_DATABASE_URL when set, otherwise a throwaway
// server started as the postgres user (like .ci/run) and removed on exit.
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const startPostgres = () => {
  if (process.env.BENCH_DATABASE_URL)
    return { url: process.env.BENCH_DATABASE_URL, psql: "psql", stop: () => {} }
  const bins = ["/usr/local/bin", ...["15", "16", "17"].map((v) => `/usr/lib/postgresql/${v}/bin`)].filter(
    (d) => existsSync(join(d, "initdb")),
  )
  if (!bins.length)
    throw new Error("no PostgreSQL server binaries; set BENCH_DATABASE_URL or apt-get install postgresql")
  const bin = bins[0]
  const psql = existsSync(join(bin, "psql")) ? join(bin, "psql") : "/usr/bin/psql"
  const dir = mkdtempSync(join(tmpdir(), "tenet-bench-pg-"))
  execFileSync("chown", ["postgres:postgres", dir])
  // below the kernel's ephemeral range (32768–60999), where a load test's own connections would collide
  const port = 25000 + Math.floor(Math.random() * 5000)
  const as = (cmd, args) =>
    execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "ignore" })
  as("initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
  as("pg_ctl", [
    "-D",
    dir,
    "-l",
    join(dir, "log"),
    "-o",
    `-h 127.0.0.1 -p ${port} -k ${dir} -c max_connections=300 -c shared_buffers=512MB -c synchronous_commit=on -c max_wal_size=8GB -c work_mem=64MB`,
    "-w",
    "start",
  ])
  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    try {
      as("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"])
    } catch {}
    rmSync(dir, { recursive: true, force: true })
  }
  process.on("exit", stop)
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, psql, stop }
}

export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
export const ms = (x) => `${x.toFixed(1)} ms`
export const fmt = (x) => Math.round(x).toLocaleString("en-US")
