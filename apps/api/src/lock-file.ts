/**
 * The lock file of an embedded data folder, `<data>/tenet.lock`, without the rest of the program:
 * the `tenet` command takes it in its first lines when it opens the database early (see `early.ts`).
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs"
import { join } from "node:path"

export interface LockInfo {
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

/** Take the lock (a stale one of a process that is gone is taken over), or say who holds it. */
export const tryLock = (
  dataDir: string,
  role: LockInfo["role"],
  url?: string,
): { readonly release: () => void } | { readonly holder: LockInfo } => {
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
      return { release }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
      let holder: LockInfo | undefined
      try {
        holder = JSON.parse(readFileSync(file, "utf8"))
      } catch {}
      if (holder && alive(holder.pid) && holder.pid !== process.pid) return { holder }
      rmSync(file, { force: true }) // stale lock of a process that is gone
    }
  }
  throw new Error(`could not lock ${file}`)
}
