/**
 * Daily rollups of the survey metrics (CSAT, DSAT, NPS, CES, response rate, survey sent within
 * 24 h of resolution), per local day in the organisation's time zone and per single dimension
 * (channel, segment, team, agent, case type; dim '' is the day's total), kept the way the process
 * metrics keep theirs: every write to an invitation or a response marks the local days it touches
 * dirty in its own transaction; a recurring job (and every read, first) recomputes the dirty days
 * from the raw rows. Recomputing is idempotent. `rebuild` recomputes everything from raw rows.
 *
 * Each count is an integer (CES keeps the sum and the sum of squares of its scores), and the raw
 * metric computes the same integers from the rows: rollup and raw give identical numbers. The
 * rollups answer a query when they are built in its time zone, it covers whole local days, it uses
 * at most one dimension (grouped by or filtered on) and none of its days is stale; otherwise the
 * metric reads the raw rows.
 *
 * @since 0.2.0
 */
import { type Contracts, type Db, Jobs, Statistics } from "@tenet/core"
import { type RawBuilder, sql } from "kysely"

type Ex = Db.Executor

/** The dimensions kept, and their column on invitations and responses. @category models @since 0.2.0 */
export const COLUMNS: Readonly<Record<string, string>> = {
  channel: "channel",
  segment: "segment",
  team: "team",
  agent: "agent_id",
  type: "case_type",
}

/** Skips that are the organisation's choice (sampling, opt-out, the cap): not counted by "survey within 24 h". */
export const CHOSEN_SKIPS: ReadonlyArray<string> = ["sampled_out", "opted_out", "recently_surveyed"]

/** Longest key kept as is, in bytes (longer values: 40 characters, "…" and their md5). @category models @since 0.2.0 */
export const KEY_BYTES = 200

/** A rollup key of a value (the same function is applied to filter values). @category constructors @since 0.2.0 */
export const rollupKey = (value: RawBuilder<unknown>) =>
  sql`(case when octet_length(${value}) <= ${sql.lit(KEY_BYTES)} then ${value} else left(${value}, 40) || '…' || md5(${value}) end)`

const COUNTS = [
  "csat_n",
  "csat_top",
  "csat_bottom",
  "nps_n",
  "nps_promoters",
  "nps_passives",
  "nps_detractors",
  "ces_n",
  "ces_sum",
  "ces_sumsq",
  "sent",
  "answered",
  "w24_num",
  "w24_den",
] as const
const FLOATS = new Set(["ces_sum", "ces_sumsq"])

const dims = (a: string) =>
  sql.join(
    Object.entries(COLUMNS).map(([d, c]) => sql`${sql.ref(`${a}.${c}`)} as ${sql.id(d)}`),
    sql`, `,
  )
const zeros = (names: ReadonlyArray<string>) =>
  sql.join(
    names.map((n) => sql`0 as ${sql.id(n)}`),
    sql`, `,
  )

/**
 * One row per fact (a scored response, an invitation sent, a dispatched invitation of a resolved
 * case) of an organisation, with its local day, dimensions and counts; `range` narrows each source
 * to its own time column.
 */
