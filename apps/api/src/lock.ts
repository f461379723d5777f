/**
 * The embedded database belongs to one process at a time. The server (and every CLI command
 * that opens the embedded database) holds `<data>/tenet.lock`; a second process stops with a
 * clear message instead of corrupting the folder.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs"
import { join } from "node:path"
import { Errors } from "@tenet/core"

interface LockInfo {
  pid: number
  role: "server" | "cli"
  url?: string
  startedAt: string
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

export const acquireLock = (dataDir: string, role: LockInfo["role"], url?: string): (() => void) => {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, "tenet.lock")
  const info: LockInfo = {
    pid: process.pid,
    role,
    startedAt: new Date().toISOString(),
    ...(url ? { url } : {}),
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx")
      writeSync(fd, JSON.stringify(info))
      closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        try {
          const current = JSON.parse(readFileSync(file, "utf8")) as LockInfo
          if (current.pid === process.pid) rmSync(file)
        } catch {}
      }
      process.once("exit", release)
      return release
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
      let holder: LockInfo | undefined
      try {
        holder = JSON.parse(readFileSync(file, "utf8"))
      } catch {}
      if (holder && alive(holder.pid) && holder.pid !== process.pid) {
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
      rmSync(file, { force: true }) // stale lock of a process that is gone
    }
  }
  throw new Error(`could not lock ${file}`)
}
