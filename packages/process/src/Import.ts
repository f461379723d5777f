/**
 * Streaming import of cases with their customers from CSV or NDJSON, with a column mapping,
 * and a preset for Zendesk's ticket JSON (one ticket per line, Zendesk's documented field
 * names: id, subject, description, type, priority, status, via.channel, created_at, updated_at,
 * requester_id, requester.name, group_id, tags).
 *
 * Idempotent by external id: a row whose case exists is skipped, so a re-run imports nothing
 * twice. Rows are committed in batches through the set-based intake (`intakeMany`: one
 * statement per table per batch), one batch written while the next is parsed; a crash loses
 * only the batch in flight, and a re-run completes the rest. Invalid rows are collected as
 * `{ line, field, message }` without stopping the good ones; a batch the database refuses is
 * halved until the refused rows are found.
 *
 * @since 0.1.0
 */
import { createHash, randomUUID } from "node:crypto"
import { availableParallelism, hostname } from "node:os"
import { createInterface } from "node:readline"
import type { Readable } from "node:stream"
import { type Db, Errors, Id, type Jobs, Statistics, type Tenancy } from "@tenet/core"
import { CsvError, parse } from "csv-parse"
import { sql } from "kysely"
import { STATUSES } from "./Case"
import { ensureDefaults } from "./Config"
import { checkCaseInput, type HistoricalCaseInput, intakeCache, intakeMany } from "./Intake"
import * as Rollups from "./Rollups"
import { change, processDb } from "./Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

/** @category models @since 0.1.0 */
export type ImportFormat = "csv" | "ndjson" | "zendesk"

/** Tenet field → source column (dotted paths reach into NDJSON objects). @category models @since 0.1.0 */
export type Mapping = Readonly<Record<string, string>>

/** The identity mapping for CSV/NDJSON written by Tenet or by hand. @category models @since 0.1.0 */
export const DEFAULT_MAPPING: Mapping = {
  externalId: "external_id",
  subject: "subject",
  content: "content",
  type: "type",
  channel: "channel",
  urgency: "urgency",
  impact: "impact",
  category: "category",
  tier: "tier",
  team: "team",
  status: "status",
  receivedAt: "received_at",
  recordedAt: "recorded_at",
  resolvedAt: "resolved_at",
  "customer.externalId": "customer_id",
  "customer.name": "customer_name",
  "customer.segment": "customer_segment",
}

/** @category models @since 0.1.0 */
export interface RowError {
  readonly line: number
  readonly field: string
  readonly message: string
  /** As in `Errors.FieldIssue`: a code clients translate, with its values. */
  readonly code?: string | undefined
  readonly params?: Readonly<Record<string, string | number>> | undefined
}

/** @category models @since 0.1.0 */
export interface ImportSummary {
  readonly runId: string
  readonly format: ImportFormat
  readonly rows: number
  readonly imported: number
  readonly skipped: number
  readonly failed: number
  readonly errors: ReadonlyArray<RowError>
}

const get = (row: Record<string, unknown>, path: string): unknown => {
  if (path in row) return row[path]
  return path
    .split(".")
    .reduce<unknown>(
      (o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
      row,
    )
}
const str = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : String(v))

const ZENDESK_TYPE: Record<string, string> = {
  question: "inquiry",
  problem: "problem",
  incident: "problem",
  task: "request",
}
const ZENDESK_PRIORITY: Record<string, [string, string]> = {
  urgent: ["high", "high"],
  high: ["high", "medium"],
  normal: ["medium", "medium"],
  low: ["low", "low"],
}
const ZENDESK_CHANNEL: Record<string, string> = {
  email: "email",
  web: "web_form",
  voice: "phone",
  chat: "chat",
  native_messaging: "chat",
  mobile: "chat",
  api: "api",
  twitter: "social",
  facebook: "social",
  instagram_dm: "social",
  whatsapp: "social",
  wechat: "social",
}
const ZENDESK_STATUS: Record<string, string> = {
  new: "new",
  open: "in_progress",
  pending: "pending_customer",
  hold: "pending_third_party",
  solved: "resolved",
  closed: "closed",
}

interface Parsed {
  readonly line: number
  readonly input?: HistoricalCaseInput
  readonly errors: RowError[]
}

const date = (v: unknown, field: string, errors: RowError[], line: number) => {
  const s = str(v)
  if (s === undefined) return undefined
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) {
    errors.push({
      line,
      field,
      message: `"${s}" is not a date-time`,
      code: "notADateTime",
      params: { value: s },
    })
    return undefined
  }
  return d
}

