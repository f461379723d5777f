/**
 * Which domain events tell whom: the mapping from the events of process and standards (and any
 * `core.notification.requested`) to notification requests. The centre delivers what this returns.
 */
import { type Db, Notifications, type Outbox } from "@tenet/core"
import { sql } from "kysely"

/** The event types the notification centre listens to. */
export const NOTIFY_EVENT_TYPES = [
  Notifications.REQUESTED,
  "process.sla.warning",
  "process.sla.breached",
  "process.case.escalated",
  "process.follow_up.overdue",
  "process.case.recurring_issue",
  "standards.review.due",
  "process.cycle.stage_due",
  "report.ready",
] as const

type Payload = Record<string, unknown>
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? v : null)

/** The case facts a notification names (number) and resolves (owner). */
export const caseFacts = async (db: Db.Database, orgId: string, caseId: string) =>
  (
    await sql<{ number: number; owner_id: string | null; team: string | null }>`
      select number, owner_id, team from process.case where org_id = ${orgId} and id = ${caseId}`.execute(
      db.kysely,
    )
  ).rows[0]

/** The request an event stands for (undefined: it tells no one). */
export const requestOf = async (
  db: Db.Database,
  event: Outbox.DomainEvent,
): Promise<Notifications.NotificationRequest | undefined> => {
  const p = (event.payload ?? {}) as Payload
  const onCase = async (
    kind: Notifications.Kind,
    targets: ReadonlyArray<Notifications.EscalationTarget>,
    params: Payload,
  ): Promise<Notifications.NotificationRequest | undefined> => {
    const c = await caseFacts(db, event.orgId, event.aggregateId)
    if (!c) return undefined
    return {
      kind,
      recipients: Notifications.recipientsOf(targets),
      subject: { type: "case", id: event.aggregateId },
      params: Object.fromEntries(
        Object.entries({ number: c.number, ...params }).map(([k, v]) => [k, str(v)]),
      ) as Notifications.NotificationRequest["params"] & object,
      dedupeKey: event.id,
    }
  }
  switch (event.type) {
    case Notifications.REQUESTED: {
      // a request from any module or plugin: only a well-formed one is delivered (a malformed one
      // would fail on every retry)
      const r = p as Partial<Notifications.NotificationRequest>
      if (
        typeof r.kind !== "string" ||
        !Array.isArray(r.recipients) ||
        typeof r.subject?.type !== "string" ||
        typeof r.subject?.id !== "string"
      )
        return undefined
      return { ...(r as Notifications.NotificationRequest), dedupeKey: r.dedupeKey ?? event.id }
    }
    case "process.sla.warning":
      return onCase("sla.warning", ["owner"], { target: p.target, dueAt: p.dueAt })
    case "process.sla.breached":
      return onCase("sla.breached", ["owner", "team_leader"], { target: p.target, dueAt: p.dueAt })
    case "process.case.escalated":
      return onCase(
        "sla.escalated",
        Array.isArray(p.notify) ? (p.notify as Notifications.EscalationTarget[]) : ["owner", "team_leader"],
        { level: p.level, action: p.action, target: p.target },
      )
    case "process.follow_up.overdue":
      return onCase("follow_up.overdue", ["owner"], {})
    case "process.case.recurring_issue":
      return onCase("case.recurring_issue", ["owner", "team_leader"], { contacts: p.contacts })
    case "standards.review.due":
      return {
        kind: "standard.review_due",
        recipients: [
          { type: "role", role: "owner" },
          { type: "role", role: "admin" },
        ],
        subject: { type: "standard", id: event.aggregateId },
        params: {
          key: str(p.key),
          label: str(p.label),
          version: str(p.version),
          nextReviewAt: str(p.nextReviewAt),
        },
        dedupeKey: event.id,
      }
    case "process.cycle.stage_due":
      return {
        kind: "cycle.stage_due",
        recipients:
          typeof p.ownerId === "string"
            ? [{ type: "user", id: p.ownerId }]
            : [{ type: "role", role: "supervisor" }],
        subject: { type: "cycle", id: event.aggregateId },
        params: { number: str(p.number), title: str(p.title), stage: str(p.stage), dueAt: str(p.dueAt) },
        dedupeKey: event.id,
      }
    case "report.ready": {
      // a scheduled report's recipients are e-mail addresses: the organisation's members among them
      // are told (in the app and, by default, by e-mail with the download link)
      const emails = Array.isArray(p.recipients)
        ? p.recipients.filter((x): x is string => typeof x === "string").map((x) => x.toLowerCase())
        : []
      if (emails.length === 0 || typeof p.fileId !== "string") return undefined
      const members = await sql<{ id: string }>`select u.id from iam.user u
        join iam.membership m on m.user_id = u.id and m.org_id = ${event.orgId}
        where lower(u.email) = any(${emails}::text[]) order by u.id`.execute(db.kysely)
      if (members.rows.length === 0) return undefined
      return {
        kind: "report.ready",
        recipients: members.rows.map((m) => ({ type: "user" as const, id: m.id })),
        subject: { type: "report_file", id: p.fileId },
        params: { name: str(p.name), format: str(p.format) },
        // one file tells each person once, however often its event arrives
        dedupeKey: `report.ready:${p.fileId}`,
      }
    }
    default:
      return undefined
  }
}

