/**
 * The PGlite worker: one PGlite instance on its own thread (node:worker_threads), answering
 * `query`, `exec`, `dump` and `close` messages from `PGliteWorkerSession` one at a time. The main
 * thread keeps its event loop (HTTP, liveness) while PostgreSQL's WASM computes here.
 */
import { parentPort, workerData } from "node:worker_threads"
import { PGlite, type PGliteOptions } from "@electric-sql/pglite"
import { type Request, type Response, serialiseError } from "./pgliteSession"
import { parsers } from "./types"

const port = parentPort
if (!port) throw new Error("pgliteWorker runs as a worker thread")

const { loadDataDir, ...options } = workerData as Omit<PGliteOptions, "parsers" | "loadDataDir"> & {
  loadDataDir?: { bytes: Uint8Array<ArrayBuffer>; type: string }
}
const ready = PGlite.create({
  ...options,
  ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir.bytes], { type: loadDataDir.type }) } : {}),
  parsers,
})
ready.catch(() => {}) // reported to the first request

const answer = (m: Response) => port.postMessage(m)

port.on("message", async (m: Request) => {
  let pglite: PGlite
  try {
    pglite = await ready
  } catch (e) {
    answer({ id: m.id, ok: false, error: serialiseError(e) })
    return
  }
  try {
    switch (m.op) {
      case "ready":
        answer({ id: m.id, ok: true, value: null })
        return
      case "query": {
        const r = await pglite.query(m.sql, m.params)
        answer({ id: m.id, ok: true, value: { rows: r.rows, affectedRows: r.affectedRows } })
        return
      }
      case "exec": {
        const all = await pglite.exec(m.sql)
        answer({
          id: m.id,
          ok: true,
          value: all.map((r) => ({ rows: r.rows, affectedRows: r.affectedRows })),
        })
        return
      }
      case "dump": {
        const blob = (await pglite.dumpDataDir("none")) as Blob
        answer({
          id: m.id,
          ok: true,
          value: { bytes: new Uint8Array(await blob.arrayBuffer()), type: blob.type },
        })
        return
      }
      case "close":
        if (!pglite.closed) await pglite.close()
        answer({ id: m.id, ok: true, value: null })
        return
    }
  } catch (e) {
    answer({ id: m.id, ok: false, error: serialiseError(e) })
  }
})