/** Turn one source row into a case input, or row errors naming the source column. */
export const mapRow = (
  row: Record<string, unknown>,
  line: number,
  format: ImportFormat,
  mapping: Mapping,
  raw: string,
): Parsed => {
  const errors: RowError[] = []
  let input: HistoricalCaseInput
  if (format === "zendesk") {
    const id = str(row.id)
    const [urgency, impact] = ZENDESK_PRIORITY[str(row.priority) ?? "normal"] ?? ["medium", "medium"]
    const via = str(get(row, "via.channel")) ?? "api"
    const requester = str(row.requester_id)
    const status = ZENDESK_STATUS[str(row.status) ?? "open"]
    if (!id) errors.push({ line, field: "id", message: "a Zendesk ticket needs its id", code: "required" })
    if (!status)
      errors.push({
        line,
        field: "status",
        message: `unknown Zendesk status "${String(row.status)}"`,
        code: "unknownStatus",
        params: { value: String(row.status) },
      })
    const created = date(row.created_at, "created_at", errors, line)
    const tags = Array.isArray(row.tags) ? (row.tags as string[]) : []
    input = {
      externalId: `zendesk:${id}`,
      type: ZENDESK_TYPE[str(row.type) ?? "question"] ?? "inquiry",
      channel: ZENDESK_CHANNEL[via] ?? "api",
      subject: str(row.subject) ?? str(row.raw_subject) ?? "",
      content: str(row.description) ?? "",
      urgency,
      impact,
      category: tags[0],
      team: str(row.group_id) ? `zendesk-group-${row.group_id}` : undefined,
      receivedAt: created,
      recordedAt: created,
      ...(status ? { status } : {}),
      ...(status === "resolved" || status === "closed"
        ? { resolvedAt: date(row.solved_at ?? row.updated_at, "updated_at", errors, line) ?? created }
        : {}),
      customer: requester
        ? {
            externalId: `zendesk-user:${requester}`,
            name: str(get(row, "requester.name")) ?? `Zendesk user ${requester}`,
            segment: "existing",
          }
        : undefined,
    } as HistoricalCaseInput
  } else {
    const f = (name: string) => str(get(row, mapping[name] ?? name))
    const customerExternal = f("customer.externalId")
    const customerName = f("customer.name")
    input = {
      externalId: f("externalId") ?? `row:${createHash("sha256").update(raw).digest("hex").slice(0, 32)}`,
      type: f("type") ?? "inquiry",
      channel: f("channel") ?? "",
      subject: f("subject") ?? "",
      content: f("content"),
      urgency: f("urgency"),
      impact: f("impact"),
      category: f("category"),
      tier: f("tier"),
      team: f("team"),
      receivedAt: date(
        get(row, mapping.receivedAt ?? "receivedAt"),
        mapping.receivedAt ?? "receivedAt",
        errors,
        line,
      ),
      recordedAt: date(
        get(row, mapping.recordedAt ?? "recordedAt"),
        mapping.recordedAt ?? "recordedAt",
        errors,
        line,
      ),
      ...(f("status") ? { status: f("status")! } : {}),
      ...(f("resolvedAt")
        ? { resolvedAt: date(f("resolvedAt"), mapping.resolvedAt ?? "resolvedAt", errors, line)! }
        : {}),
      customer:
        customerExternal || customerName
          ? {
              externalId: customerExternal,
              name: customerName ?? customerExternal ?? "",
              segment: f("customer.segment"),
            }
          : undefined,
    } as HistoricalCaseInput
  }
  const source = (field: string) => (format === "zendesk" ? field : (mapping[field] ?? field))
  for (const issue of checkCaseInput(input)) {
    const field = issue.path.join(".")
    errors.push({
      line,
      field: source(field),
      message: issue.message,
      code: issue.code,
      params: issue.params,
    })
  }
  if (input.status && !(STATUSES as readonly string[]).includes(input.status))
    errors.push({
      line,
      field: source("status"),
      message: `unknown status "${input.status}"`,
      code: "unknownStatus",
      params: { value: input.status },
    })
  return errors.length ? { line, errors } : { line, input, errors }
}

/**
 * A CSV the parser cannot read, as a field error naming the line: an unclosed quote names the
 * line its record starts on (the parser only notices at the end of the file).
 */
const csvProblem = (e: unknown, recordLine: number): unknown => {
  const err = e as { code?: unknown; lines?: unknown; message?: unknown }
  if (!(e instanceof CsvError) && !(typeof err.code === "string" && err.code.startsWith("CSV_"))) return e
  const line =
    err.code === "CSV_QUOTE_NOT_CLOSED" || typeof err.lines !== "number" ? recordLine : (err.lines as number)
  const detail =
    err.code === "CSV_QUOTE_NOT_CLOSED"
      ? `a quoted field opened on line ${line} is never closed`
      : String(err.message ?? "cannot be read")
  return new Errors.ValidationError({
    message: `invalid CSV (line ${line}): ${detail}`,
    issues: [
      { path: ["file"], message: `line ${line}: ${detail}`, code: "csvLine", params: { line, detail } },
    ],
  })
}

