/**
 * `tenet start` on the embedded database opens it in its first lines: PGlite boots on a worker
 * thread (the second core) while the rest of the program loads, and the server's start adopts it.
 * Nothing here imports more than node's own modules and `@tenet/core/early`.
 */
import { writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { type Preopened, preopen } from "@tenet/core/early"
import { tryLock } from "./lock-file"

interface Early {
  readonly dataDir: string
  readonly preopened: Preopened
  readonly release: () => void
}

let early: Early | undefined

/** `tenet start` (and nothing else) on the embedded database with its worker thread: open it now. */
export const openEarly = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): void => {
  if (args.length !== 1 || args[0] !== "start") return
  if (env.DATABASE_URL || env.TENET_DB_WORKER === "0") return
  const dataDir = resolve(env.TENET_DATA_DIR ?? "./data")
  try {
    const lock = tryLock(dataDir, "server")
    // held by another process: the start proper says so, with who holds it
    if (!("release" in lock)) return
    early = { dataDir, preopened: preopen(`${dataDir}/db`), release: lock.release }
  } catch {
    // an unreadable or unwritable folder: the start proper reports it
  }
}

/**
 * The early database and its lock, when they were opened for this data folder; the lock file now
 * names the server's address. Each is taken once.
 */
export const takeEarly = (
  dataDir: string,
  url: string,
): { readonly preopened: Preopened; readonly release: () => void } | undefined => {
  const e = early
  early = undefined
  if (!e) return undefined
  if (e.dataDir !== resolve(dataDir)) {
    e.release()
    return undefined
  }
  try {
    writeFileSync(
      join(e.dataDir, "tenet.lock"),
      JSON.stringify({ pid: process.pid, role: "server", url, startedAt: new Date().toISOString() }),
    )
  } catch {}
  return e
}
