/**
 * Daily rollups of the process metrics, per local day (in the organisation's time zone) and
 * dimension. Case changes mark their local day dirty (from the outbox, or directly by a bulk
 * import); a recurring job recomputes the dirty days from the raw facts every few seconds, so a
 * burst of events on one day costs one recomputation, not one per event. Recomputing is
 * idempotent, so at-least-once delivery is fine. `rebuild` recomputes everything from raw facts
 * and must give the same numbers. Metrics read the rollups when a query covers whole local days
 * in that time zone; otherwise they read raw rows.
 *
 * @since 0.1.0
 */
import { type Db, Jobs, type Outbox, Statistics } from "@tenet/core"
import { type RawBuilder, sql } from "kysely"

/** Rollups run their statements (all `sql`: CTEs over the case and clock tables) on any executor. */
type Ex = Db.Executor

/** Longest rollup key kept as is, in bytes; 7 keys of this size stay far below a btree row's limit (2,704 bytes). */
export const KEY_BYTES = 200

/**
 * A rollup key: the value itself up to `KEY_BYTES` bytes, otherwise its first 40 characters, "…"
 * and the md5 of the whole (at most ~200 bytes, distinct for distinct values). One over-long
 * stored value (a 1 MB team from before intake refused it) then can never fail the rollup's
 * primary key for the whole organisation. Metrics apply the same function to filter values.
 * @category constructors
 * @since 0.2.0
 */
export const rollupKey = (value: RawBuilder<unknown>) =>
  sql`(case when octet_length(${value}) <= ${sql.lit(KEY_BYTES)} then ${value} else left(${value}, 40) || '…' || md5(${value}) end)`

const k = (column: string, fallback?: string) =>
  rollupKey(
    fallback === undefined ? sql.ref(column) : sql`coalesce(${sql.ref(column)}, ${sql.lit(fallback)})`,
  )

const cell = (tz: string) => sql`
  select c.org_id, (c.received_at at time zone ${tz})::date as day,
    ${k("c.channel")} as channel, ${k("c.segment", "—")} as segment, ${k("c.priority")} as priority,
    ${k("c.team", "—")} as team, ${k("c.owner_id", "—")} as agent,
    ${k("c.type")} as type, ${k("c.category", "—")} as category,
    count(*)::int as cases,
    count(*) filter (where fr.status = 'met')::int as fr_met,
    count(*) filter (where fr.status in ('met', 'breached'))::int as fr_due,
    count(*) filter (where rec.status = 'met')::int as rec_met,
    count(*) filter (where rec.status in ('met', 'breached'))::int as rec_due,
    count(*) filter (where res.status = 'met')::int as res_met,
    count(*) filter (where res.status in ('met', 'breached'))::int as res_due,
    count(*) filter (where c.repeat_of is null and c.repeated_by is null and c.resolved_at is not null)::int as fcr_num,
    count(*) filter (where c.repeat_of is null and c.resolved_at is not null)::int as fcr_den,
    count(*) filter (where c.reopen_count > 0)::int as reopen_num,
    count(*) filter (where c.resolved_at is not null or c.reopen_count > 0)::int as reopen_den,
    count(*) filter (where c.escalation_level > 0)::int as escalated
  from process.case c
  left join process.sla_clock fr on fr.org_id = c.org_id and fr.case_id = c.id and fr.target = 'first_response' and fr.seq = 1
  left join process.sla_clock rec on rec.org_id = c.org_id and rec.case_id = c.id and rec.target = 'initial_record' and rec.seq = 1
  left join process.sla_clock res on res.org_id = c.org_id and res.case_id = c.id and res.target = 'resolution' and res.seq = 1`

const GROUP = sql`group by 1, 2, 3, 4, 5, 6, 7, 8, 9`

/**
 * The duration sketches' bins: bin i holds the elapsed seconds s with 1 + s in (γ^(i−1), γ^i], and
 * stands for 2γ^i/(γ+1) − 1, within 1 % of (1 + s). Exact per-day histograms rather than t-digests:
 * they merge by adding counts (days into months, cube rows into dimensions) with no loss, and their
 * error is bounded per value, so a median or p90 from them is within 1 % (+1 s) of the raw one.
 * @category models
 * @since 0.7.0
 */
