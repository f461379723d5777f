// Fails when a message key exists in one language and not the other (plural suffixes folded).
import { readFileSync } from "node:fs"
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
const en = keysOf("en.ts")
const zh = keysOf("zh-CN.ts")
const missing = [
  ...[...en].filter((k) => !zh.has(k)).map((k) => `zh-CN lacks ${k}`),
  ...[...zh].filter((k) => !en.has(k)).map((k) => `en lacks ${k}`),
]
if (missing.length) {
  console.error(missing.join("\n"))
  process.exit(1)
}
console.log(`i18n: ${en.size} keys in en and zh-CN`)