const facts = (orgId: string, tz: string, range: (col: RawBuilder<unknown>) => RawBuilder<unknown>) => {
  const day = (col: string) => sql`(${sql.ref(col)} at time zone ${tz})::date`
  const r = (k: string) => sql.raw(`r.score_kind = '${k}'`)
  return sql`
    select ${day("r.submitted_at")} as day, ${dims("r")},
      (${r("csat")})::int as csat_n, (${r("csat")} and r.score >= 4)::int as csat_top, (${r("csat")} and r.score <= 2)::int as csat_bottom,
      (${r("nps")})::int as nps_n, (${r("nps")} and r.score >= 9)::int as nps_promoters,
      (${r("nps")} and r.score between 7 and 8)::int as nps_passives, (${r("nps")} and r.score <= 6)::int as nps_detractors,
      (${r("ces")})::int as ces_n, (case when ${r("ces")} then r.score else 0 end)::float8 as ces_sum,
      (case when ${r("ces")} then r.score * r.score else 0 end)::float8 as ces_sumsq,
      ${zeros(["sent", "answered", "w24_num", "w24_den"])}
    from feedback.response r
    where r.org_id = ${orgId} and r.score is not null and r.score_kind is not null and ${range(sql.ref("r.submitted_at"))}
    union all
    select ${day("i.sent_at")}, ${dims("i")}, ${zeros(COUNTS.slice(0, 10))},
      1, (i.status = 'answered')::int, 0, 0
    from feedback.invitation i
    where i.org_id = ${orgId} and i.sent_at is not null and ${range(sql.ref("i.sent_at"))}
    union all
    select ${day("i.resolved_at")}, ${dims("i")}, ${zeros(COUNTS.slice(0, 12))},
      (i.sent_at is not null and i.sent_at <= i.resolved_at + interval '24 hours')::int, 1
    from feedback.invitation i
    where i.org_id = ${orgId} and i.source = 'dispatch' and i.resolved_at is not null
      and not (i.status = 'skipped' and i.skip_reason = any(${[...CHOSEN_SKIPS]}::text[]))
      and ${range(sql.ref("i.resolved_at"))}`
}

const sums = (a: string) =>
  sql.join(
    COUNTS.map(
      (c) => sql`sum(${sql.ref(`${a}.${c}`)})::${sql.raw(FLOATS.has(c) ? "float8" : "int")} as ${sql.id(c)}`,
    ),
    sql`, `,
  )

/** Insert the rollup rows of the facts selected by `range`. */
const insertRows = (orgId: string, tz: string, range: (col: RawBuilder<unknown>) => RawBuilder<unknown>) => {
  const names = Object.keys(COLUMNS)
  const key = (d: string) => rollupKey(sql`coalesce(${sql.ref(`f.${d}`)}, '—')`)
  return sql`
    with f as (${facts(orgId, tz, range)}),
    c as (select f.day, ${sql.join(
      names.map((d) => sql`${key(d)} as ${sql.id(d)}`),
      sql`, `,
    )}, ${sums("f")} from f group by ${sql.join(
      names.map((_, i) => sql.raw(String(i + 2))),
      sql`, `,
    )}, 1)
    insert into feedback.metric_rollup (org_id, day, dim, value, ${sql.join(
      COUNTS.map((c) => sql.id(c)),
      sql`, `,
    )})
    select ${orgId}, c.day, d.dim, d.value, ${sums("c")}
    from c cross join lateral (values ('', ''), ${sql.join(
      names.map((d) => sql`(${d}, ${sql.ref(`c.${d}`)})`),
      sql`, `,
    )}) as d(dim, value)
    group by c.day, d.dim, d.value`
}

const timeZoneOf = async (ex: Ex, orgId: string) =>
  (await sql<{ time_zone: string }>`select time_zone from core.organization where id = ${orgId}`.execute(ex))
    .rows[0]?.time_zone ?? "UTC"

/** Recompute one local day's rows from the raw rows. @category constructors @since 0.2.0 */
export const recomputeDay = async (ex: Ex, orgId: string, day: string, tz: string) => {
  await sql`delete from feedback.metric_rollup where org_id = ${orgId} and day = ${day}::date`.execute(ex)
  await insertRows(
    orgId,
    tz,
    (col) =>
      sql`${col} >= (${day}::date::timestamp at time zone ${tz}) and ${col} < ((${day}::date + 1)::timestamp at time zone ${tz})`,
  ).execute(ex)
}

/** The job kind that recomputes dirty days. @category models @since 0.2.0 */
export const REFRESH_JOB = "feedback.rollups.refresh"
/** Seconds between two refreshes of an organisation's dirty days. @category models @since 0.2.0 */
export const REFRESH_SECONDS = 5

const refreshJob = (orgId: string): Jobs.JobInput => ({
  orgId,
  kind: REFRESH_JOB,
  key: "refresh",
  runAt: new Date(),
  everySeconds: REFRESH_SECONDS,
  maxAttempts: 1000,
})

/**
 * Rebuild an organisation's rollups from the raw rows, in its current time zone, and keep them
 * fresh from then on (the refresh job). Days marked dirty while it runs stay dirty.
 * @category constructors
 * @since 0.2.0
 */
