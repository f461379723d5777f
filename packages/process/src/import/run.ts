// The import itself: a stream's rows checked, de-duplicated and written in batches over parallel lanes.
import { availableParallelism } from "node:os"
import type { Readable } from "node:stream"
import { type Db, Errors, Id, Statistics, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { IMPORT_FORMATS } from "../Case"
import { ensureDefaults } from "../Config"
import { intakeCache, intakeMany } from "../Intake"
import * as Rollups from "../Rollups"
import { change, loadVocabulary, processDb } from "../Store"
import { mapRow } from "./map"
import {
  DEFAULT_MAPPING,
  type ImportFormat,
  type ImportSummary,
  type Mapping,
  type Parsed,
  type RowError,
} from "./model"
import { csvProblem, records } from "./parse"
import { HEARTBEAT_SECONDS, HOST, INSTANCE, recoverImports } from "./runs"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

/**
 * Import cases from a stream. `onProgress` is called after each committed batch.
 * @category constructors
 * @since 0.1.0
 */
export const importCases = async (
  db: Database,
  ctx: Ctx,
  source: Readable,
  options: {
    readonly format: ImportFormat
    readonly mapping?: Mapping | undefined
    readonly batchSize?: number | undefined
    /**
     * Batches written at once on PostgreSQL (default: one more than the machine's cores, at most 8 —
     * one lane computes while the others write; PGlite has one connection: 1). Rows of one
     * customer always go through the same lane, in file order, so repeat contacts are found as
     * in a serial import.
     */
    readonly parallel?: number | undefined
    readonly sourceName?: string | undefined
    readonly onProgress?:
      | ((p: { rows: number; imported: number; skipped: number; failed: number }) => void)
      | undefined
  },
): Promise<ImportSummary> => {
  if (!(IMPORT_FORMATS as readonly string[]).includes(options.format))
    throw new Errors.ValidationError({
      message: "invalid import",
      issues: [
        {
          path: ["format"],
          message: `must be one of ${IMPORT_FORMATS.join(", ")}`,
          code: "oneOf",
          params: { values: IMPORT_FORMATS.join(", ") },
        },
      ],
    })
  const mapping = { ...DEFAULT_MAPPING, ...(options.mapping ?? {}) }
  await ensureDefaults(db, ctx)
  // runs whose process died are marked interrupted first (re-running the same file completes them)
  await recoverImports(db)
  const runId = Id.make("imp")
  await sql`insert into process.import_run (org_id, id, source, format, status, heartbeat_at, host, pid, instance)
    values (${ctx.orgId}, ${runId}, ${(options.sourceName ?? "stream").slice(0, 500)}, ${options.format}, 'running', now(),
      ${HOST}, ${process.pid}, ${INSTANCE})`.execute(db.kysely)
  // the lease: renewed while the import works, even when one batch takes long
  const heartbeat = setInterval(() => {
    sql`update process.import_run set heartbeat_at = now() where org_id = ${ctx.orgId} and id = ${runId} and status = 'running'`
      .execute(db.kysely)
      .catch(() => undefined)
  }, HEARTBEAT_SECONDS * 1000)
  heartbeat.unref()
  const errors: RowError[] = []
  let rows = 0
  let imported = 0
  let skipped = 0
  let failed = 0
  const batchSize = options.batchSize ?? 1000
  const laneCount =
    db.kind === "pglite" ? 1 : Math.max(1, Math.min(8, options.parallel ?? availableParallelism() + 1))
  const seen = new Set<string>()

  const cache = intakeCache()
  // the organisation's types and categories: a row with an unknown one is refused, its column named
  const vocabulary = await loadVocabulary(processDb(db), ctx.orgId)
  const estimate = await sql<{
    n: number
  }>`select greatest(reltuples, 0)::float8 as n from pg_class where oid = 'process.case'::regclass`.execute(
    db.kysely,
  )
  const tableRows = Number(estimate.rows[0]?.n ?? 0)
  let analyzedAt = Math.max(tableRows, 500)
  /** Write rows in one transaction; when it fails, halve until the failing rows are found. */
  const write = async (part: Parsed[]): Promise<void> => {
    try {
      // numbers are taken in their own statement, so that lanes do not wait on the counter
      const counter = await sql<{
        last: string
      }>`insert into process.case_counter (org_id, last) values (${ctx.orgId}, ${part.length})
        on conflict (org_id) do update set last = process.case_counter.last + ${part.length} returning last`.execute(
        db.kysely,
      )
      const first = Number(counter.rows[0]!.last) - part.length + 1
      await change(db, ctx, async ({ tx, audit }) => {
        const now = new Date()
        await intakeMany(
          tx,
          ctx,
          part.map((p, i) => ({ ...p.input!, number: first + i })),
          now,
          cache,
          { records: false },
        )
        // last, with the audit record: the statements that every lane touches are held briefly
        const received = new Set(part.map((p) => (p.input!.receivedAt ?? now).getTime()))
        await Rollups.markDirtyAt(
          tx,
          ctx.orgId,
          [...received].map((t) => new Date(t)),
        )
        await audit({
          action: "import.batch",
          entityType: "import_run",
          entityId: runId,
          after: {
            cases: part.length,
            lines: [part[0]!.line, part.at(-1)!.line],
            externalIds: part.slice(0, 5).map((p) => p.input!.externalId),
          },
        })
      })
      imported += part.length
    } catch (e) {
      if (part.length === 1) {
        failed++
        errors.push({
          line: part[0]!.line,
          field: "(row)",
          message: Errors.isTenetError(e) ? e.message : (e as Error).message,
        })
        return
      }
      const half = Math.ceil(part.length / 2)
      await write(part.slice(0, half))
      await write(part.slice(half))
    }
  }
  let analyzing: Promise<void> | undefined
  const flush = async (batch: Parsed[]) => {
    const ids = batch.map((p) => p.input!.externalId!)
    const existing = await sql<{
      external_id: string
    }>`select external_id from process.case where org_id = ${ctx.orgId}
      and external_id in (select json_array_elements_text(${JSON.stringify(ids)}::json))`.execute(db.kysely)
    const exists = new Set(existing.rows.map((r) => r.external_id))
    const fresh = batch.filter((p) => !exists.has(p.input!.externalId!))
    skipped += batch.length - fresh.length
    if (fresh.length) await write(fresh)
    // keep the planner's statistics current while the import grows the table (repeat lookups
    // and the existence check pick their index from them): each time it has grown fourfold
    // (on its own connection while the lanes go on; PGlite has one, so it waits its turn there)
    if (!analyzing && tableRows + imported >= analyzedAt * 4) {
      analyzedAt = tableRows + imported
      analyzing = sql`analyze process.case (org_id, external_id, customer_id, category, received_at)`
        .execute(db.kysely)
        .then(() => undefined)
        .finally(() => (analyzing = undefined))
      analyzing.catch(() => undefined)
    }
    await sql`update process.import_run set rows_total = ${rows}, rows_imported = ${imported}, rows_skipped = ${skipped},
      rows_failed = ${failed}, heartbeat_at = now() where org_id = ${ctx.orgId} and id = ${runId}`.execute(
      db.kysely,
    )
    options.onProgress?.({ rows, imported, skipped, failed })
  }
  // Lanes: each writes one batch while the next is read (the database and the parser overlap),
  // and on PostgreSQL several lanes write at once. A customer's rows stay in one lane.
  const lanes = Array.from({ length: laneCount }, () => ({
    batch: [] as Parsed[],
    inflight: Promise.resolve() as Promise<void>,
  }))
  const laneOf = (p: Parsed) => {
    const key = p.input!.customer?.externalId
    if (!key) return p.line % laneCount
    let h = 0
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0
    return Math.abs(h) % laneCount
  }
  const dispatch = async (lane: (typeof lanes)[number]) => {
    if (lane.batch.length === 0) return
    const batch = lane.batch
    lane.batch = []
    await lane.inflight
    lane.inflight = flush(batch)
    lane.inflight.catch(() => undefined) // handled where it is awaited; not an unhandled rejection meanwhile
  }
  const settle = async () => {
    await Promise.all(lanes.map((l) => l.inflight))
    await analyzing
  }

  try {
    for await (const r of records(source, options.format)) {
      rows++
      if (r.error) {
        failed++
        errors.push({ line: r.line, field: "(line)", message: r.error, code: r.code })
        continue
      }
      const parsed = mapRow(r.row!, r.line, options.format, mapping, r.raw, vocabulary)
      if (parsed.errors.length) {
        failed++
        errors.push(...parsed.errors)
        continue
      }
      const key = parsed.input!.externalId!
      if (seen.has(key)) {
        skipped++
        continue
      }
      seen.add(key)
      const lane = lanes[laneOf(parsed)]!
      lane.batch.push(parsed)
      if (lane.batch.length >= batchSize) await dispatch(lane)
    }
    for (const lane of lanes) await dispatch(lane)
    await settle()
  } catch (e) {
    clearInterval(heartbeat)
    // what was handed to the database is finished (or fails) before the run is marked failed
    await Promise.all(lanes.map((l) => l.inflight.catch(() => undefined)))
    const problem = csvProblem(e, rows + 2)
    if (problem instanceof Errors.ValidationError)
      for (const issue of problem.issues)
        errors.push({
          line: Number(issue.params?.line ?? 0),
          field: "(file)",
          message: issue.message,
          code: issue.code,
          params: issue.params,
        })
    await sql`update process.import_run set status = 'failed', finished_at = now(), rows_total = ${rows}, rows_imported = ${imported},
      rows_skipped = ${skipped}, rows_failed = ${failed}, errors = ${JSON.stringify(errors.slice(0, 1000))}::jsonb
      where org_id = ${ctx.orgId} and id = ${runId}`.execute(db.kysely)
    throw problem
  }
  clearInterval(heartbeat)
  await sql`update process.import_run set status = 'done', finished_at = now(), heartbeat_at = now(), rows_total = ${rows}, rows_imported = ${imported},
    rows_skipped = ${skipped}, rows_failed = ${failed}, errors = ${JSON.stringify(errors.slice(0, 1000))}::jsonb
    where org_id = ${ctx.orgId} and id = ${runId}`.execute(db.kysely)
  // a bulk write: fresh statistics for the tables it filled (PGlite has no autovacuum)
  if (imported >= ANALYSE_AFTER_ROWS)
    await Statistics.analyse(db, [
      "process.case",
      "process.sla_clock",
      "process.case_event",
      "process.customer",
    ])
  return { runId, format: options.format, rows, imported, skipped, failed, errors }
}

/** An import of at least this many cases analyses the tables it wrote. */
const ANALYSE_AFTER_ROWS = 500
