/** The audit log: verify the hash chain (and signed checkpoints), sign a checkpoint. */
import { existsSync, readFileSync } from "node:fs"
import { Audit, AuditCheckpoint } from "@tenet/core"
import { auditSigner, writeCheckpoint } from "../audit/checkpoints"
import { count, orgBySlug, out, program, UsageError, withDb } from "./shared"

export const registerAuditCommands = () => {
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
          if (checkpoints.length === 0)
            throw new UsageError(`no checkpoint files (*.json) in ${o.checkpoints}`)
          const r = await AuditCheckpoint.verifyWith(db, checkpoints, key)
          if (r.ok)
            out(
              `audit chain intact and consistent with ${count(r.checkpoints, "signed checkpoint")} (key ${key.keyId}): ${count(r.records, "record")} in ${count(r.organisations, "organisation")}`,
              r,
            )
          else {
            out(
              `audit chain does NOT match its signed checkpoints (${count(r.problems.length, "problem")}):\n${r.problems.map((p) => `  ${p.reason.replace(/_/g, " ")}: ${p.detail}`).join("\n")}`,
              r,
            )
            process.exitCode = 2
          }
          return
        }
        const orgId = o.org ? (await orgBySlug(db, o.org)).id : undefined
        const r = await Audit.verify(db, orgId)
        if (r.ok)
          out(
            `audit chain intact: ${count(r.records, "record")} in ${count(r.organisations, "organisation")}`,
            r,
          )
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
          `signed checkpoint of ${count(r.set!.orgs.length, "organisation")} (${count(r.set!.global.payload.count, "record")}) with key ${signer.key.keyId}: ${r.file}\npublic key: ${config.auditKeyFile}.pub`,
          { file: r.file, keyId: signer.key.keyId, publicKeyFile: `${config.auditKeyFile}.pub`, ...r.set },
        )
      }),
    )
}
