import { Db, Errors, Migrations, Organizations, Tenancy } from "@tenet/core"
import { Command } from "commander"
import { type Config, ConfigError, configFromEnv } from "../config"
import { setupEncryption } from "../encryption/setup"
import { acquireLock } from "../lock"
import { MODULES } from "../modules"
import { VERSION } from "../version"

export class UsageError extends Error {
  readonly _tag = "UsageError" as const
}

export const explain = (e: unknown): string => {
  if (Errors.isTenetError(e)) {
    if (e._tag === "ValidationError")
      return e.issues.map((i) => `--${String(i.path.join("."))}: ${i.message}`).join("; ")
    return e.message
  }
  if (e instanceof UsageError || e instanceof ConfigError) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}

export const program = new Command()
  .name("tenet")
  .description("Tenet — customer service run to a standard")
  .version(VERSION)
  .option("--json", "print the result as JSON on stdout")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })

export const json = () => Boolean(program.opts().json)

const PLURAL = new Intl.PluralRules("en")
/**
 * A count with its noun by the language's plural rules (the CLI speaks English): "1 standard",
 * "0 standards", "2 organisations". `other` for irregular plurals ("1 data class", "3 data classes").
 */
export const count = (n: number, one: string, other = `${one}s`) =>
  `${n} ${PLURAL.select(n) === "one" ? one : other}`
export const out = (human: string, data: unknown) => {
  if (json()) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
  else process.stdout.write(`${human}\n`)
}

/** Open the configured database for one command, holding the embedded database's lock. */
export const withDb = async <A>(fn: (db: Db.Database, config: Config) => Promise<A>): Promise<A> => {
  const config = configFromEnv()
  const release = config.db.kind === "pglite" ? acquireLock(config.dataDir, "cli") : () => {}
  try {
    const db = await Db.open(config.db)
    try {
      await Migrations.migrate(db, MODULES)
      // the same key as the server: what a command writes is sealed like what the server writes (the
      // server's start logs where the key comes from; a command keeps stderr for its one error line)
      await setupEncryption(db, config, () => {})
      return await fn(db, config)
    } finally {
      await db.close()
    }
  } finally {
    release()
  }
}

export const orgBySlug = async (db: Db.Database, slug: string) => {
  const org = await Organizations.findBySlug(db, slug)
  if (!org) throw new UsageError(`--org: no organisation with slug "${slug}"`)
  return org
}
export const role = (value: string) => {
  if (!Tenancy.isRole(value))
    throw new UsageError(`--role: must be one of ${Tenancy.ROLES.join(", ")} (got "${value}")`)
  return value
}
