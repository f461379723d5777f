/**
 * Open the embedded database before the rest of a program has loaded. A program's first lines call
 * `preopen` (this entry imports nothing heavy), then load their modules while PostgreSQL boots on a
 * worker thread, then pass the handle to `Db.open({ kind: "pglite", worker: true, preopened })`.
 * A start on an existing data folder waits for the longer of the two, not for their sum.
 *
 * ```ts
 * import { preopen } from "@tenet/core/early"
 * const early = preopen("./data/db")
 * const { Db } = await import("@tenet/core")
 * const db = await Db.open({ kind: "pglite", dataDir: "./data/db", worker: true, preopened: early })
 * ```
 *
 * The caller owns the data folder's lock: open early only what no other process may have open.
 * An early database that is never adopted does not keep the process alive.
 *
 * @since 0.3.0
 */
import { PGliteWorkerSession } from "./internal/pgliteSession"

/** A data folder whose PGlite is booting on a worker thread. @category models @since 0.3.0 */
export interface Preopened {
  readonly dataDir: string
  /** @internal the booting session; `Db.open` adopts it */
  readonly session: unknown
}

/** Start booting PGlite on `dataDir` on a worker thread now. @category constructors @since 0.3.0 */
export const preopen = (dataDir: string): Preopened => ({
  dataDir,
  session: PGliteWorkerSession.spawn({ dataDir }),
})