export const SKETCH_GAMMA = 1.02

/** The value a sketch bin stands for, in seconds. @category constructors @since 0.7.0 */
export const sketchValue = (bin: number) => (2 * SKETCH_GAMMA ** bin) / (SKETCH_GAMMA + 1) - 1

/**
 * `percentile_cont(p)` of the values a merged sketch (bin → count) stands for, and their number.
 * @category constructors
 * @since 0.7.0
 */
export const sketchPercentile = (
  bins: ReadonlyArray<readonly [bin: number, count: number]>,
  p: number,
): { value: number | null; n: number } => {
  const sorted = [...bins].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0])
  const n = sorted.reduce((a, [, c]) => a + c, 0)
  if (n === 0) return { value: null, n: 0 }
  const at = (index: number) => {
    let seen = 0
    for (const [b, c] of sorted) {
      seen += c
      if (index < seen) return sketchValue(b)
    }
    return sketchValue(sorted.at(-1)![0])
  }
  const rank = p * (n - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  const v = at(lo) + (rank - lo) * (at(hi) - at(lo))
  return { value: Math.max(0, v), n }
}

const KEYS = ["channel", "segment", "priority", "team", "agent", "type", "category"] as const

/** Fill the cube rows' sketches from the stopped first-response and resolution clocks of the cases `where` selects. */
const sketchCube = (tz: string, where: RawBuilder<unknown>) => sql`
  update process.metric_rollup r set fr_hist = coalesce(h.fr, '{}'::jsonb), res_hist = coalesce(h.res, '{}'::jsonb)
  from (
    select org_id, day, channel, segment, priority, team, agent, type, category,
      jsonb_object_agg(b::text, n) filter (where target = 'first_response') as fr,
      jsonb_object_agg(b::text, n) filter (where target = 'resolution') as res
    from (
      select c.org_id, (c.received_at at time zone ${tz})::date as day,
        ${k("c.channel")} as channel, ${k("c.segment", "—")} as segment, ${k("c.priority")} as priority,
        ${k("c.team", "—")} as team, ${k("c.owner_id", "—")} as agent,
        ${k("c.type")} as type, ${k("c.category", "—")} as category, s.target,
        ceil(ln(1 + greatest(s.elapsed_seconds, 0)) / ln(${sql.lit(SKETCH_GAMMA)}))::int as b, count(*)::int as n
      from process.case c join process.sla_clock s on s.org_id = c.org_id and s.case_id = c.id and s.seq = 1
        and s.target in ('first_response', 'resolution') and s.stopped_at is not null and s.elapsed_seconds is not null
      where ${where}
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ) x
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
  ) h
  where r.org_id = h.org_id and r.day = h.day and ${sql.join(
    KEYS.map((key) => sql`${sql.ref(`r.${key}`)} = ${sql.ref(`h.${key}`)}`),
    sql` and `,
  )}`

/** The per-dimension rows' sketches: the cube rows' merged (counts added per bin). */
const sketchDimensions = (where: RawBuilder<unknown>) => sql`
  update process.metric_rollup_dim t set fr_hist = s.fr, res_hist = s.res
  from (
    select org_id, day, dim, value,
      coalesce(jsonb_object_agg(b, n) filter (where h = 'fr'), '{}'::jsonb) as fr,
      coalesce(jsonb_object_agg(b, n) filter (where h = 'res'), '{}'::jsonb) as res
    from (
      select r.org_id, r.day, d.dim, d.value, e.h, e.b, sum(e.n)::int as n
      from process.metric_rollup r
      cross join lateral (values ('', ''), ${sql.join(DIMENSIONS.map((d) => sql`(${d}, ${sql.ref(`r.${d}`)})`))}) as d(dim, value)
      cross join lateral (
        select 'fr' as h, x.key as b, x.value::int as n from jsonb_each_text(r.fr_hist) x
        union all select 'res', y.key, y.value::int from jsonb_each_text(r.res_hist) y
      ) e
      where ${where}
      group by 1, 2, 3, 4, 5, 6
    ) z
    group by 1, 2, 3, 4
  ) s
  where t.org_id = s.org_id and t.day = s.day and t.dim = s.dim and t.value = s.value`

