// Changesets must not mix the ignored app packages with published ones: `changeset status` and
// `changeset version` refuse such a file ("Mixed changesets … are not allowed"), which blocks a release.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { expect, it } from "vitest"

const dir = fileURLToPath(new URL("../../../.changeset", import.meta.url))

it("no changeset mixes ignored and published packages, and each names a known bump", () => {
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { ignore: string[] }
  const ignored = new Set(config.ignore)
  const mixed: string[] = []
  const bad: string[] = []
  const files = readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md")
  for (const f of files) {
    const head = /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(join(dir, f), "utf8"))
    if (!head) {
      bad.push(`${f}: no front matter`)
      continue
    }
    const entries = head[1]!
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => /^"([^"]+)":\s*(major|minor|patch)\s*$/.exec(l) ?? l)
    const names: string[] = []
    for (const e of entries) {
      if (typeof e === "string") bad.push(`${f}: ${e}`)
      else names.push(e[1]!)
    }
    const apps = names.filter((n) => ignored.has(n))
    if (apps.length && apps.length < names.length) mixed.push(f)
  }
  expect(files.length).toBeGreaterThan(0)
  expect(bad).toEqual([])
  expect(mixed).toEqual([])
})
