/**
 * Scheduled reports: a source (dashboard, compliance, a saved case view) + format + cadence +
 * recipients. The durable scheduler (`core.job`) runs each one once per run, whatever the
 * number of API processes: the file is stored with its run's key (unique), the schedule moves
 * on with a compare-and-set, and `report.ready` is emitted in the same transaction as the file.
 *
 * `report.ready` payload (for the notification centre's e-mail):
 *   { orgId, fileId, scheduleId, name, format, locale, size, recipients: string[], downloadPath }
 * Members among the recipients are told by the notification centre; the others get the file by
 * e-mail (`./external.ts`).
 */
import { Change, type Db, Errors, Id, Jobs, Organizations, type Tenancy } from "@tenet/core"
import { Cadence } from "@tenet/standards"
import { type Kysely, sql } from "kysely"
import type { Locale } from "./labels"
import { CONTENT_TYPES, render } from "./render"
import type { ReportFormat, ReportSource, ReportsTables, ScheduleTable } from "./schema"
import { buildReport } from "./sources"

type Ctx = Tenancy.OrgContext

export const REPORT_JOB = "reports.run"
export const REPORT_READY_EVENT = "report.ready"
export const SOURCES = ["dashboard", "compliance", "cases"] as const
export const FORMATS = ["pdf", "xlsx", "csv"] as const

export interface ScheduleInput {
  readonly name: string
  readonly source: ReportSource
  readonly params?: Readonly<Record<string, string>> | undefined
  readonly format: ReportFormat
  readonly locale?: Locale | undefined
  readonly frequency: Cadence.Frequency
  readonly time: string
  readonly weekday?: number | null | undefined
  readonly monthDay?: number | null | undefined
  readonly timeZone?: string | undefined
  readonly recipients?: ReadonlyArray<string> | undefined
  readonly enabled?: boolean | undefined
}

const t = (db: Db.Database) => db.as<ReportsTables>()
const tx$ = (tx: unknown) => tx as Kysely<ReportsTables>

type ScheduleRow = {
  [K in keyof ScheduleTable]: K extends "params"
    ? Record<string, string>
    : K extends "recipients"
      ? string[]
      : K extends "enabled"
        ? boolean
        : K extends "created_at" | "updated_at"
          ? Date
          : ScheduleTable[K]
}

const toSchedule = (r: ScheduleRow) => ({
  id: r.id,
  name: r.name,
  source: r.source,
  params: r.params,
  format: r.format,
  locale: r.locale,
  frequency: r.frequency,
  time: r.at_time,
  weekday: r.weekday,
  monthDay: r.month_day,
  timeZone: r.time_zone,
  recipients: r.recipients,
  enabled: r.enabled,
  nextRunAt: r.next_run_at,
  lastRunAt: r.last_run_at,
  lastFileId: r.last_file_id,
  lastError: r.last_error,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})
export type Schedule = ReturnType<typeof toSchedule>

const cadenceOf = (
  s: Pick<Schedule, "frequency" | "time" | "weekday" | "monthDay" | "timeZone">,
): Cadence.Cadence => ({
  frequency: s.frequency,
  time: s.time,
  weekday: s.weekday,
  monthDay: s.monthDay,
  timeZone: s.timeZone,
})
const runKey = (at: Date) => at.toISOString()

const check = async (db: Db.Database, orgId: string, input: ScheduleInput) => {
  const timeZone = input.timeZone ?? (await Organizations.get(db, orgId)).timeZone
  const cadence: Cadence.Cadence = {
    frequency: input.frequency,
    time: input.time,
    weekday: input.frequency === "weekly" ? (input.weekday ?? null) : null,
    monthDay: input.frequency === "monthly" ? (input.monthDay ?? null) : null,
    timeZone,
  }
  const issues: Errors.FieldIssue[] = Cadence.problems(cadence).map((p) => ({
    path: [p.path],
    message: p.message,
    code: p.code,
  }))
  if (!Organizations.isValidTimeZone(timeZone))
    issues.push({
      path: ["timeZone"],
      message: `unknown time zone: ${timeZone.slice(0, 64)}`,
      code: "timeZone",
    })
  if (input.source === "cases") {
    const view = input.params?.viewId
      ? await sql`select 1 from process.saved_view where org_id = ${orgId} and id = ${input.params.viewId}`.execute(
          db.kysely,
        )
      : { rows: [] }
    if (view.rows.length === 0)
      issues.push({
        path: ["params", "viewId"],
        message: "must be one of your saved case views",
        code: "savedView",
      })
  }
  if (input.source === "compliance" && input.params?.standardId) {
    const s =
      await sql`select 1 from standards.standard where org_id = ${orgId} and id = ${input.params.standardId}`.execute(
        db.kysely,
      )
    if (s.rows.length === 0)
      issues.push({
        path: ["params", "standardId"],
        message: "must be a standard of this organisation",
        code: "unknownStandard",
      })
  }
  if (issues.length) throw new Errors.ValidationError({ message: "invalid report schedule", issues })
  return cadence
}

