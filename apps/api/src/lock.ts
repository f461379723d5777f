/**
 * The embedded database belongs to one process at a time. The server (and every CLI command
 * that opens the embedded database) holds `<data>/tenet.lock`; a second process stops with a
 * clear message instead of corrupting the folder.
 */
import { Errors } from "@tenet/core"
import { type LockInfo, tryLock } from "./lock-file"

export const acquireLock = (dataDir: string, role: LockInfo["role"], url?: string): (() => void) => {
  const lock = tryLock(dataDir, role, url)
  if ("release" in lock) return lock.release
  const { holder } = lock
  const who =
    holder.role === "server"
      ? `the Tenet server (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ""})`
      : `another tenet command (pid ${holder.pid})`
  throw new Errors.DatabaseBusyError({
    message: `the embedded database in ${dataDir} is in use by ${who}. Stop it first${
      holder.role === "server" ? ", or do this through the running server's API and admin app" : ""
    }.`,
    dataDir,
    pid: holder.pid,
    ...(holder.url ? { url: holder.url } : {}),
  })
}