/** The leader of the team a case is in (`core.team.leader_id`), when it has one. */
const teamLeaderOf = async (db: Db.Database, orgId: string, caseId: string) =>
  (
    await sql<{ leader_id: string | null }>`select t.leader_id from process.case c
      join core.team t on t.org_id = c.org_id and t.id = c.team
      where c.org_id = ${orgId} and c.id = ${caseId}`.execute(db.kysely)
  ).rows[0]?.leader_id ?? null

/**
 * The people a request reaches: members of the organisation only. The team leader is the leader of
 * the case's team; a case whose team has no leader (or that is in no team) reaches every supervisor
 * instead. A case without an owner reaches its team leader instead of the owner.
 */
export const resolveRecipients = async (
  db: Db.Database,
  orgId: string,
  request: Notifications.NotificationRequest,
): Promise<string[]> => {
  const users = new Set<string>()
  const roles = new Set<string>()
  let owner: string | null | undefined
  const caseId = request.subject.type === "case" ? request.subject.id : undefined
  for (const r of request.recipients) {
    if (r.type === "user") users.add(r.id)
    else if (r.type === "role") roles.add(r.role)
    else if (r.type === "team_leader") {
      const leader = caseId ? await teamLeaderOf(db, orgId, caseId) : null
      if (leader) users.add(leader)
      else roles.add("supervisor")
    } else if (r.type === "case_owner" && caseId) {
      owner = (await caseFacts(db, orgId, caseId))?.owner_id ?? null
      if (owner) users.add(owner)
      else {
        const leader = await teamLeaderOf(db, orgId, caseId)
        if (leader) users.add(leader)
        else roles.add("supervisor")
      }
    }
  }
  if (users.size === 0 && roles.size === 0) return []
  const members = await sql<{ user_id: string }>`select user_id from iam.membership
    where org_id = ${orgId} and (user_id = any(${[...users]}::text[]) or role = any(${[...roles]}::text[]))
    order by user_id`.execute(db.kysely)
  return members.rows.map((m) => m.user_id)
}

/** The admin app's page of a subject. */
export const linkOf = (subject: { type: string; id: string }) => {
  const id = encodeURIComponent(subject.id)
  switch (subject.type) {
    case "case":
      return `/cases/${id}`
    case "cycle":
      return `/improvements/${id}`
    case "standard":
      return "/standards"
    case "webhook":
      return "/notifications/webhooks"
    case "report_file":
      return "/reports/files"
    default:
      return "/notifications"
  }
}
