/**
 * The `tenet` command (run as `pnpm tenet …` from the repository root).
 * Every command prints JSON on stdout with --json, and one clear line on stderr with a
 * non-zero exit on bad input.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"
import { Audit, AuditCheckpoint, Backup, Db, Errors, Migrations, Organizations, Tenancy } from "@tenet/core"
import { loadPlugins } from "@tenet/plugin-sdk/host"
import { Import } from "@tenet/process"
import { Command, CommanderError, Option } from "commander"
import { auditSigner, writeCheckpoint } from "./audit/checkpoints"
import { type Config, ConfigError, configFromEnv, describeDb } from "./config"
import { DEMO, seedDemo } from "./demo"
import * as Iam from "./iam/service"
import { acquireLock } from "./lock"
import { MODULES } from "./modules"
import { registry } from "./registry"
import { start } from "./server"
import { VERSION } from "./version"

/** A command line Tenet cannot run; the message says what is wrong with it. */
class UsageError extends Error {
  readonly _tag = "UsageError" as const
}

const explain = (e: unknown): string => {
  if (Errors.isTenetError(e)) {
    if (e._tag === "ValidationError")
      return e.issues.map((i) => `--${String(i.path.join("."))}: ${i.message}`).join("; ")
    return e.message
  }
  if (e instanceof UsageError || e instanceof ConfigError) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}

const program = new Command()
  .name("tenet")
  .description("Tenet — customer service run to a standard")
  .version(VERSION)
  .option("--json", "print the result as JSON on stdout")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })

const json = () => Boolean(program.opts().json)
const out = (human: string, data: unknown) => {
  if (json()) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
  else process.stdout.write(`${human}\n`)
}

/** Open the configured database for one command, holding the embedded database's lock. */
const withDb = async <A>(fn: (db: Db.Database, config: Config) => Promise<A>): Promise<A> => {
  const config = configFromEnv()
  const release = config.db.kind === "pglite" ? acquireLock(config.dataDir, "cli") : () => {}
  try {
    const db = await Db.open(config.db)
    try {
      await Migrations.migrate(db, MODULES)
      return await fn(db, config)
    } finally {
      await db.close()
    }
  } finally {
    release()
  }
}

const orgBySlug = async (db: Db.Database, slug: string) => {
  const org = await Organizations.findBySlug(db, slug)
  if (!org) throw new UsageError(`--org: no organisation with slug "${slug}"`)
  return org
}
const role = (value: string) => {
  if (!Tenancy.isRole(value))
    throw new UsageError(`--role: must be one of ${Tenancy.ROLES.join(", ")} (got "${value}")`)
  return value
}

program
  .command("start")
  .description("start the API and admin app on one port (PORT, default 3000)")
  .action(async () => {
    const config = configFromEnv()
    const running = await start(config)
    const shutdown = async () => {
      await running.stop()
      process.exit(0)
    }
    process.once("SIGINT", shutdown)
    process.once("SIGTERM", shutdown)
  })

program
  .command("migrate")
  .description("apply pending migrations of every module")
  .action(async () => {
    const config = configFromEnv()
    const release = config.db.kind === "pglite" ? acquireLock(config.dataDir, "cli") : () => {}
    try {
      const db = await Db.open(config.db)
      try {
        const reports = await Migrations.migrate(db, MODULES)
        const applied = reports.flatMap((r) => r.applied.map((a) => `${r.module}/${a}`))
        out(applied.length ? `applied ${applied.join(", ")}` : "the database is up to date", {
          database: describeDb(config.db),
          applied,
        })
      } finally {
        await db.close()
      }
    } finally {
      release()
    }
  })

program
  .command("seed")
  .description("seed data")
  .requiredOption("--demo", "seed the demo organisation")
  .action(async () =>
    withDb(async (db) => {
      const r = await seedDemo(db)
      out(
        r.seeded
          ? `seeded the demo organisation; sign in as ${DEMO.people[0]!.email} / ${DEMO.password}`
          : "the demo organisation already exists",
        { ...r, email: DEMO.people[0]!.email },
      )
    }),
  )

program
  .command("org")
  .description("organisations")
  .command("create")
  .requiredOption("--name <name>", "display name")
  .requiredOption("--slug <slug>", "short name used in URLs")
  .option("--time-zone <tz>", "IANA time zone", "Asia/Shanghai")
  .action(async (o: { name: string; slug: string; timeZone: string }) =>
    withDb(async (db) => {
      const org = await Organizations.create(
        db,
        { type: "system", id: "cli" },
        { name: o.name, slug: o.slug, timeZone: o.timeZone },
      )
      out(`created organisation ${org.slug} (${org.id})`, org)
    }),
  )