/** The dimensions of the cube, also the `dim` values of `metric_rollup_dim`. @category models @since 0.1.0 */
export const DIMENSIONS = ["channel", "segment", "priority", "team", "agent", "type", "category"] as const

const COUNTS = [
  "cases",
  "fr_met",
  "fr_due",
  "rec_met",
  "rec_due",
  "res_met",
  "res_due",
  "fcr_num",
  "fcr_den",
  "reopen_num",
  "reopen_den",
  "escalated",
]

/** Per-dimension rows (and the total, dim = '') summed from the cube rows matching `where`. */
const perDimension = (where: ReturnType<typeof sql>) => sql`insert into process.metric_rollup_dim
  select r.org_id, r.day, d.dim, d.value, ${sql.join(COUNTS.map((c) => sql`sum(${sql.ref(`r.${c}`)})::int`))}
  from process.metric_rollup r
  cross join lateral (values ('', ''), ${sql.join(DIMENSIONS.map((d) => sql`(${d}, ${sql.ref(`r.${d}`)})`))}) as d(dim, value)
  where ${where} group by r.org_id, r.day, d.dim, d.value`

const timeZoneOf = async (ex: Ex, orgId: string) =>
  (await sql<{ time_zone: string }>`select time_zone from core.organization where id = ${orgId}`.execute(ex))
    .rows[0]?.time_zone ?? "UTC"

/** Recompute every rollup row of one local day from raw facts. @category constructors @since 0.1.0 */
export const recomputeDay = async (ex: Ex, orgId: string, day: string, tz: string) => {
  await sql`delete from process.metric_rollup where org_id = ${orgId} and day = ${day}::date`.execute(ex)
  await sql`insert into process.metric_rollup
    ${cell(tz)} where c.org_id = ${orgId} and c.received_at >= (${day}::date::timestamp at time zone ${tz})
      and c.received_at < ((${day}::date + 1)::timestamp at time zone ${tz}) ${GROUP}`.execute(ex)
  await sketchCube(
    tz,
    sql`c.org_id = ${orgId} and c.received_at >= (${day}::date::timestamp at time zone ${tz})
      and c.received_at < ((${day}::date + 1)::timestamp at time zone ${tz})`,
  ).execute(ex)
  await sql`delete from process.metric_rollup_dim where org_id = ${orgId} and day = ${day}::date`.execute(ex)
  await perDimension(sql`r.org_id = ${orgId} and r.day = ${day}::date`).execute(ex)
  await sketchDimensions(sql`r.org_id = ${orgId} and r.day = ${day}::date`).execute(ex)
}

/**
 * Rebuild all rollups of an organisation from raw facts and mark them ready (in the
 * organisation's current time zone).
 * @category constructors
 * @since 0.1.0
 */
export const rebuild = async (db: Db.Database, orgId: string) => {
  const built = await rebuildIn(db, orgId)
  // a bulk write: fresh statistics for the rollup tables (PGlite has no autovacuum)
  await Statistics.analyse(db, ["process.metric_rollup", "process.metric_rollup_dim"])
  return built
}

const rebuildIn = (db: Db.Database, orgId: string) =>
  db.kysely.transaction().execute(async (tx) => {
    const tz = await timeZoneOf(tx, orgId)
    await sql`delete from process.metric_rollup where org_id = ${orgId}`.execute(tx)
    await sql`insert into process.metric_rollup ${cell(tz)} where c.org_id = ${orgId} ${GROUP}`.execute(tx)
    await sketchCube(tz, sql`c.org_id = ${orgId}`).execute(tx)
    await sql`delete from process.metric_rollup_dim where org_id = ${orgId}`.execute(tx)
    await perDimension(sql`r.org_id = ${orgId}`).execute(tx)
    await sketchDimensions(sql`r.org_id = ${orgId}`).execute(tx)
    await sql`insert into process.rollup_state (org_id, time_zone, built_at) values (${orgId}, ${tz}, now())
      on conflict (org_id) do update set time_zone = excluded.time_zone, built_at = excluded.built_at`.execute(
      tx,
    )
    await sql`delete from process.rollup_dirty where org_id = ${orgId}`.execute(tx)
    await Jobs.scheduleIn(tx, refreshJob(orgId))
    const n = await sql<{
      n: number
    }>`select count(*)::int as n from process.metric_rollup where org_id = ${orgId}`.execute(tx)
    return { rows: n.rows[0]!.n, timeZone: tz }
  })

