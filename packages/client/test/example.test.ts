/**
 * The example script (examples/audit.ts) against a started server: `tenet start` on a new embedded data
 * folder with the demo's people and no demo cases. Needs the built API and client (`pnpm test` builds
 * first). Runs once per CI run: skipped on the PostgreSQL pass (TENET_TEST_DATABASE_URL).
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
// @ts-expect-error: a plain JavaScript helper of the reliability suites
import { startServer } from "../../../tooling/reliability/lib.mjs"

const run = promisify(execFile)
const example = fileURLToPath(new URL("../examples/audit.ts", import.meta.url))

let server: { url: string; stop: () => Promise<void>; output: () => string }

describe.skipIf(Boolean(process.env.TENET_TEST_DATABASE_URL))(
  "examples/audit.ts against a started server",
  () => {
    beforeAll(async () => {
      server = await startServer({ demoDays: 0, startTimeoutMs: 240_000 })
    })
    afterAll(async () => {
      await server?.stop()
    })

    it("signs in, makes an API key, reads, pages and shows a refused request, one line each", async () => {
      const { stdout } = await run(process.execPath, [example], {
        env: { ...process.env, TENET_URL: server.url },
        timeout: 60_000,
      })
      const lines = stdout.trim().split("\n")
      expect(lines[0]).toMatch(/^signed in as owner@demo\.tenet\.local/)
      expect(lines[1]).toMatch(/^created API key \S+… with role auditor$/)
      expect(lines[2]).toMatch(/^organisation /)
      expect(lines[3]).toMatch(/^read \d+ audit records/)
      expect(lines[4]).toBe("refused as expected: 403 Forbidden")
    })
  },
)
