// pnpm test:reliability [--fast] [suite …]: runs the reliability suites (every *.mjs beside this
// file except lib.mjs and run.mjs), one process each, in name order, and prints their figures and a
// total. --fast runs the short variants (what CI runs). A suite name limits the run to that suite.
import { spawnSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const here = fileURLToPath(new URL(".", import.meta.url))
const args = process.argv.slice(2)
const fast = args.includes("--fast")
const only = args.filter((a) => !a.startsWith("--"))
const suites = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && f !== "lib.mjs" && f !== "run.mjs")
  .map((f) => f.replace(/\.mjs$/, ""))
  .filter((s) => !only.length || only.includes(s))
  .sort()
if (only.length && suites.length !== only.length) {
  console.error(`unknown suite: ${only.filter((o) => !suites.includes(o)).join(", ")}`)
  process.exit(2)
}
let passed = 0
let failed = 0
const broken = []
const t0 = Date.now()
for (const s of suites) {
  const r = spawnSync(process.execPath, [join(here, `${s}.mjs`), ...(fast ? ["--fast"] : [])], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: (fast ? 10 : 60) * 60_000,
  })
  process.stdout.write(r.stdout ?? "")
  const m = /: (\d+) passed, (\d+) failed\s*$/m.exec(r.stdout ?? "")
  if (m) {
    passed += Number(m[1])
    failed += Number(m[2])
  }
  if (r.status !== 0 || !m) {
    broken.push(`${s} (exit ${r.status ?? r.signal})`)
    if (!m) failed++
  }
}
console.log(
  `\nreliability suites: ${suites.length} in ${Math.round((Date.now() - t0) / 1000)} s${broken.length ? `; failed: ${broken.join(", ")}` : ""}`,
)
console.log(`reliability: ${passed} passed, ${failed} failed`)
process.exit(broken.length || failed ? 1 : 0)