/** The time zone the organisation's rollups are built in, when they are. @category constructors @since 0.1.0 */
export const state = async (ex: Ex, orgId: string) =>
  (
    await sql<{
      time_zone: string
    }>`select time_zone from process.rollup_state where org_id = ${orgId}`.execute(ex)
  ).rows[0]?.time_zone

/** The job kind that recomputes dirty days. @category models @since 0.2.0 */
export const REFRESH_JOB = "process.rollups.refresh"

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
 * Make sure every organisation with built rollups has its refresh job (at start-up; a job that
 * failed for good is revived).
 * @category constructors
 * @since 0.2.0
 */
export const ensureRefreshJobs = async (db: Db.Database) => {
  const orgs = await sql<{ org_id: string }>`select org_id from process.rollup_state`.execute(db.kysely)
  await Jobs.scheduleManyIn(
    db.kysely,
    orgs.rows.map((r) => refreshJob(r.org_id)),
  )
}

/**
 * Mark the local days of these cases (and of the cases they repeat) dirty, in the caller's
 * transaction. Nothing happens for an organisation whose rollups are not built.
 * @category constructors
 * @since 0.2.0
 */
export const markCasesDirty = async (ex: Ex, orgId: string, caseIds: ReadonlyArray<string>) => {
  if (caseIds.length === 0) return
  await sql`insert into process.rollup_dirty (org_id, day)
    select distinct s.org_id, (c.received_at at time zone s.time_zone)::date
    from process.rollup_state s
    join (select k.received_at from process.case k where k.org_id = ${orgId} and k.id in (${sql.join(caseIds)})
      union all
      select p.received_at from process.case k join process.case p on p.org_id = k.org_id and p.id = k.repeat_of
      where k.org_id = ${orgId} and k.id in (${sql.join(caseIds)})) c on true
    where s.org_id = ${orgId}
    on conflict do nothing`.execute(ex)
}

/**
 * Mark the local days of these instants dirty (a bulk import knows its cases' received times).
 * @category constructors
 * @since 0.2.0
 */
export const markDirtyAt = async (ex: Ex, orgId: string, instants: ReadonlyArray<Date>) => {
  if (instants.length === 0) return
  await sql`insert into process.rollup_dirty (org_id, day)
    select distinct s.org_id, (t.value::timestamptz at time zone s.time_zone)::date
    from process.rollup_state s, json_array_elements_text(${JSON.stringify(instants)}::json) as t(value)
    where s.org_id = ${orgId}
    on conflict do nothing`.execute(ex)
}

/**
 * Recompute the dirty days of an organisation (or of all) and clear them, each organisation in
 * one transaction. Returns how many days were recomputed.
 *
 * Reads call this first (read your writes). Calls for one organisation are coalesced: a caller
 * needs a refresh that started after its own start (`freshAsOf`, default now) — every write it
 * must see had committed by then — so it reuses a refresh that began since, waits for the one
 * running if that began since, or shares the next one with every caller that arrives meanwhile.
 * Under a steady stream of writes, concurrent dashboards and metrics then cost one refresh at a
 * time instead of one each, and a dashboard's many metrics one in all.
 * @category constructors
 * @since 0.2.0
 */