async function* records(
  source: Readable,
  format: ImportFormat,
): AsyncGenerator<{
  line: number
  row?: Record<string, unknown>
  raw: string
  error?: string
  code?: string
}> {
  if (format === "csv") {
    // the line the last parsed record ends on, noted as the parser goes (records parsed in the
    // chunk that fails are never delivered): an unclosed quote's record starts on the next one
    let last = 1 // the header
    const parser = source.pipe(
      parse({
        columns: true,
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        trim: true,
        info: true,
        on_record: (record: unknown, context: { lines: number }) => {
          last = context.lines
          return record
        },
      }),
    )
    // pipe() does not pass the source's error on: a broken or refused upload must end the parse
    source.once("error", (e) => parser.destroy(e))
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: Record<string, string>
        info: { lines: number }
      }>) {
        yield { line: info.lines, row: record, raw: JSON.stringify(record) }
      }
    } catch (e) {
      throw csvProblem(e, last + 1)
    }
    return
  }
  let line = 0
  for await (const text of createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++
    if (!text.trim()) continue
    try {
      const row = JSON.parse(text)
      if (typeof row !== "object" || row === null || Array.isArray(row))
        yield { line, raw: text, error: "each line must be a JSON object", code: "jsonObject" }
      else yield { line, row, raw: text }
    } catch {
      yield { line, raw: text, error: "not valid JSON", code: "json" }
    }
  }
}

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
  if (!["csv", "ndjson", "zendesk"].includes(options.format))
    throw new Errors.ValidationError({
      message: "invalid import",
      issues: [
        {
          path: ["format"],
          message: "must be csv, ndjson or zendesk",
          code: "oneOf",
          params: { values: "csv, ndjson, zendesk" },
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
  const flush = async (todo: Parsed[]) => {
    const ids = todo.map((p) => p.input!.externalId!)
    const existing = await sql<{
      external_id: string
    }>`select external_id from process.case where org_id = ${ctx.orgId}
      and external_id in (select json_array_elements_text(${JSON.stringify(ids)}::json))`.execute(db.kysely)
    const exists = new Set(existing.rows.map((r) => r.external_id))
    const fresh = todo.filter((p) => !exists.has(p.input!.externalId!))
    skipped += todo.length - fresh.length
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
    const todo = lane.batch
    lane.batch = []
    await lane.inflight
    lane.inflight = flush(todo)
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
      const parsed = mapRow(r.row!, r.line, options.format, mapping, r.raw)
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

/** Seconds between two renewals of a running import's lease. @category models @since 0.2.0 */
export const HEARTBEAT_SECONDS = 5
/** A run whose lease was not renewed for this long is taken as dead. @category models @since 0.2.0 */
export const LEASE_SECONDS = 60
const HOST = hostname().slice(0, 200)
/** This process (a pid can be reused, e.g. pid 1 in every container; the instance cannot). */
const INSTANCE = randomUUID()

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Mark the imports whose process died as `interrupted`: on this host, those of a process that is
 * gone (or whose pid is now this process's); anywhere, those whose lease lapsed `leaseSeconds`
 * ago. Runs at start-up, before every import, and from a recurring job. Re-running the same file
 * completes an interrupted import: rows already imported are skipped by external id.
 * @category constructors
 * @since 0.2.0
 */
export const recoverImports = async (
  db: Database,
  options: { readonly leaseSeconds?: number | undefined } = {},
): Promise<number> => {
  const lease = options.leaseSeconds ?? LEASE_SECONDS
  const running = await sql<{
    org_id: string
    id: string
    host: string | null
    pid: number | null
    instance: string | null
    lapsed: boolean
  }>`select org_id, id, host, pid, instance,
      (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ${lease})) as lapsed
    from process.import_run where status = 'running'`.execute(db.kysely)
  const dead = running.rows.filter(
    (r) =>
      r.lapsed ||
      (r.host === HOST &&
        r.instance !== INSTANCE &&
        r.pid !== null &&
        (r.pid === process.pid || !alive(r.pid))),
  )
  for (const r of dead)
    await sql`update process.import_run set status = 'interrupted', finished_at = now()
      where org_id = ${r.org_id} and id = ${r.id} and status = 'running'`.execute(db.kysely)
  return dead.length
}

/** The recurring job that marks dead imports interrupted. @category models @since 0.2.0 */
export const RECOVER_JOB = "process.imports.recover"

/** @category constructors @since 0.2.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [RECOVER_JOB]: async (_job, db) => {
    await recoverImports(db)
  },
}

/** An import of at least this many cases analyses the tables it wrote. */
const ANALYSE_AFTER_ROWS = 500

/** Past and running imports. @category constructors @since 0.1.0 */
export const listImports = async (db: Database, orgId: string) =>
  (
    await processDb(db)
      .selectFrom("process.import_run")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("started_at", "desc")
      .limit(50)
      .execute()
  ).map((r) => ({
    id: r.id,
    source: r.source,
    format: r.format,
    status: r.status,
    rows: r.rows_total,
    imported: r.rows_imported,
    skipped: r.rows_skipped,
    failed: r.rows_failed,
    errors: r.errors,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    heartbeatAt: r.heartbeat_at,
  }))
