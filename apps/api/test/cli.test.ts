/**
 * The `tenet` CLI as a person runs it: the built binary, on the embedded database (or on a
 * fresh PostgreSQL database when TENET_TEST_DATABASE_URL is set).
 */
import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Db } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "tenet-cli-"))
const env: Record<string, string> = { ...(process.env as Record<string, string>), TENET_DATA_DIR: dir }
let dbName: string | undefined

const adminUrl = process.env.TENET_TEST_DATABASE_URL
const openDirect = () =>
  Db.open(
    env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL, max: 1 }
      : { kind: "pglite", dataDir: join(dir, "db") },
  )

const run = (e: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: e, encoding: "utf8" })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) }
}
const tenet = (...args: string[]) => run(env, ...args)

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("build the API first (pnpm build): apps/api/dist/cli.js is missing")
  delete env.DATABASE_URL
  if (adminUrl) {
    dbName = `tenet_cli_${randomBytes(5).toString("hex")}`
    const admin = await Db.open({ kind: "postgres", url: adminUrl, max: 1 })
    await sql.raw(`create database ${dbName}`).execute(admin.kysely)
    await admin.close()
    const u = new URL(adminUrl)
    u.pathname = `/${dbName}`
    env.DATABASE_URL = u.toString()
  }
})

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  if (adminUrl && dbName) {
    const admin = await Db.open({ kind: "postgres", url: adminUrl, max: 1 })
    await sql.raw(`drop database if exists ${dbName} with (force)`).execute(admin.kysely)
    await admin.close()
  }
})