export const refreshDirty = async (
  db: Db.Database,
  orgId?: string,
  options: { readonly freshAsOf?: number } = {},
): Promise<number> => {
  if (!orgId) return refreshNow(db)
  const asOf = options.freshAsOf ?? Date.now()
  const byOrg = refreshes.get(db) ?? new Map<string, RefreshState>()
  refreshes.set(db, byOrg)
  const st = byOrg.get(orgId) ?? { doneStartedAt: 0 }
  byOrg.set(orgId, st)
  // strictly later: a write in the same millisecond as a refresh's start may have missed it
  if (st.doneStartedAt > asOf) return 0
  if (st.running && st.running.startedAt > asOf) return st.running.promise
  if (!st.next) {
    const previous = st.running?.promise.catch(() => 0) ?? Promise.resolve(0)
    st.next = previous.then(() => {
      const startedAt = Date.now()
      const promise = refreshNow(db, orgId).then(
        (n) => {
          st.doneStartedAt = Math.max(st.doneStartedAt, startedAt)
          return n
        },
        (e) => {
          throw e
        },
      )
      st.running = { startedAt, promise }
      st.next = undefined
      promise
        .finally(() => {
          if (st.running?.promise === promise) st.running = undefined
        })
        .catch(() => {})
      return promise
    })
  }
  return st.next
}

interface RefreshState {
  /** When the last finished refresh started (its dirty days were taken after that instant). */
  doneStartedAt: number
  running?: { readonly startedAt: number; readonly promise: Promise<number> } | undefined
  next?: Promise<number> | undefined
}
const refreshes = new WeakMap<Db.Database, Map<string, RefreshState>>()

const refreshNow = async (db: Db.Database, orgId?: string): Promise<number> => {
  const orgs = await sql<{
    org_id: string
    time_zone: string
  }>`select distinct d.org_id, s.time_zone from process.rollup_dirty d
    join process.rollup_state s on s.org_id = d.org_id ${orgId ? sql`where d.org_id = ${orgId}` : sql``}`.execute(
    db.kysely,
  )
  let days = 0
  for (const { org_id, time_zone } of orgs.rows)
    days += await db.kysely.transaction().execute(async (tx) => {
      const taken = await sql<{
        day: string
      }>`delete from process.rollup_dirty where org_id = ${org_id} returning day::text as day`.execute(tx)
      let done = 0
      for (const { day } of taken.rows) {
        // each day on its own savepoint: a day that cannot be recomputed stays dirty (and is
        // reported in failedDays) instead of failing every other day of the organisation
        await sql`savepoint rollup_day`.execute(tx)
        try {
          await recomputeDay(tx, org_id, day, time_zone)
          await sql`release savepoint rollup_day`.execute(tx)
          done++
        } catch (e) {
          await sql`rollback to savepoint rollup_day`.execute(tx)
          await sql`insert into process.rollup_dirty (org_id, day) values (${org_id}, ${day}::date) on conflict do nothing`.execute(
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

/** Days whose last recomputation failed (organisation:day → message), for operators and tests. */
const failedDays = new Map<string, string>()

/**
 * Whether an organisation has days that are still dirty after a refresh (their recomputation
 * failed): metrics then read raw rows instead of stale rollups.
 * @category guards
 * @since 0.2.0
 */
export const hasStaleDays = async (ex: Ex, orgId: string, from: string, to: string) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from process.rollup_dirty
      where org_id = ${orgId} and day >= ${from}::date and day < ${to}::date`.execute(ex)
  ).rows[0]!.n > 0

/** The scheduler job that refreshes dirty days. @category constructors @since 0.2.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [REFRESH_JOB]: async (job, db) => {
    await refreshDirty(db, job.orgId)
  },
}

/**
 * The outbox handler keeping rollups current: each case event marks its case's day (and, for a
 * repeat contact, the day of the case it repeats) dirty, for the refresh job.
 * @category constructors
 * @since 0.1.0
 */
export const handler: Outbox.EventHandler = {
  name: "process.rollups",
  types: ["process.case.*", "process.sla.*", "process.follow_up.*"],
  handle: async (event, db) => {
    await markCasesDirty(db.kysely, event.orgId, [event.aggregateId])
  },
  handleMany: async (events, db) => {
    const byOrg = new Map<string, Set<string>>()
    for (const e of events) byOrg.set(e.orgId, (byOrg.get(e.orgId) ?? new Set()).add(e.aggregateId))
    for (const [orgId, ids] of byOrg) await markCasesDirty(db.kysely, orgId, [...ids])
  },
}

/** Whether [from, to) covers whole local days in `tz`. @category guards @since 0.1.0 */
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
