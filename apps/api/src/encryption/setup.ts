/**
 * Encryption at start: where the key-encryption key comes from, what happens without one, and the
 * start-up pass that brings existing rows under the active key. See docs/encryption.md.
 *
 * - `TENET_ENCRYPTION_KEY` (32 bytes, base64 or hex): personal fields are sealed under it.
 * - `TENET_ENCRYPTION_KEY_FILE`: the same, read from a file (a Docker/Kubernetes secret).
 * - Neither, on the embedded database: a development key is made in `<data dir>/encryption.key`
 *   (mode 0600) and used, with a warning; it lives beside the data it protects, so it protects
 *   copies of the database, not the folder. `TENET_ENCRYPTION=off` stores in clear instead.
 * - Neither, on PostgreSQL: personal fields are stored in clear, with a loud warning.
 * - No key while the database holds organisation keys: the start stops (the data cannot be read).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { type Db, Encryption } from "@tenet/core"
import { Privacy as FeedbackPrivacy } from "@tenet/feedback"
import { Privacy as ProcessPrivacy } from "@tenet/process"
import type { Config } from "../config"
import { ConfigError } from "../config"

/** Every module's tables with personal fields (what the re-encryption pass visits). */
export const ENCRYPTED_TABLES: ReadonlyArray<Encryption.EncryptedTable> = [
  ...ProcessPrivacy.encryptedTables,
  ...FeedbackPrivacy.encryptedTables,
]

/** Where the key came from, for the start-up log and `tenet encryption status`. */
export interface KeySource {
  readonly config: Encryption.EncryptionConfig | null
  readonly warning: string | null
}

const readKeyFile = (file: string, source: string) => {
  try {
    return Encryption.fromKey(readFileSync(file, "utf8"), source)
  } catch (e) {
    if (e instanceof Encryption.EncryptionKeyError) throw new ConfigError(`${source}: ${e.message}`)
    throw new ConfigError(`${source}: cannot read ${file}`)
  }
}

/** The key from the environment, or the development key of the embedded database, or none. */
export const keySource = (
  config: Config,
  env: Record<string, string | undefined> = process.env,
): KeySource => {
  try {
    const fromEnv = Encryption.fromEnv(env)
    if (fromEnv) return { config: fromEnv, warning: null }
  } catch (e) {
    if (e instanceof Encryption.EncryptionKeyError) throw new ConfigError(e.message)
    throw e
  }
  if (env.TENET_ENCRYPTION_KEY_FILE) {
    const c = readKeyFile(env.TENET_ENCRYPTION_KEY_FILE, "TENET_ENCRYPTION_KEY_FILE")
    const previous = Encryption.fromEnv({
      TENET_ENCRYPTION_KEY: c.current.key.toString("base64"),
      TENET_ENCRYPTION_KEY_PREVIOUS: env.TENET_ENCRYPTION_KEY_PREVIOUS,
    })
    return { config: { ...c, previous: previous?.previous ?? [] }, warning: null }
  }
  const production = env.NODE_ENV === "production"
  if (env.TENET_ENCRYPTION === "off" || config.db.kind === "postgres")
    return {
      config: null,
      warning: `${production ? "WARNING: " : ""}personal fields (names, phone numbers, e-mail addresses, messages) are stored in clear: set TENET_ENCRYPTION_KEY (openssl rand -base64 32) — see docs/encryption.md`,
    }
  const file = join(config.dataDir, "encryption.key")
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${Encryption.generateKekText()}\n`, { mode: 0o600 })
  }
  chmodSync(file, 0o600)
  return {
    config: readKeyFile(file, file),
    warning: `${production ? "WARNING: " : ""}personal fields are encrypted with a development key kept beside the data (${file}); in production set TENET_ENCRYPTION_KEY from a secret store — see docs/encryption.md`,
  }
}

/**
 * Configure encryption for this process (after migrations): refuse to run without a key over
 * encrypted data, rewrap organisation keys wrapped under a previous KEK, and report how many rows
 * are not yet under the active key. Returns the configuration in force.
 */
export const setupEncryption = async (
  db: Db.Database,
  config: Config,
  log: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<Encryption.EncryptionConfig | null> => {
  const source = keySource(config, env)
  if (!source.config && (await Encryption.anyKeys(db.kysely)))
    throw new ConfigError(
      "the database holds encrypted personal data but no TENET_ENCRYPTION_KEY is set: set the key it was encrypted with (see docs/encryption.md)",
    )
  Encryption.configure(source.config)
  if (source.warning) log(source.warning)
  if (source.config) {
    const rewrapped = await Encryption.rewrapAll(db.kysely)
    if (rewrapped) log(`Rewrapped ${rewrapped} organisation key(s) under the current TENET_ENCRYPTION_KEY.`)
  }
  return source.config
}

/**
 * The pass that seals rows written in clear (before a key was configured) and re-encrypts rows
 * under an older data key; batches of 200 rows, one transaction each, while the server serves.
 */
export const reencryptInBackground = (db: Db.Database, log: (line: string) => void): Promise<void> =>
  Encryption.reencrypt(db, ENCRYPTED_TABLES)
    .then((r) => {
      if (r.updated) log(`Encrypted ${r.updated} row(s) that were not yet under the active key.`)
    })
    .catch((e: unknown) => log(`encryption pass: ${e instanceof Error ? e.message : String(e)}`))
