/**
 * The server's side of signed audit checkpoints: the key (TENET_AUDIT_KEY_FILE, or generated into
 * the data folder, outside the database), the folder the checkpoints are exported to
 * (TENET_AUDIT_CHECKPOINT_DIR) and the durable job that writes one on a schedule.
 */
import { AuditCheckpoint, type Db, type Jobs } from "@tenet/core"
import type { Config } from "../config"

export interface AuditSigner {
  readonly key: AuditCheckpoint.CheckpointKey
  /** Where each checkpoint is written as a file. */
  readonly dir: string
}

export const CHECKPOINT_JOB = "audit.checkpoint"

/** The signer of this installation: the key is read (or generated, mode 0600) from its file. */
export const auditSigner = (config: Pick<Config, "auditKeyFile" | "auditCheckpointDir">): AuditSigner => ({
  key: AuditCheckpoint.loadKey(config.auditKeyFile, { create: true }),
  dir: config.auditCheckpointDir,
})

/** Write a checkpoint now (to the database and the folder). */
export const writeCheckpoint = (
  db: Db.Database,
  signer: AuditSigner,
  options: { ifChanged?: boolean } = {},
) => AuditCheckpoint.checkpoint(db, signer.key, { dir: signer.dir, ...options })

/** The scheduled checkpoint: skipped when no chain moved since the last one. */
export const checkpointJobs = (signer: AuditSigner): Jobs.JobHandlers => ({
  [CHECKPOINT_JOB]: async (_job, db) => {
    await writeCheckpoint(db, signer, { ifChanged: true })
  },
})