export const rebuild = async (db: Db.Database, orgId: string) => {
  const built = await db.kysely.transaction().execute(async (tx) => {
    const tz = await timeZoneOf(tx, orgId)
    // dirty marks first: a write committed after this point is marked again (its day recomputed later)
    await sql`delete from feedback.rollup_dirty where org_id = ${orgId}`.execute(tx)
    await sql`insert into feedback.rollup_state (org_id, time_zone, built_at) values (${orgId}, ${tz}, now())
      on conflict (org_id) do update set time_zone = excluded.time_zone, built_at = excluded.built_at`.execute(
      tx,
    )
    await sql`delete from feedback.metric_rollup where org_id = ${orgId}`.execute(tx)
    await insertRows(orgId, tz, () => sql`true`).execute(tx)
    await Jobs.scheduleIn(tx, refreshJob(orgId))
    const n = await sql<{
      n: number
    }>`select count(*)::int as n from feedback.metric_rollup where org_id = ${orgId}`.execute(tx)
    return { rows: n.rows[0]!.n, timeZone: tz }
  })
  await Statistics.analyse(db, ["feedback.metric_rollup"])
  return built
}

/** The time zone an organisation's rollups are built in, when they are. @category constructors @since 0.2.0 */
export const state = async (ex: Ex, orgId: string) =>
  (
    await sql<{
      time_zone: string
    }>`select time_zone from feedback.rollup_state where org_id = ${orgId}`.execute(ex)
  ).rows[0]?.time_zone

/**
 * Mark the local days of these instants dirty, in the caller's transaction (nothing happens for an
 * organisation whose rollups are not built).
 * @category constructors
 * @since 0.2.0
 */
export const markDirtyAt = async (
  ex: Ex,
  orgId: string,
  instants: ReadonlyArray<Date | string | null | undefined>,
) => {
  const at = instants.filter((x): x is Date | string => x !== null && x !== undefined)
  if (at.length === 0) return
  await sql`insert into feedback.rollup_dirty (org_id, day)
    select distinct s.org_id, (t.value::timestamptz at time zone s.time_zone)::date
    from feedback.rollup_state s, json_array_elements_text(${JSON.stringify(at)}::json) as t(value)
    where s.org_id = ${orgId}
    on conflict do nothing`.execute(ex)
}

/** Days whose last recomputation failed (organisation:day → message), for operators and tests. */
export const failedDays = new Map<string, string>()

/**
 * Recompute the dirty days of one organisation (or of all) and clear them, each organisation in one
 * transaction and each day on its own savepoint (a day that fails stays dirty: reads then use raw
 * rows). A concurrent refresh waits on the rows this one took. Returns the days recomputed.
 * @category constructors
 * @since 0.2.0
 */
export const refreshDirty = async (db: Db.Database, orgId?: string): Promise<number> => {
  const orgs = await sql<{
    org_id: string
    time_zone: string
  }>`select distinct d.org_id, s.time_zone from feedback.rollup_dirty d
    join feedback.rollup_state s on s.org_id = d.org_id ${orgId ? sql`where d.org_id = ${orgId}` : sql``}`.execute(
    db.kysely,
  )
  let days = 0
  for (const { org_id, time_zone } of orgs.rows)
    days += await db.kysely.transaction().execute(async (tx) => {
      const taken = await sql<{
        day: string
      }>`delete from feedback.rollup_dirty where org_id = ${org_id} returning day::text as day`.execute(tx)
      let done = 0
      for (const { day } of taken.rows) {
        await sql`savepoint feedback_rollup_day`.execute(tx)
        try {
          await recomputeDay(tx, org_id, day, time_zone)
          await sql`release savepoint feedback_rollup_day`.execute(tx)
          done++
        } catch (e) {
          await sql`rollback to savepoint feedback_rollup_day`.execute(tx)
          await sql`insert into feedback.rollup_dirty (org_id, day) values (${org_id}, ${day}::date) on conflict do nothing`.execute(
            tx,
          )
          failedDays.set(`${org_id}:${day}`, (e as Error).message)
          if (failedDays.size > 1000) failedDays.delete(failedDays.keys().next().value!)
        }
      }
      return done
    })
  return days
}