export const listSchedules = async (db: Db.Database, orgId: string) =>
  (
    await t(db)
      .selectFrom("reports.schedule")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("name")
      .execute()
  ).map((r) => toSchedule(r as never))

export const getSchedule = async (db: Db.Database, orgId: string, id: string) => {
  const r = await t(db)
    .selectFrom("reports.schedule")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "report_schedule", id })
  return toSchedule(r as never)
}

/** Create (no id) or replace a schedule; its next run is scheduled in the same transaction. */
export const saveSchedule = async (
  db: Db.Database,
  ctx: Ctx,
  input: ScheduleInput,
  id?: string,
  now: Date = new Date(),
): Promise<Schedule> => {
  if (id) await getSchedule(db, ctx.orgId, id)
  const cadence = await check(db, ctx.orgId, input)
  const enabled = input.enabled ?? true
  const next = enabled ? Cadence.nextRun(cadence, now) : null
  const org = await Organizations.get(db, ctx.orgId)
  return Change.change(db, ctx, async ({ tx, audit }) => {
    const values = {
      name: input.name,
      source: input.source,
      params: JSON.stringify(input.params ?? {}),
      format: input.format,
      locale: input.locale ?? (org.locale === "en" ? "en" : "zh-CN"),
      frequency: cadence.frequency,
      at_time: cadence.time,
      weekday: cadence.weekday ?? null,
      month_day: cadence.monthDay ?? null,
      time_zone: cadence.timeZone,
      recipients: JSON.stringify([...new Set(input.recipients ?? [])]),
      enabled,
      next_run_at: next,
    }
    const scheduleId = id ?? Id.make("rpts")
    const row = id
      ? await tx$(tx)
          .updateTable("reports.schedule")
          .set({ ...values, updated_at: new Date() })
          .where("org_id", "=", ctx.orgId)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx$(tx)
          .insertInto("reports.schedule")
          .values({ ...values, org_id: ctx.orgId, id: scheduleId, created_by: ctx.actor.id })
          .returningAll()
          .executeTakeFirstOrThrow()
    if (next)
      await Jobs.scheduleIn(tx, {
        orgId: ctx.orgId,
        kind: REPORT_JOB,
        key: `${scheduleId}@${runKey(next)}`,
        runAt: next,
        payload: { scheduleId, runAt: next.toISOString() },
      })
    await audit({
      action: id ? "report_schedule.updated" : "report_schedule.created",
      entityType: "report_schedule",
      entityId: scheduleId,
      after: { ...input, nextRunAt: next?.toISOString() ?? null },
    })
    return toSchedule(row as never)
  })
}

export const deleteSchedule = async (db: Db.Database, ctx: Ctx, id: string) => {
  await getSchedule(db, ctx.orgId, id)
  await Change.change(db, ctx, async ({ tx, audit }) => {
    await tx$(tx)
      .deleteFrom("reports.schedule")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .execute()
    await audit({ action: "report_schedule.deleted", entityType: "report_schedule", entityId: id })
  })
}

/**
 * Produce a schedule's report for the period of a run (`runAt`), store it and emit
 * `report.ready`. With a run key, a second producer of the same run stores nothing and gets the
 * first one's file id.
 */