program
  .command("user")
  .description("users")
  .command("create")
  .requiredOption("--org <slug>", "organisation slug")
  .requiredOption("--email <email>")
  .requiredOption("--password <password>", "at least 8 characters")
  .requiredOption("--role <role>", Tenancy.ROLES.join(" | "))
  .option("--name <name>", "display name (defaults to the email's name)")
  .action(async (o: { org: string; email: string; password: string; role: string; name?: string }) =>
    withDb(async (db) => {
      const r = role(o.role)
      const org = await orgBySlug(db, o.org)
      const user =
        (await Iam.findUserByEmail(db, o.email)) ??
        (await Iam.createUser(db, {
          email: o.email,
          password: o.password,
          name: o.name ?? o.email.split("@")[0]!,
        }))
      await Iam.addMember(db, Tenancy.system(org.id, "cli"), { userId: user.id, role: r })
      out(`${user.email} is now ${r} of ${org.slug}`, {
        userId: user.id,
        email: user.email,
        org: org.slug,
        role: r,
      })
    }),
  )

program
  .command("apikey")
  .description("API keys")
  .command("create")
  .requiredOption("--org <slug>", "organisation slug")
  .requiredOption("--role <role>", Tenancy.ROLES.join(" | "))
  .requiredOption("--name <name>", "what the key is for")
  .action(async (o: { org: string; role: string; name: string }) =>
    withDb(async (db) => {
      const r = role(o.role)
      const org = await orgBySlug(db, o.org)
      const { key, secret } = await Iam.createApiKey(db, Tenancy.system(org.id, "cli"), {
        name: o.name,
        role: r,
      })
      out(`${secret}\n(shown once: store it now; id ${key.id}, role ${r})`, { ...key, secret })
    }),
  )

program
  .command("backup")
  .description("write a logical backup of every module (works for PGlite and PostgreSQL)")
  .requiredOption("--out <file>", "backup file (NDJSON)")
  .action(async (o: { out: string }) =>
    withDb(async (db) => {
      const stream = createWriteStream(o.out)
      const counts = await Backup.backup(db, MODULES, (line) =>
        stream.write(`${line}\n`) ? undefined : new Promise<void>((r) => stream.once("drain", () => r())),
      )
      await new Promise<void>((resolve, reject) =>
        stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
      )
      const rows = Object.values(counts).reduce((a, b) => a + b, 0)
      out(`wrote ${rows} rows from ${Object.keys(counts).length} tables to ${o.out}`, {
        file: o.out,
        tables: counts,
        rows,
      })
    }),
  )

program
  .command("restore")
  .description("replace the database's contents with a backup (one transaction)")
  .argument("<file>", "backup file written by `tenet backup`")
  .action(async (file: string) =>
    withDb(async (db) => {
      const input = createReadStream(file)
      const opened = new Promise<void>((resolve, reject) => {
        input.once("open", () => resolve())
        input.once("error", (e) => reject(new UsageError(`cannot read ${file}: ${e.message}`)))
      })
      await opened
      const counts = await Backup.restore(
        db,
        MODULES,
        createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }),
      )
      const rows = Object.values(counts).reduce((a, b) => a + b, 0)
      out(`restored ${rows} rows into ${Object.keys(counts).length} tables`, { file, tables: counts, rows })
    }),
  )

program
  .command("import")
  .description("import data")
  .command("cases")
  .description(
    "import cases with their customers from CSV, NDJSON or a Zendesk ticket export (idempotent by external id)",
  )
  .argument("<file>", "the file to import")
  .requiredOption("--org <slug>", "organisation slug")
  .option("--format <format>", "csv | ndjson | zendesk", "csv")
  .option("--mapping <file>", 'JSON file mapping Tenet fields to your columns, e.g. {"subject": "Title"}')
  .option("--batch <n>", "rows per committed batch", "200")
  .action(async (file: string, o: { org: string; format: string; mapping?: string; batch: string }) =>
    withDb(async (db) => {
      if (!["csv", "ndjson", "zendesk"].includes(o.format))
        throw new UsageError(`--format: must be csv, ndjson or zendesk (got "${o.format}")`)
      let mapping: Record<string, string> | undefined
      if (o.mapping) {
        try {
          mapping = JSON.parse(readFileSync(o.mapping, "utf8"))
        } catch (e) {
          throw new UsageError(`--mapping: cannot read ${o.mapping} as JSON (${(e as Error).message})`)
        }
      }
      const org = await orgBySlug(db, o.org)
      const input = createReadStream(file)
      await new Promise<void>((resolve, reject) => {
        input.once("open", () => resolve())
        input.once("error", (e) => reject(new UsageError(`cannot read ${file}: ${e.message}`)))
      })
      const started = performance.now()
      const summary = await Import.importCases(db, Tenancy.system(org.id, "cli-import"), input, {
        format: o.format as Import.ImportFormat,
        mapping,
        batchSize: Math.max(1, Number(o.batch) || 200),
        sourceName: file,
        onProgress: (p) => {
          if (!json())
            process.stderr.write(
              `\r${p.rows} rows read · ${p.imported} imported · ${p.skipped} skipped · ${p.failed} with errors`,
            )
        },
      })
      if (!json()) process.stderr.write("\n")
      const seconds = (performance.now() - started) / 1000
      out(
        [
          `imported ${summary.imported}, skipped ${summary.skipped} (already there), ${summary.failed} with errors, of ${summary.rows} rows in ${seconds.toFixed(1)} s`,
          ...summary.errors.slice(0, 20).map((e) => `  line ${e.line}, ${e.field}: ${e.message}`),
          ...(summary.errors.length > 20
            ? [`  … ${summary.errors.length - 20} more (use --json for all)`]
            : []),
        ].join("\n"),
        { ...summary, seconds },
      )
      if (summary.failed > 0) process.exitCode = 3
    }),
  )

