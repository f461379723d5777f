/**
 * The single PGlite session the Kysely driver leases out: PGlite itself on the caller's thread,
 * or the same engine on a worker thread behind messages (`PGliteWorkerSession`).
 */
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import type { PGliteOptions } from "@electric-sql/pglite"

export interface SessionResult<R = unknown> {
  readonly rows: R[]
  readonly affectedRows?: number | undefined
}

/** What the driver needs of PGlite. */
export interface PGliteSession {
  readonly query: <R>(sql: string, params?: unknown[]) => Promise<SessionResult<R>>
  readonly exec: (sql: string) => Promise<ReadonlyArray<SessionResult>>
  readonly dumpDataDir: () => Promise<Blob>
  readonly close: () => Promise<void>
  readonly closed: boolean
  readonly waitReady: Promise<void>
}

export type Request =
  | { readonly id: number; readonly op: "ready" | "dump" | "close" }
  | { readonly id: number; readonly op: "query"; readonly sql: string; readonly params: unknown[] }
  | { readonly id: number; readonly op: "exec"; readonly sql: string }
export type Response =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: Record<string, unknown> }

/** PGlite's own start parameters plus `-c name=value` for each extra setting. */
export const pgliteStartParams = (settings: ReadonlyArray<string>): string[] => {
  const defaults: string[] = PGLITE_DEFAULT_START_PARAMS
  return [...defaults, ...settings.flatMap((s) => ["-c", s])]
}

/** PGlite 0.5's default start parameters (PGlite.defaultStartParams), repeated because passing
 *  startParams replaces them. */
const PGLITE_DEFAULT_START_PARAMS = [
  "--single",
  "-F",
  "-O",
  "-j",
  "-c",
  "search_path=public",
  "-c",
  "exit_on_error=false",
  "-c",
  "log_checkpoints=false",
  "-c",
  "max_worker_processes=0",
  "-c",
  "max_parallel_workers=0",
  "-c",
  "max_parallel_workers_per_gather=0",
  "-c",
  "io_method=sync",
  "-c",
  "max_parallel_maintenance_workers=0",
]

/** An error as plain data (PostgreSQL's fields — code, detail, constraint … — kept). */
export const serialiseError = (e: unknown): Record<string, unknown> => {
  if (!(e instanceof Error)) return { message: String(e) }
  const out: Record<string, unknown> = { name: e.name, message: e.message, stack: e.stack }
  for (const [k, v] of Object.entries(e))
    if (v === null || ["string", "number", "boolean"].includes(typeof v)) out[k] = v
  return out
}

const reviveError = (data: Record<string, unknown>): Error => {
  const e = new Error(String(data.message ?? "PGlite worker error"))
  for (const [k, v] of Object.entries(data))
    if (k !== "stack" && k !== "message") (e as unknown as Record<string, unknown>)[k] = v
  if (typeof data.name === "string") e.name = data.name
  return e
}

/** The worker's entry: next to the bundle (dist), or the built one when running from sources (tests). */
const workerEntry = (): URL => {
  const beside = new URL("./pglite-worker.js", import.meta.url)
  if (existsSync(fileURLToPath(beside))) return beside
  const built = new URL("../dist/pglite-worker.js", import.meta.url)
  if (existsSync(fileURLToPath(built))) return built
  const fromInternal = new URL("../../dist/pglite-worker.js", import.meta.url)
  if (existsSync(fileURLToPath(fromInternal))) return fromInternal
  throw new Error("the PGlite worker entry (dist/pglite-worker.js) is missing: build @tenet/core first")
}

/** PGlite on a worker thread. Requests are answered in order; the driver sends one at a time. */
export class PGliteWorkerSession implements PGliteSession {
  private readonly worker: Worker
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private next = 1
  private failure: Error | undefined
  closed = false
  readonly waitReady: Promise<void>

  /** Opens PGlite on a new worker thread (a data folder to load is read here and sent as bytes). */
  static async open(options: Omit<PGliteOptions, "parsers">): Promise<PGliteWorkerSession> {
    const { loadDataDir, ...rest } = options
    return new PGliteWorkerSession({
      ...rest,
      ...(loadDataDir
        ? { loadDataDir: { bytes: new Uint8Array(await loadDataDir.arrayBuffer()), type: loadDataDir.type } }
        : {}),
    })
  }

  /**
   * Starts PGlite on a worker thread at once, before the rest of the program has loaded (the
   * server's start: PostgreSQL boots on the second core while the main thread loads its modules).
   * The worker does not keep the process alive until `adopt()` is called.
   */
  static spawn(options: { readonly dataDir: string; readonly startParams?: string[] }): PGliteWorkerSession {
    const session = new PGliteWorkerSession({ ...options })
    session.worker.unref()
    return session
  }

  /** The session is taken into use: its worker now keeps the process alive like any other. */
  adopt(): this {
    this.worker.ref()
    return this
  }

  private constructor(options: Record<string, unknown>) {
    this.worker = new Worker(workerEntry(), { workerData: options })
    this.worker.on("message", (m: Response) => {
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.ok) p.resolve(m.value)
      else p.reject(reviveError(m.error))
    })
    const fail = (e: Error) => {
      this.failure = e
      this.closed = true
      for (const p of this.pending.values()) p.reject(e)
      this.pending.clear()
    }
    this.worker.on("error", (e) => fail(e instanceof Error ? e : new Error(String(e))))
    this.worker.on("exit", (code) => {
      if (!this.closed || this.pending.size > 0) fail(new Error(`the PGlite worker exited (code ${code})`))
    })
    this.waitReady = this.send({ id: 0, op: "ready" }).then(() => undefined)
  }

  private send(req: Request): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.next++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...req, id })
    })
  }

  query<R>(sql: string, params: unknown[] = []): Promise<SessionResult<R>> {
    return this.send({ id: 0, op: "query", sql, params }) as Promise<SessionResult<R>>
  }
  exec(sql: string): Promise<ReadonlyArray<SessionResult>> {
    return this.send({ id: 0, op: "exec", sql }) as Promise<ReadonlyArray<SessionResult>>
  }
  async dumpDataDir(): Promise<Blob> {
    const { bytes, type } = (await this.send({ id: 0, op: "dump" })) as {
      bytes: Uint8Array<ArrayBuffer>
      type: string
    }
    return new Blob([bytes], { type })
  }
  async close(): Promise<void> {
    if (this.closed) return
    try {
      await this.send({ id: 0, op: "close" })
    } finally {
      this.closed = true
      await this.worker.terminate()
    }
  }
}
