#!/usr/bin/env node
// The `tenet` command (see src/cli.ts): a committed file, so pnpm links it before the first build.
import { existsSync } from "node:fs"

const cli = new URL("../dist/cli.js", import.meta.url)
if (existsSync(cli)) await import(cli.href)
else {
  process.stderr.write("tenet: not built yet: run `pnpm build` (or `pnpm start`) in the repository first\n")
  process.exitCode = 1
}
