/** Encryption at rest: key status, data-key rotation, re-encryption, KEK rewrap, key generation. */
import { Encryption } from "@tenet/core"
import { ENCRYPTED_TABLES } from "../encryption/setup"
import { count, orgBySlug, out, program, UsageError, withDb } from "./shared"

const requireKey = () => {
  if (!Encryption.current())
    throw new UsageError(
      "no encryption key: set TENET_ENCRYPTION_KEY (or TENET_ENCRYPTION_KEY_FILE) — see docs/encryption.md",
    )
}

export const registerEncryptionCommands = () => {
  const enc = program
    .command("encryption")
    .description(
      "encryption at rest: key status, rotate the data keys, re-encrypt, rewrap under a new master key",
    )

  enc
    .command("generate-key")
    .description("print a new random key for TENET_ENCRYPTION_KEY (32 bytes, base64)")
    .action(() => out(Encryption.generateKekText(), { key: Encryption.generateKekText() }))

  enc
    .command("status")
    .description(
      "the key in use, each organisation's data key versions and the rows not yet under the active key",
    )
    .option("--org <slug>", "only this organisation")
    .action(async (o: { org?: string }) =>
      withDb(async (db) => {
        const c = Encryption.current()
        const orgIds = o.org
          ? [(await orgBySlug(db, o.org)).id]
          : (await db.kysely.selectFrom("core.organization").select("id").orderBy("id").execute()).map(
              (r) => r.id,
            )
        const orgs = []
        for (const orgId of orgIds) {
          const keys = await Encryption.readKeys(db.kysely, orgId)
          orgs.push({
            orgId,
            keys: keys.map((k) => ({
              purpose: k.purpose,
              version: k.version,
              state: k.state,
              kekId: k.kek_id,
            })),
            pending: c ? await Encryption.pending(db, ENCRYPTED_TABLES, orgId) : {},
          })
        }
        const lines = orgs.map(
          (x) =>
            `  ${x.orgId}: ${x.keys.map((k) => `${k.purpose} v${k.version} ${k.state}`).join(", ") || "no keys yet"}; pending ${Object.entries(
              x.pending,
            )
              .map(([t, n]) => `${t} ${n}`)
              .join(", ")}`,
        )
        out(
          `${c ? `key ${c.current.id} (${c.source})` : "no key: personal fields stored in clear"}\n${lines.join("\n")}`,
          { kekId: c?.current.id ?? null, organisations: orgs },
        )
      }),
    )

  enc
    .command("rotate-key")
    .description(
      "make a new data key version active (new writes use it at once), then re-encrypt every row in batches; reads keep working throughout",
    )
    .option("--org <slug>", "only this organisation")
    .option("--no-reencrypt", "only switch the active version (run `tenet encryption reencrypt` later)")
    .action(async (o: { org?: string; reencrypt: boolean }) =>
      withDb(async (db) => {
        requireKey()
        const orgId = o.org ? (await orgBySlug(db, o.org)).id : undefined
        const versions = await Encryption.rotateDataKeys(db, orgId)
        const r = o.reencrypt
          ? await Encryption.reencrypt(db, ENCRYPTED_TABLES, {
              ...(orgId ? { orgId } : {}),
              onProgress: (l) => process.stderr.write(`${l}\n`),
            })
          : { scanned: 0, updated: 0 }
        out(
          `rotated: ${Object.entries(versions)
            .map(([org, v]) => `${org} → v${v}`)
            .join(", ")}; ${r.updated} row(s) re-encrypted`,
          { versions, ...r },
        )
      }),
    )

  enc
    .command("rotate-index-key")
    .description(
      "make a new blind-index key active, then recompute every blind index in batches; lookups (phone, e-mail, external id) try the old key and the new one until the pass is done",
    )
    .option("--org <slug>", "only this organisation")
    .option("--no-reencrypt", "only switch the active index key (run `tenet encryption reencrypt` later)")
    .action(async (o: { org?: string; reencrypt: boolean }) =>
      withDb(async (db) => {
        requireKey()
        const orgId = o.org ? (await orgBySlug(db, o.org)).id : undefined
        const versions = await Encryption.rotateIndexKeys(db, orgId)
        const r = o.reencrypt
          ? await Encryption.reencrypt(db, ENCRYPTED_TABLES, {
              ...(orgId ? { orgId } : {}),
              onProgress: (l) => process.stderr.write(`${l}\n`),
            })
          : { scanned: 0, updated: 0 }
        out(
          `index key rotated: ${Object.entries(versions)
            .map(([org, v]) => `${org} → v${v}`)
            .join(", ")}; ${r.updated} row(s) re-indexed`,
          { versions, ...r },
        )
      }),
    )

  enc
    .command("reencrypt")
    .description("seal rows stored in clear and re-encrypt rows under older data keys (safe to run any time)")
    .option("--org <slug>", "only this organisation")
    .action(async (o: { org?: string }) =>
      withDb(async (db) => {
        requireKey()
        const orgId = o.org ? (await orgBySlug(db, o.org)).id : undefined
        const r = await Encryption.reencrypt(db, ENCRYPTED_TABLES, {
          ...(orgId ? { orgId } : {}),
          onProgress: (l) => process.stderr.write(`${l}\n`),
        })
        out(`${r.updated} row(s) encrypted or re-encrypted (${r.scanned} read)`, r)
      }),
    )

  enc
    .command("rewrap")
    .description(
      "after changing TENET_ENCRYPTION_KEY (old key in TENET_ENCRYPTION_KEY_PREVIOUS): wrap every organisation key under the new one",
    )
    .action(async () =>
      withDb(async (db) => {
        requireKey()
        // setupEncryption (in withDb) has rewrapped already; report what is left (nothing)
        const n = await Encryption.rewrapAll(db.kysely)
        const keys = await db.kysely.selectFrom("core.org_key").select(["kek_id"]).execute()
        out(
          `every organisation key is wrapped under ${Encryption.current()!.current.id} (${count(keys.length, "key")}, ${n} rewrapped now)`,
          {
            kekId: Encryption.current()!.current.id,
            keys: keys.length,
          },
        )
      }),
    )
}