describe("tenet CLI", () => {
  it("migrates, creates an organisation, a user and an API key, printing JSON", () => {
    const m = tenet("--json", "migrate")
    expect(m.code).toBe(0)
    expect(m.json().applied).toContain("core/0001_core")
    const org = tenet("--json", "org", "create", "--name", "CLI 客服", "--slug", "cli")
    expect(org.code).toBe(0)
    expect(org.json()).toMatchObject({ slug: "cli", name: "CLI 客服", timeZone: "Asia/Shanghai" })
    const user = tenet(
      "--json",
      "user",
      "create",
      "--org",
      "cli",
      "--email",
      "agent@cli.test",
      "--password",
      "password-1",
      "--role",
      "agent",
    )
    expect(user.code).toBe(0)
    expect(user.json()).toMatchObject({ email: "agent@cli.test", role: "agent", org: "cli" })
    const key = tenet("--json", "apikey", "create", "--org", "cli", "--role", "admin", "--name", "ci")
    expect(key.code).toBe(0)
    expect(key.json().secret).toMatch(/^tnt_[0-9a-f]{12}_/)
    const human = tenet("apikey", "create", "--org", "cli", "--role", "auditor", "--name", "auditor")
    expect(human.stdout.split("\n")[0]).toMatch(/^tnt_/)
    expect(human.stdout).toContain("shown once")
  })

  it("stops bad input with one clear line and a non-zero exit, writing nothing", () => {
    const slug = tenet("org", "create", "--name", "Bad", "--slug", "Bad Slug")
    expect(slug.code).toBe(1)
    expect(slug.stderr.trim()).toBe("tenet: --slug: must be 1–48 lowercase letters, digits or hyphens")
    const role = tenet(
      "user",
      "create",
      "--org",
      "cli",
      "--email",
      "x@cli.test",
      "--password",
      "password-1",
      "--role",
      "boss",
    )
    expect(role.code).toBe(1)
    expect(role.stderr.trim()).toMatch(/^tenet: --role: must be one of owner, admin/)
    const org = tenet("apikey", "create", "--org", "nope", "--role", "admin", "--name", "x")
    expect(org.stderr.trim()).toBe('tenet: --org: no organisation with slug "nope"')
    const dup = tenet("org", "create", "--name", "Again", "--slug", "cli")
    expect(dup.code).toBe(1)
    expect(dup.stderr).toContain('slug "cli" exists')
    const missing = tenet("org", "create", "--name", "No slug")
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("--slug")
  })

  it("backup then restore gives identical row counts", () => {
    const file = join(dir, "backup.ndjson")
    const b = tenet("--json", "backup", "--out", file)
    expect(b.code).toBe(0)
    const counts = b.json().tables
    expect(counts["core.organization"]).toBe(1)
    expect(counts["iam.api_key"]).toBe(2)
    // change something, then restore
    expect(tenet("org", "create", "--name", "Later", "--slug", "later").code).toBe(0)
    const r = tenet("--json", "restore", file)
    expect(r.code).toBe(0)
    expect(r.json().tables).toEqual(counts)
    const again = tenet("--json", "backup", "--out", join(dir, "again.ndjson"))
    expect(again.json().tables).toEqual(counts)
    expect(tenet("--json", "audit", "verify").json().ok).toBe(true)
  })

  it("a restore from a file that is not a backup is refused and changes nothing", () => {
    const junk = join(dir, "junk.ndjson")
    writeFileSync(junk, "hello\n")
    const r = tenet("restore", junk)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("not JSON")
    expect(
      tenet("--json", "backup", "--out", join(dir, "after.ndjson")).json().tables["core.organization"],
    ).toBe(1)
  })

  it("audit checkpoint signs the chains with a key outside the database; verify --checkpoints catches a truncation", async () => {
    const c = tenet("--json", "audit", "checkpoint")
    expect(c.code).toBe(0)
    const made = c.json()
    expect(made.file.startsWith(join(dir, "audit-checkpoints"))).toBe(true)
    expect(existsSync(join(dir, "audit-key.pem"))).toBe(true)
    const args = [
      "audit",
      "verify",
      "--checkpoints",
      join(dir, "audit-checkpoints"),
      "--public-key",
      made.publicKeyFile,
    ]
    const ok = tenet(...args)
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(
      /^audit chain intact and consistent with (1 signed checkpoint|\d+ signed checkpoints) /,
    )
    expect(tenet("audit", "verify", "--checkpoints", dir).code).toBe(1)
    // delete an organisation's last record and move its head back: the chain alone still looks whole
    const db = await openDirect()
    const last = (
      await sql<any>`select * from core.audit_log order by org_id, seq desc limit 1`.execute(db.kysely)
    ).rows[0]
    const prev = (
      await sql<any>`select hash from core.audit_log where org_id = ${last.org_id} and seq = ${last.seq - 1}`.execute(
        db.kysely,
      )
    ).rows[0]
    await sql`delete from core.audit_log where org_id = ${last.org_id} and seq = ${last.seq}`.execute(
      db.kysely,
    )
    await sql`update core.audit_head set seq = ${last.seq - 1}, hash = ${prev.hash} where org_id = ${last.org_id}`.execute(
      db.kysely,
    )
    await db.close()
    expect(tenet("audit", "verify").code).toBe(0)
    const bad = tenet(...args)
    expect(bad.code).toBe(2)
    expect(bad.stdout).toContain("truncated")
    // put it back for the tests that follow
    const again = await openDirect()
    await sql`insert into core.audit_log select * from json_populate_record(null::core.audit_log, ${JSON.stringify(last)}::json)`.execute(
      again.kysely,
    )
    await sql`update core.audit_head set seq = ${last.seq}, hash = ${last.hash} where org_id = ${last.org_id}`.execute(
      again.kysely,
    )
    await again.close()
    expect(tenet(...args).code).toBe(0)
  })

  it("audit verify names the first record altered directly in the database", async () => {
    const ok = tenet("audit", "verify")
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^audit chain intact: \d+ records/)
    const db = await openDirect()
    const target = await sql<{
      org_id: string
      seq: number
      id: string
    }>`select org_id, seq, id from core.audit_log
      where action = 'member.added' limit 1`.execute(db.kysely)
    await sql`update core.audit_log set after = '{"role":"owner"}' where org_id = ${target.rows[0]!.org_id}
      and seq = ${target.rows[0]!.seq}`.execute(db.kysely)
    await db.close()
    const bad = tenet("audit", "verify")
    expect(bad.code).toBe(2)
    expect(bad.stdout).toContain(`record #${target.rows[0]!.seq} (${target.rows[0]!.id}): hash mismatch`)
    expect(tenet("--json", "audit", "verify").json().broken.id).toBe(target.rows[0]!.id)
  })

  it("validates a plugin without starting the server, naming the field and the reason", () => {
    const ok = tenet("plugin", "validate", fileURLToPath(new URL("../../../plugins/pdca", import.meta.url)))
    expect(ok.code).toBe(0)
    // counts by the plural rules: "1 workflow", "0 standards"
    expect(ok.stdout.trim()).toBe(
      "plugin pdca 0.1.0 is valid: 0 standards, 1 workflow, 0 metrics, 0 scorecards, 0 calendars, 0 handlers",
    )
    const bad = join(dir, "bad-plugin")
    mkdirSync(bad)
    writeFileSync(
      join(bad, "package.json"),
      JSON.stringify({ name: "bad", type: "module", exports: "./index.js" }),
    )
    writeFileSync(
      join(bad, "index.js"),
      'export default { $$type: "@tenet/Plugin", format: "v1", id: "bad", version: "1.0.0", engines: { tenet: ">=2" } }\n',
    )
    const r = tenet("plugin", "validate", bad)
    expect(r.code).toBe(1)
    expect(r.stdout.trim()).toBe("plugin bad: engines.tenet: requires Tenet >=2, but this is Tenet 0.1.0")
  })

  it("refuses a plugin whose standard names a metric that does not exist, with the path", () => {
    const bad = join(dir, "bad-metric")
    mkdirSync(bad)
    writeFileSync(
      join(bad, "package.json"),
      JSON.stringify({ name: "bad-metric", type: "module", exports: "./index.js" }),
    )
    const standard = {
      format: "tenet-standard/v1",
      id: "s",
      version: "1",
      title: { en: "S" },
      clauses: [
        {
          id: "1",
          title: { en: "1" },
          requirements: [
            {
              id: "1.1",
              title: { en: "r" },
              targets: [
                { id: "ok", metric: "process.first_response_sla", operator: ">=", value: 0.9 },
                { id: "typo", metric: "process.first_respons_sla", operator: ">=", value: 0.9 },
              ],
            },
          ],
        },
      ],
    }
    writeFileSync(
      join(bad, "index.js"),
      `export default ${JSON.stringify({ $$type: "@tenet/Plugin", id: "bad-metric", version: "1.0.0", engines: { tenet: "^0.1" }, contributes: { standards: [standard] } })}\n`,
    )
    const r = tenet("plugin", "validate", bad)
    expect(r.code).toBe(1)
    expect(r.stdout.trim()).toBe(
      'plugin bad-metric: contributes.standards[0].clauses[0].requirements[0].targets[1].metric: unknown metric "process.first_respons_sla"; a metric of the registry or one this plugin contributes',
    )
  })

  it("scaffolds a plugin whose files pass the repository's biome check, and says to build it", () => {
    const root = fileURLToPath(new URL("../../../", import.meta.url))
    // inside the repository (so its biome.json applies) but not a workspace folder
    const where = mkdtempSync(join(root, "apps/api/test-plugin-new-"))
    try {
      const r = tenet("--json", "plugin", "new", "acme-check", "--dir", where)
      expect(r.code, r.stderr).toBe(0)
      expect(r.json().next).toEqual([
        "pnpm install --prefer-offline   # links the new package",
        "pnpm --filter @tenet/plugin-acme-check build",
        `pnpm vitest run ${where}/acme-check`,
        `pnpm tenet plugin validate ${where}/acme-check`,
      ])
      const biome = spawnSync(
        join(root, "node_modules/.bin/biome"),
        ["check", "--no-errors-on-unmatched", join(where, "acme-check")],
        { cwd: root, encoding: "utf8" },
      )
      expect(biome.stdout + biome.stderr).toMatch(/Checked [4-9] files/)
      expect(biome.status, biome.stdout + biome.stderr).toBe(0)
    } finally {
      rmSync(where, { recursive: true, force: true })
    }
  })

  it("refuses to open the embedded database while the server holds it", () => {
    // always the embedded database, in a folder of its own (also when the other tests use PostgreSQL)
    const folder = mkdtempSync(join(tmpdir(), "tenet-cli-lock-"))
    const { DATABASE_URL: _pg, ...rest } = env
    const embedded = { ...rest, TENET_DATA_DIR: folder }
    try {
      writeFileSync(
        join(folder, "tenet.lock"),
        JSON.stringify({ pid: process.pid, role: "server", url: "http://localhost:3000" }),
      )
      const r = run(embedded, "org", "create", "--name", "X", "--slug", "x")
      expect(r.code).toBe(1)
      expect(r.stderr.trim()).toBe(
        `tenet: the embedded database in ${folder} is in use by the Tenet server (pid ${process.pid}, http://localhost:3000). Stop it first, or do this through the running server's API and admin app.`,
      )
      rmSync(join(folder, "tenet.lock"))
      // a stale lock of a process that is gone is taken over
      writeFileSync(join(folder, "tenet.lock"), JSON.stringify({ pid: 999_999, role: "server" }))
      expect(run(embedded, "migrate").code).toBe(0)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})

describe("tenet as an executable", () => {
  const BIN = fileURLToPath(new URL("../bin/tenet.js", import.meta.url))
  it("is the package's bin, and every command's --help ends with examples", () => {
    const version = spawnSync(BIN, ["--version"], { env, encoding: "utf8" })
    expect(version.status).toBe(0)
    expect(version.stdout).toBe("0.1.0\n")
    expect(version.stderr).toBe("")
    // the CLI refuses to start when a command has no examples (cli/examples.ts), so these stand for all
    for (const command of [[], ["start"], ["org", "create"], ["import", "cases"], ["audit", "verify"]]) {
      const help = spawnSync(BIN, [...command, "--help"], { env, encoding: "utf8" })
      expect(help.status, command.join(" ")).toBe(0)
      expect(help.stdout, command.join(" ")).toMatch(/\nExamples:\n {2}\$ tenet /)
    }
    // the columns every import format reads (#18), as the Import page lists them
    const importHelp = spawnSync(BIN, ["import", "cases", "--help"], { env, encoding: "utf8" }).stdout
    for (const column of [
      "customer_name",
      "via.channel",
      "description_text",
      "stats.resolved_at",
      "article.body",
    ])
      expect(importHelp).toContain(column)
    expect(importHelp).toContain("--format zammad")
  })
})
