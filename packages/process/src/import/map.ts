// The import's row mapping: a source row (CSV, NDJSON or a Zendesk ticket) as a case input.
import { createHash } from "node:crypto"
import { STATUSES } from "../Case"
import { checkCaseInput, type HistoricalCaseInput } from "../Intake"
import type { ImportFormat, Mapping, Parsed, RowError } from "./model"

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