export const produce = async (
  db: Db.Database,
  ctx: Ctx,
  s: Schedule,
  runAt: Date,
  key: string | null,
): Promise<{ fileId: string; created: boolean }> => {
  const period = Cadence.periodOf(cadenceOf(s), runAt)
  const doc = await buildReport(db, {
    orgId: s.id ? ctx.orgId : ctx.orgId,
    source: s.source,
    params: s.params,
    ...period,
    timeZone: s.timeZone,
    locale: s.locale,
    name: s.name,
  })
  const bytes = await render(doc, s.format)
  const stamp = new Intl.DateTimeFormat("sv-SE", { timeZone: s.timeZone }).format(runAt)
  const name = `${s.name.replace(/[\\/:*?"<>|\r\n]+/g, " ").trim() || "report"} ${stamp}.${s.format}`
  return Change.change(db, ctx, async ({ tx, audit, emit }) => {
    const fileId = Id.make("rptf")
    const inserted = await sql<{
      id: string
    }>`insert into reports.file (org_id, id, schedule_id, run_key, name, format, content_type, size,
        content, period_from, period_to, created_by)
      values (${ctx.orgId}, ${fileId}, ${s.id}, ${key}, ${name}, ${s.format}, ${CONTENT_TYPES[s.format]}, ${bytes.byteLength},
        ${Buffer.from(bytes)}, ${period.from}, ${period.to}, ${ctx.actor.id})
      on conflict (org_id, schedule_id, run_key) do nothing returning id`.execute(tx)
    if (!inserted.rows[0]) {
      const existing = await sql<{ id: string }>`select id from reports.file where org_id = ${ctx.orgId}
        and schedule_id = ${s.id} and run_key = ${key}`.execute(tx)
      return { fileId: existing.rows[0]!.id, created: false }
    }
    await sql`update reports.schedule set last_file_id = ${fileId}, last_error = null where org_id = ${ctx.orgId} and id = ${s.id}`.execute(
      tx,
    )
    await audit({
      action: "report.produced",
      entityType: "report_file",
      entityId: fileId,
      after: { scheduleId: s.id, name, size: bytes.byteLength },
    })
    await emit({
      type: REPORT_READY_EVENT,
      aggregateType: "report_file",
      aggregateId: fileId,
      payload: {
        orgId: ctx.orgId,
        fileId,
        scheduleId: s.id,
        name,
        format: s.format,
        locale: s.locale,
        size: bytes.byteLength,
        recipients: s.recipients,
        downloadPath: `/api/v1/reports/files/${fileId}/download`,
      },
    })
    return { fileId, created: true }
  })
}

/** "Run now": the period of a run at this moment, stored as a file of its own. */
export const runNow = async (db: Db.Database, ctx: Ctx, id: string) => {
  const s = await getSchedule(db, ctx.orgId, id)
  return produce(db, ctx, s, new Date(), null)
}

export const jobHandlers: Jobs.JobHandlers = {
  [REPORT_JOB]: async (job, db) => {
    const { scheduleId, runAt: at } = job.payload as { scheduleId: string; runAt: string }
    const runAt = new Date(at)
    let s: Schedule
    try {
      s = await getSchedule(db, job.orgId, scheduleId)
    } catch {
      return // deleted since
    }
    if (!s.enabled || s.nextRunAt?.getTime() !== runAt.getTime()) return // an older cadence's run
    const ctx: Ctx = { orgId: job.orgId, actor: { type: "system", id: "report-schedule" } }
    try {
      await produce(db, ctx, s, runAt, runKey(runAt))
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).slice(0, 1000)
      await sql`update reports.schedule set last_error = ${message} where org_id = ${job.orgId} and id = ${scheduleId}`.execute(
        db.kysely,
      )
      if (job.attempts < 3) throw e // retried by the scheduler; then the schedule moves on
    }
    const next = Cadence.nextRun(cadenceOf(s), new Date(Math.max(Date.now(), runAt.getTime())))
    await db.kysely.transaction().execute(async (tx) => {
      const moved = await sql`update reports.schedule set next_run_at = ${next}, last_run_at = now()
        where org_id = ${job.orgId} and id = ${scheduleId} and next_run_at = ${runAt}`.execute(tx)
      if (Number(moved.numAffectedRows ?? 0) === 0) return
      await Jobs.scheduleIn(tx, {
        orgId: job.orgId,
        kind: REPORT_JOB,
        key: `${scheduleId}@${runKey(next)}`,
        runAt: next,
        payload: { scheduleId, runAt: next.toISOString() },
      })
    })
  },
}

// ---------------------------------------------------------------------------
// files
// ---------------------------------------------------------------------------

export const listFiles = async (db: Db.Database, orgId: string, scheduleId?: string) =>
  (
    await t(db)
      .selectFrom("reports.file")
      .select([
        "id",
        "schedule_id",
        "name",
        "format",
        "size",
        "period_from",
        "period_to",
        "created_by",
        "created_at",
      ])
      .where("org_id", "=", orgId)
      .$if(scheduleId !== undefined, (q) => q.where("schedule_id", "=", scheduleId!))
      .orderBy("created_at", "desc")
      .limit(200)
      .execute()
  ).map((r) => ({
    id: r.id,
    scheduleId: r.schedule_id,
    name: r.name,
    format: r.format,
    size: r.size,
    from: r.period_from,
    to: r.period_to,
    createdBy: r.created_by,
    createdAt: r.created_at as Date,
  }))

export const getFile = async (db: Db.Database, orgId: string, id: string) => {
  const r = await t(db)
    .selectFrom("reports.file")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "report_file", id })
  return { ...r, content: new Uint8Array(r.content) }
}
