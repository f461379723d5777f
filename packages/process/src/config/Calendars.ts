/**
 * Business calendars: list, create, update (versioned) and preview a due time.
 *
 * @since 0.1.0
 */

import { explainAddBusinessTime } from "@tenet/calendar"
import { type Db, Errors, Id, type Tenancy } from "@tenet/core"
import type { Selectable } from "kysely"
import { sql } from "kysely"
import { MAX_SLA_SECONDS } from "../Case"
import type { CalendarTable } from "../migrations/schema"
import { change, compileSpec, loadCalendar, onCalendar, processDb, toCalendarRecord } from "../Store"

type CalendarRow = Selectable<CalendarTable>

type Database = Db.Database
type Ctx = Tenancy.OrgContext

// ---------------------------------------------------------------------------
// calendars
// ---------------------------------------------------------------------------

export const listCalendars = async (db: Database, orgId: string) =>
  (
    await processDb(db)
      .selectFrom("process.calendar")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("name")
      .execute()
  ).map(toCalendarRecord)

export const getCalendar = async (db: Database, orgId: string, id: string) =>
  (await loadCalendar(processDb(db), orgId, id)).record

export const createCalendar = async (db: Database, ctx: Ctx, input: { name: string; spec: unknown }) => {
  if (!input.name.trim())
    throw new Errors.ValidationError({
      message: "invalid calendar",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  compileSpec(input.spec)
  const id = Id.make("cal")
  return change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql<CalendarRow>`insert into process.calendar (org_id, id, name, spec) values (${ctx.orgId}, ${id}, ${input.name.trim()},
      ${JSON.stringify(input.spec)}::jsonb) returning *`.execute(tx)
    const rec = toCalendarRecord(r.rows[0]!)
    await audit({
      action: "calendar.created",
      entityType: "calendar",
      entityId: id,
      after: { name: rec.name, spec: rec.spec },
    })
    return rec
  })
}

export const updateCalendar = async (
  db: Database,
  ctx: Ctx,
  id: string,
  input: { name?: string | undefined; spec?: unknown },
) => {
  if (input.name !== undefined && !input.name.trim())
    throw new Errors.ValidationError({
      message: "invalid calendar",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  if (input.spec !== undefined) compileSpec(input.spec)
  return change(db, ctx, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("process.calendar")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw new Errors.NotFoundError({ entity: "calendar", id })
    const r =
      await sql<CalendarRow>`update process.calendar set name = coalesce(${input.name?.trim() ?? null}, name),
      spec = coalesce(${input.spec === undefined ? null : JSON.stringify(input.spec)}::jsonb, spec),
      version = version + 1, updated_at = now() where org_id = ${ctx.orgId} and id = ${id} returning *`.execute(
        tx,
      )
    const rec = toCalendarRecord(r.rows[0]!)
    await audit({
      action: "calendar.updated",
      entityType: "calendar",
      entityId: id,
      before: toCalendarRecord(before),
      after: rec,
    })
    return rec
  })
}

/** "A case received at `from` would be due at …, because …". */
export const previewDue = async (
  db: Database,
  orgId: string,
  input: { calendarId?: string | undefined; spec?: unknown; from: Date; seconds: number },
) => {
  const calendar =
    input.spec !== undefined
      ? compileSpec(input.spec)
      : (await loadCalendar(processDb(db), orgId, input.calendarId ?? "")).calendar
  if (!(Number.isInteger(input.seconds) && input.seconds >= 0 && input.seconds <= MAX_SLA_SECONDS))
    throw new Errors.ValidationError({
      message: "invalid preview",
      issues: [
        {
          path: ["seconds"],
          message: `must be a whole number from 0 to ${MAX_SLA_SECONDS}`,
          code: "wholeRange",
          params: { min: 0, max: MAX_SLA_SECONDS },
        },
      ],
    })
  const e = onCalendar(["from"], () => explainAddBusinessTime(calendar, input.from, input.seconds))
  return {
    from: e.from.toISOString(),
    seconds: e.seconds,
    due: e.due.toISOString(),
    timeZone: e.timeZone,
    periods: e.periods.map((p) => ({
      start: p.start.toISOString(),
      end: p.end.toISOString(),
      seconds: p.seconds,
    })),
    days: e.days,
  }
}
