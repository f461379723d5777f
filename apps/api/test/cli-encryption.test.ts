/**
 * `tenet encryption …` as an operator runs it (the built binary): generate a key, see the status,
 * rotate the data keys (rows re-encrypted), rewrap under a new key; no key over encrypted data stops.
 * Embedded database, or a fresh PostgreSQL database when TENET_TEST_DATABASE_URL is set.
 */
import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Db } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "tenet-cli-enc-"))
const KEY = randomBytes(32).toString("base64")
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  TENET_DATA_DIR: dir,
  TENET_ENCRYPTION_KEY: KEY,
}
let dbName: string | undefined
const adminUrl = process.env.TENET_TEST_DATABASE_URL

const run = (e: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: e, encoding: "utf8" })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) }
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build the API first (pnpm build): apps/api/dist/cli.js is missing")
  delete env.DATABASE_URL
  if (adminUrl) {
    dbName = `tenet_clienc_${randomBytes(5).toString("hex")}`
    const admin = await Db.open({ kind: "postgres", url: adminUrl, max: 1 })
    await sql.raw(`create database ${dbName}`).execute(admin.kysely)
    await admin.close()
    const u = new URL(adminUrl)
    u.pathname = `/${dbName}`
    env.DATABASE_URL = u.toString()
  }
}, 120_000)
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  if (adminUrl && dbName) {
    const admin = await Db.open({ kind: "postgres", url: adminUrl, max: 1 })
    await sql.raw(`drop database if exists ${dbName} with (force)`).execute(admin.kysely)
    await admin.close()
  }
})

describe("tenet encryption", () => {
  it("generates a key, rotates, re-encrypts, rewraps; refuses to run without the key", {
    timeout: 300_000,
  }, () => {
    const gen = run(env, "--json", "encryption", "generate-key")
    expect(gen.code).toBe(0)
    expect(Buffer.from(gen.json().key, "base64")).toHaveLength(32)
    expect(run(env, "org", "create", "--name", "加密", "--slug", "enc").code).toBe(0)
    const rotated = run(env, "--json", "encryption", "rotate-key")
    expect(rotated.code).toBe(0)
    expect(Object.values(rotated.json().versions)).toEqual([2])
    const status = run(env, "--json", "encryption", "status", "--org", "enc").json()
    expect(
      status.organisations[0].keys.filter((k: { purpose: string }) => k.purpose === "data"),
    ).toMatchObject([
      { version: 1, state: "retired" },
      { version: 2, state: "active" },
    ])
    // the blind-index key: a new version active, the indexes recomputed, the old one retired
    const reindexed = run(env, "--json", "encryption", "rotate-index-key", "--org", "enc")
    expect(reindexed.code).toBe(0)
    expect(Object.values(reindexed.json().versions)).toEqual([2])
    const indexKeys = run(env, "--json", "encryption", "status", "--org", "enc")
      .json()
      .organisations[0].keys.filter((k: { purpose: string }) => k.purpose === "index")
    expect(indexKeys).toMatchObject([
      { version: 1, state: "retired" },
      { version: 2, state: "active" },
    ])
    // a new master key: the old one goes to TENET_ENCRYPTION_KEY_PREVIOUS, the keys are rewrapped
    const next = randomBytes(32).toString("hex")
    const rewrap = run(
      { ...env, TENET_ENCRYPTION_KEY: next, TENET_ENCRYPTION_KEY_PREVIOUS: KEY },
      "--json",
      "encryption",
      "rewrap",
    )
    expect(rewrap.code).toBe(0)
    expect(run({ ...env, TENET_ENCRYPTION_KEY: next }, "encryption", "status").code).toBe(0)
    // the old key alone no longer opens them; no key at all stops
    const { TENET_ENCRYPTION_KEY: _k, ...noKey } = env
    const refused = run({ ...noKey, TENET_ENCRYPTION: "off" }, "encryption", "status")
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/encrypted personal data but no TENET_ENCRYPTION_KEY/)
  })
})