const plugin = program.command("plugin").description("plugins")

plugin
  .command("validate")
  .description("check a plugin (a folder with package.json, or a module file) without starting the server")
  .argument("<path>", "the plugin's folder or entry file (built: dist/index.js)")
  .action(async (path: string) => {
    const host = await loadPlugins([path], { knownMetric: (id) => registry.get(id) !== undefined })
    const p = host.plugins[0]!
    if (p.status === "loaded") {
      const c = p.contributions
      out(
        `plugin ${p.id} ${p.version} is valid: ${c.standards} standards, ${c.workflows.length} workflows, ${c.metrics.length} metrics, ${c.scorecards} scorecards, ${c.calendars} calendars, ${c.handlers} handlers`,
        { ok: true, id: p.id, version: p.version, contributions: c },
      )
    } else {
      out(p.messages.join("\n"), { ok: false, id: p.id, issues: p.issues })
      process.exitCode = 1
    }
  })

plugin
  .command("new")
  .description("scaffold a plugin with a passing test (under ./plugins when run from the repository)")
  .argument("<name>", "kebab-case plugin id, e.g. acme-standard")
  .option("--dir <dir>", "where to create it", "plugins")
  .action(async (name: string, o: { dir: string }) => {
    if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name))
      throw new UsageError(`<name>: must be kebab-case (a-z, 0-9 and single dashes), got "${name}"`)
    const dir = resolve(o.dir, name)
    if (existsSync(dir)) throw new UsageError(`<name>: ${dir} already exists`)
    mkdirSync(join(dir, "src"), { recursive: true })
    mkdirSync(join(dir, "test"), { recursive: true })
    const files: Record<string, string> = {
      "package.json": `${JSON.stringify(
        {
          name: `@tenet/plugin-${name}`,
          version: "0.1.0",
          private: true,
          type: "module",
          tenet: { role: "plugin", pluginId: name },
          exports: {
            ".": { "@tenet/source": "./src/index.ts", types: "./dist/index.d.ts", import: "./dist/index.js" },
          },
          scripts: { build: "tsup", typecheck: "tsc -p tsconfig.json" },
          dependencies: { "@tenet/plugin-sdk": "workspace:*" },
          devDependencies: {
            "@tenet/core": "workspace:*",
            "@tenet/tsconfig": "workspace:*",
            tsup: "catalog:",
            typescript: "catalog:",
            vitest: "catalog:",
          },
        },
        null,
        2,
      )}\n`,
      "tsconfig.json": `${JSON.stringify({ extends: "@tenet/tsconfig/base.json", include: ["src", "test"] }, null, 2)}\n`,
      "tsup.config.ts":
        'import { defineConfig } from "tsup"\n\nexport default defineConfig({ entry: ["src/index.ts"], format: ["esm"], dts: true, clean: true, target: "node22" })\n',
      "src/index.ts": `import { definePlugin } from "@tenet/plugin-sdk"

export default definePlugin({
  id: "${name}",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "${name}", en: "${name}" },
  contributes: {
    standards: [
      {
        format: "tenet-standard/v1",
        id: "${name}",
        version: "1.0",
        title: { "zh-CN": "我的服务标准", en: "My service standard" },
        clauses: [
          {
            id: "1",
            title: { "zh-CN": "响应", en: "Response" },
            requirements: [
              {
                id: "1.1",
                title: { "zh-CN": "咨询 15 分钟内响应", en: "Inquiries answered within 15 minutes" },
                targets: [{ id: "frt", metric: "process.first_response_sla", operator: ">=", value: 0.9, filter: { type: "inquiry" } }],
              },
            ],
          },
        ],
      },
    ],
  },
})
`,
      "test/plugin.test.ts": `import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"

// the plugin's module: its handlers run in a worker with their time limit, as on the server
const t = await startTestHost({ plugins: [new URL("../src/index.ts", import.meta.url)] })
afterAll(() => t.stop())

it("loads and installs its standard", async () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "${name}", status: "loaded" })
  expect((await t.installStandard("${name}")).version).toBe(1)
})
`,
      "README.md": `# ${name}\n\nA Tenet plugin. Test it with: pnpm vitest run plugins/${name}\nCheck it (after pnpm build) with: pnpm tenet plugin validate plugins/${name}\nSee docs/plugins.md.\n`,
    }
    for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content)
    out(`created ${dir}\nnext: pnpm install && pnpm vitest run ${o.dir}/${name}`, {
      dir,
      files: Object.keys(files),
    })
  })