/**
 * Make sure every organisation with built rollups has its refresh job (at start-up).
 * @category constructors
 * @since 0.2.0
 */
export const ensureRefreshJobs = async (db: Db.Database) => {
  const orgs = await sql<{ org_id: string }>`select org_id from feedback.rollup_state`.execute(db.kysely)
  await Jobs.scheduleManyIn(
    db.kysely,
    orgs.rows.map((r) => refreshJob(r.org_id)),
  )
}

/** The scheduler job that refreshes dirty days. @category constructors @since 0.2.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [REFRESH_JOB]: async (job, db) => {
    await refreshDirty(db, job.orgId)
  },
}

/** Whether [from, to) covers whole local days in `tz`. @category guards @since 0.2.0 */
export const wholeDays = (from: Date, to: Date, tz: string) => {
  const local = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", {
      timeZone: tz,
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    }).format(d)
  return local(from) === "00:00:00" && local(to) === "00:00:00" && from < to
}

const localDay = (d: Date, tz: string) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(d)

/** A row as a metric reads it: its bucket, dimensions and the counts it selects. @category models @since 0.2.0 */
export type RollupRow = { bucket: string | null } & Record<string, unknown>

/**
 * Read a metric's counts from the rollups: `select` sums rollup columns (alias `r`) under the names
 * the metric's raw query gives them, `having` keeps the groups the raw query would have (those with
 * at least one fact). Undefined when the rollups cannot answer (the caller reads raw rows);
 * `params.source = "raw"` forces raw.
 * @category constructors
 * @since 0.2.0
 */
export const read = async (
  db: Db.Database,
  q: Contracts.MetricQuery,
  select: RawBuilder<unknown>,
  having: RawBuilder<unknown>,
): Promise<RollupRow[] | undefined> => {
  if (q.params?.source === "raw") return undefined
  const g = [...(q.groupBy ?? [])]
  const filter = Object.entries(q.filter ?? {})
  const used = [...new Set([...g, ...filter.map(([k]) => k)])]
  if (used.length > 1 || used.some((d) => !Object.hasOwn(COLUMNS, d))) return undefined
  // a filter on "—" (the key of a missing value) matches nothing raw: let raw rows say so
  if (filter.some(([, v]) => v === "—")) return undefined
  const tz = await state(db.kysely, q.orgId)
  if (!tz || tz !== q.timeZone || !wholeDays(q.from, q.to, tz)) return undefined
  // read your writes: days changed since the last refresh are recomputed first (usually none)
  await refreshDirty(db, q.orgId)
  const from = localDay(q.from, tz)
  const to = localDay(q.to, tz)
  const stale = await sql<{ n: number }>`select count(*)::int as n from feedback.rollup_dirty
    where org_id = ${q.orgId} and day >= ${from}::date and day < ${to}::date`.execute(db.kysely)
  if (stale.rows[0]!.n > 0) return undefined
  const bucket =
    q.bucket === "none"
      ? sql`null::text`
      : q.bucket === "day"
        ? sql`to_char(r.day, 'YYYY-MM-DD')`
        : sql`to_char(date_trunc(${q.bucket}, r.day::timestamp), 'YYYY-MM-DD')`
  const where = [
    sql`r.org_id = ${q.orgId}`,
    sql`r.dim = ${used[0] ?? ""}`,
    sql`r.day >= ${from}::date`,
    sql`r.day < ${to}::date`,
    ...filter.map(([, v]) => sql`r.value = ${rollupKey(sql`${v}::text`)}`),
  ]
  const dimSel = g.length ? sql`, r.value as ${sql.id(`dim_${g[0]}`)}` : sql``
  const groupBy = g.length ? sql`, 2` : sql``
  const r = await sql<RollupRow>`select ${bucket} as bucket ${dimSel}, ${select}
    from feedback.metric_rollup r where ${sql.join(where, sql` and `)}
    group by 1 ${groupBy} having ${having} order by 1 ${groupBy}`.execute(db.kysely)
  return r.rows
}
