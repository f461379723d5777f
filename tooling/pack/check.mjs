// Publishing check: `pnpm pack` every public package (after `pnpm build:publish`), install the tarballs into
// an empty project offline (from the local pnpm store; each @tenet/* dependency pointed at its tarball), and
// import each one. Run from the root: pnpm pack:check
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../..", import.meta.url))
const only = process.argv.slice(2)
const dirs = ["packages", "plugins"].flatMap((d) =>
  readdirSync(join(root, d)).map((name) => join(root, d, name)),
)
const packages = dirs
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
  .filter(({ pkg }) => !pkg.private)
const tmp = mkdtempSync(join(tmpdir(), "tenet-pack-"))
let failed = 0
try {
  const tarballs = {}
  for (const { dir, pkg } of packages) {
    const out = execFileSync("pnpm", ["pack", "--pack-destination", tmp, "--json"], {
      cwd: dir,
      encoding: "utf8",
    })
    tarballs[pkg.name] = JSON.parse(out).filename
  }
  const wanted = only.length ? only : Object.keys(tarballs)
  const project = join(tmp, "project")
  execFileSync("mkdir", ["-p", project])
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "pack-check",
      private: true,
      type: "module",
      dependencies: Object.fromEntries(wanted.map((n) => [n, `file:${tarballs[n]}`])),
    }),
  )
  // a project of its own (not the repository's workspace), each @tenet/* dependency from its tarball
  writeFileSync(
    join(project, "pnpm-workspace.yaml"),
    `packages: []\noverrides:\n${Object.entries(tarballs)
      .map(([n, f]) => `  "${n}": "file:${f}"\n`)
      .join("")}`,
  )
  execFileSync("pnpm", ["install", "--offline", "--reporter=silent"], {
    cwd: project,
    stdio: "inherit",
  })
  for (const name of wanted) {
    try {
      execFileSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(name)})`], {
        cwd: project,
        stdio: ["ignore", "ignore", "pipe"],
      })
      const pkg = packages.find((p) => p.pkg.name === name).pkg
      const types = pkg.exports?.["."]?.types
      if (types && !existsSync(join(project, "node_modules", name, types)))
        throw { stderr: `no type declarations (${types}): build with pnpm build:publish` }
      for (const file of ["README.md", "LICENSE"])
        if (!existsSync(join(project, "node_modules", name, file)))
          throw { stderr: `no ${file} in the tarball` }
      console.log(`ok      ${name}`)
    } catch (e) {
      failed++
      console.log(
        `FAILED  ${name}: ${
          String(e.stderr ?? e)
            .split("\n")
            .find((l) => l.trim()) ?? ""
        }`,
      )
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0