const audit = program.command("audit").description("audit log: verify the hash chain, sign checkpoints")

audit
  .command("verify")
  .description(
    "walk the hash chain; with --checkpoints and --public-key, also check it against signed checkpoints (truncation, rewritten history)",
  )
  .option("--org <slug>", "only this organisation")
  .option(
    "--checkpoints <dir>",
    "a folder of signed checkpoint files (TENET_AUDIT_CHECKPOINT_DIR, or downloaded)",
  )
  .option("--public-key <file>", "the Ed25519 public key the checkpoints are signed with (PEM)")
  .action(async (o: { org?: string; checkpoints?: string; publicKey?: string }) =>
    withDb(async (db) => {
      if (Boolean(o.checkpoints) !== Boolean(o.publicKey))
        throw new UsageError("--checkpoints and --public-key go together")
      if (o.checkpoints && o.publicKey) {
        if (!existsSync(o.checkpoints)) throw new UsageError(`no folder ${o.checkpoints}`)
        if (!existsSync(o.publicKey)) throw new UsageError(`no public key file ${o.publicKey}`)
        const key = AuditCheckpoint.loadPublicKey(readFileSync(o.publicKey))
        let checkpoints = AuditCheckpoint.readDir(o.checkpoints)
        if (o.org) {
          const orgId = (await orgBySlug(db, o.org)).id
          checkpoints = checkpoints.filter((c) => c.payload?.orgId === orgId)
        }
        if (checkpoints.length === 0) throw new UsageError(`no checkpoint files (*.json) in ${o.checkpoints}`)
        const r = await AuditCheckpoint.verifyWith(db, checkpoints, key)
        if (r.ok)
          out(
            `audit chain intact and consistent with ${r.checkpoints} signed checkpoints (key ${key.keyId}): ${r.records} records in ${r.organisations} organisations`,
            r,
          )
        else {
          out(
            `audit chain does NOT match its signed checkpoints (${r.problems.length} problems):\n${r.problems.map((p) => `  ${p.reason.replace(/_/g, " ")}: ${p.detail}`).join("\n")}`,
            r,
          )
          process.exitCode = 2
        }
        return
      }
      const orgId = o.org ? (await orgBySlug(db, o.org)).id : undefined
      const r = await Audit.verify(db, orgId)
      if (r.ok) out(`audit chain intact: ${r.records} records in ${r.organisations} organisations`, r)
      else {
        out(
          `audit chain BROKEN at organisation ${r.broken!.orgId}, record #${r.broken!.seq}${r.broken!.id ? ` (${r.broken!.id})` : ""}: ${r.broken!.reason.replace(/_/g, " ")}`,
          r,
        )
        process.exitCode = 2
      }
    }),
  )

audit
  .command("checkpoint")
  .description(
    "sign a checkpoint of every organisation's chain now, with the key in TENET_AUDIT_KEY_FILE, into TENET_AUDIT_CHECKPOINT_DIR",
  )
  .action(async () =>
    withDb(async (db, config) => {
      const signer = auditSigner(config)
      const r = await writeCheckpoint(db, signer)
      out(
        `signed checkpoint of ${r.set!.orgs.length} organisations (${r.set!.global.payload.count} records) with key ${signer.key.keyId}: ${r.file}\npublic key: ${config.auditKeyFile}.pub`,
        { file: r.file, keyId: signer.key.keyId, publicKeyFile: `${config.auditKeyFile}.pub`, ...r.set },
      )
    }),
  )

const main = async () => {
  try {
    await program.parseAsync(process.argv)
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 1
      return
    }
    process.stderr.write(`tenet: ${explain(e)}\n`)
    process.exitCode = 1
  }
}

void Option
await main()
