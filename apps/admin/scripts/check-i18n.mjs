// Fails when a message key exists in one language and not the other (plural suffixes folded), or
// when the server gives a field error a code the admin app cannot translate (`apiErrors.<code>`).
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const keysOf = (file) => {
  const src = readFileSync(fileURLToPath(new URL(`../src/i18n/${file}`, import.meta.url)), "utf8")
  const body = src.slice(src.indexOf("{"))
  const keys = new Set()
  const stack = []
  for (const line of body.split("\n")) {
    const open = /^\s*"?([\w-]+)"?: \{\s*$/.exec(line)
    const inline = /^\s*"?([\w-]+)"?: \{(.*)\},?\s*$/.exec(line)
    // a value on its own line after `key:` (the formatter wraps long strings) counts as a leaf too
    const leaf = /^\s*"?([\w-]+)"?:\s*(["`]|$)/.exec(line)
    if (inline) {
      for (const m of inline[2].matchAll(/([\w-]+): "/g)) keys.add([...stack, inline[1], m[1]].join("."))
    } else if (open) stack.push(open[1])
    else if (leaf) keys.add([...stack, leaf[1]].join(".").replace(/_(one|other|zero|two|few|many)$/, ""))
    else if (/^\s*\},?\s*$/.test(line)) stack.pop()
  }
  return keys
}
// English needs the singular of every plural ("1 standards" once showed): a key_other has its key_one
const pluralsWithoutOne = (file) => {
  const src = readFileSync(fileURLToPath(new URL(`../src/i18n/${file}`, import.meta.url)), "utf8")
  const stack = []
  const leaves = new Set()
  for (const line of src.slice(src.indexOf("{")).split("\n")) {
    const open = /^\s*"?([\w-]+)"?: \{\s*$/.exec(line)
    const leaf = /^\s*"?([\w-]+)"?:\s*(["`]|$)/.exec(line)
    if (open) stack.push(open[1])
    else if (leaf) leaves.add([...stack, leaf[1]].join("."))
    else if (/^\s*\},?\s*$/.test(line)) stack.pop()
  }
  return [...leaves]
    .filter((k) => k.endsWith("_other") && !leaves.has(k.replace(/_other$/, "_one")))
    .map((k) => `${file} lacks ${k.replace(/_other$/, "_one")} (the singular of ${k})`)
}
const en = keysOf("en.ts")
const zh = keysOf("zh-CN.ts")
const missing = [
  ...[...en].filter((k) => !zh.has(k)).map((k) => `zh-CN lacks ${k}`),
  ...[...zh].filter((k) => !en.has(k)).map((k) => `en lacks ${k}`),
  ...pluralsWithoutOne("en.ts"),
]
// the codes of field errors in the server's sources
const root = fileURLToPath(new URL("../../..", import.meta.url))
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  )
const codes = new Set()
// the record types written to the audit log: each has a label (the log's type filter and record column)
const entityTypes = new Set()
for (const base of ["packages", "apps/api"]) {
  const dirs =
    base === "packages"
      ? readdirSync(join(root, base)).map((p) => join(root, base, p, "src"))
      : [join(root, base, "src")]
  for (const dir of dirs) {
    let files = []
    try {
      files = sources(dir)
    } catch {
      continue
    }
    for (const f of files) {
      const src = readFileSync(f, "utf8")
      for (const m of src.matchAll(/code: "([a-z][A-Za-z]*)"/g)) codes.add(m[1])
      for (const m of src.matchAll(/entityType: "([a-z][a-z_]*)"/g)) entityTypes.add(m[1])
      for (const m of src.matchAll(/code: [^,\n]*\? "([a-z][A-Za-z]*)" : "([a-z][A-Za-z]*)"/g)) {
        codes.add(m[1])
        codes.add(m[2])
      }
      for (const m of src.matchAll(/": "([a-z][A-Za-z]*)",\n/g))
        if (f.endsWith("endpoint.ts")) codes.add(m[1])
    }
  }
}
missing.push(
  ...[...codes]
    .filter((c) => !en.has(`apiErrors.${c}`))
    .map((c) => `apiErrors lacks ${c} (a code the API gives)`),
  ...[...entityTypes]
    .filter((x) => x !== "entity_type" && !en.has(`auditEntities.${x}`))
    .map((x) => `auditEntities lacks ${x} (a record type written to the audit log)`),
)
if (missing.length) {
  console.error(missing.join("\n"))
  process.exit(1)
}
console.log(`i18n: ${en.size} keys in en and zh-CN; ${codes.size} field error codes of the API translated`)
