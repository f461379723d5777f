// The import's row mapping: a source row (CSV, NDJSON or a Zendesk ticket) as a case input.
import { createHash } from "node:crypto"
import { STATUSES } from "../Case"
import { vocabularyIssues } from "../config/Vocabulary"
import { checkCaseInput, type HistoricalCaseInput } from "../Intake"
import type { Vocabulary } from "../Store"
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

// Freshdesk (API v2 ticket): numeric codes as documented
const FRESHDESK_TYPE: Record<string, string> = {
  Question: "inquiry",
  Incident: "problem",
  Problem: "problem",
  "Feature Request": "request",
  "Service Request": "request",
  Refund: "request",
}
const FRESHDESK_PRIORITY: Record<string, [string, string]> = {
  "4": ["high", "high"],
  "3": ["high", "medium"],
  "2": ["medium", "medium"],
  "1": ["low", "low"],
}
const FRESHDESK_SOURCE: Record<string, string> = {
  "1": "email",
  "2": "web_form",
  "3": "phone",
  "7": "chat",
  "9": "web_form",
  "10": "email",
}
const FRESHDESK_STATUS: Record<string, string> = {
  "2": "in_progress",
  "3": "pending_customer",
  "4": "resolved",
  "5": "closed",
}

// Zammad (REST API ticket, with expand=true names or the default ids)
const ZAMMAD_PRIORITY: Record<string, [string, string]> = {
  "3 high": ["high", "high"],
  "2 normal": ["medium", "medium"],
  "1 low": ["low", "low"],
  "3": ["high", "high"],
  "2": ["medium", "medium"],
  "1": ["low", "low"],
}
const ZAMMAD_STATE: Record<string, string> = {
  new: "new",
  open: "in_progress",
  "pending reminder": "pending_customer",
  "pending close": "resolved",
  closed: "closed",
  "1": "new",
  "2": "in_progress",
  "3": "pending_customer",
  "4": "closed",
  "7": "resolved",
}
const ZAMMAD_CHANNEL: Record<string, string> = {
  email: "email",
  phone: "phone",
  web: "web_form",
  chat: "chat",
  sms: "social",
  "twitter status": "social",
  "twitter direct-message": "social",
  "facebook feed post": "social",
  telegram: "social",
  whatsapp: "social",
  note: "api",
}

/** A ticket's category: its first tag the organisation's category vocabulary knows. */
const tagCategory = (tags: unknown, vocabulary: Vocabulary | undefined): string | undefined => {
  const list = Array.isArray(tags)
    ? tags.map(String)
    : typeof tags === "string"
      ? tags.split(",").map((t) => t.trim())
      : []
  return vocabulary ? list.find((t) => vocabulary.category.has(t)) : list[0]
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
  vocabulary?: Vocabulary,
): Parsed => {
  const errors: RowError[] = []
  let input: HistoricalCaseInput
  if (format === "freshdesk") input = freshdesk(row, line, errors, vocabulary)
  else if (format === "zammad") input = zammad(row, line, errors, vocabulary)
  else if (format === "zendesk") {
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
    input = {
      externalId: `zendesk:${id}`,
      type: ZENDESK_TYPE[str(row.type) ?? "question"] ?? "inquiry",
      channel: ZENDESK_CHANNEL[via] ?? "api",
      subject: str(row.subject) ?? str(row.raw_subject) ?? "",
      content: str(row.description) ?? "",
      urgency,
      impact,
      category: tagCategory(row.tags, vocabulary),
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
  const vendor = format === "zendesk" || format === "freshdesk" || format === "zammad"
  const source = (field: string) =>
    vendor ? (VENDOR_FIELDS[format]?.[field] ?? field) : (mapping[field] ?? field)
  for (const issue of [
    ...checkCaseInput(input),
    ...(vocabulary ? vocabularyIssues(input, vocabulary) : []),
  ]) {
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

/** The vendor field a Tenet field comes from, so a row error names the column of the file. */
const VENDOR_FIELDS: Partial<Record<ImportFormat, Record<string, string>>> = {
  zendesk: { subject: "subject", content: "description", receivedAt: "created_at", recordedAt: "created_at" },
  freshdesk: {
    subject: "subject",
    content: "description_text",
    receivedAt: "created_at",
    recordedAt: "created_at",
  },
  zammad: {
    subject: "title",
    content: "article.body",
    receivedAt: "created_at",
    recordedAt: "created_at",
    type: "type",
  },
}

const unknownValue = (errors: RowError[], line: number, field: string, what: string, value: unknown) =>
  errors.push({
    line,
    field,
    message: `unknown ${what} "${String(value)}"`,
    code: "unknownValue",
    params: { value: String(value) },
  })

/** A Freshdesk ticket (API v2 JSON, one per line) as a case input. */
const freshdesk = (
  row: Record<string, unknown>,
  line: number,
  errors: RowError[],
  vocabulary: Vocabulary | undefined,
): HistoricalCaseInput => {
  const id = str(row.id)
  if (!id) errors.push({ line, field: "id", message: "a Freshdesk ticket needs its id", code: "required" })
  const status = FRESHDESK_STATUS[str(row.status) ?? "2"]
  if (!status) unknownValue(errors, line, "status", "Freshdesk status", row.status)
  const priority = FRESHDESK_PRIORITY[str(row.priority) ?? "1"]
  if (!priority) unknownValue(errors, line, "priority", "Freshdesk priority", row.priority)
  const type = str(row.type)
  const created = date(row.created_at, "created_at", errors, line)
  const requester = str(row.requester_id)
  return {
    externalId: `freshdesk:${id}`,
    type: type === undefined ? "inquiry" : (FRESHDESK_TYPE[type] ?? type.toLowerCase()),
    channel: FRESHDESK_SOURCE[str(row.source) ?? "1"] ?? "api",
    subject: str(row.subject) ?? "",
    content: str(row.description_text) ?? str(row.description) ?? "",
    urgency: priority?.[0],
    impact: priority?.[1],
    category: tagCategory(row.tags, vocabulary),
    team: str(row.group_id) ? `freshdesk-group-${row.group_id}` : undefined,
    receivedAt: created,
    recordedAt: created,
    ...(status ? { status: status as HistoricalCaseInput["status"] } : {}),
    ...(status === "resolved" || status === "closed"
      ? {
          resolvedAt:
            date(
              get(row, "stats.resolved_at") ?? get(row, "stats.closed_at") ?? row.updated_at,
              "stats.resolved_at",
              errors,
              line,
            ) ?? created,
        }
      : {}),
    customer: requester
      ? {
          externalId: `freshdesk-contact:${requester}`,
          name: str(get(row, "requester.name")) ?? `Freshdesk contact ${requester}`,
          segment: "existing",
        }
      : undefined,
  }
}

/** A Zammad ticket (REST API JSON, one per line; names with expand=true, or the default ids) as a case input. */
const zammad = (
  row: Record<string, unknown>,
  line: number,
  errors: RowError[],
  vocabulary: Vocabulary | undefined,
): HistoricalCaseInput => {
  const id = str(row.id)
  if (!id) errors.push({ line, field: "id", message: "a Zammad ticket needs its id", code: "required" })
  const stateValue = str(row.state) ?? str(row.state_id) ?? "open"
  const status = ZAMMAD_STATE[stateValue]
  if (!status)
    unknownValue(errors, line, row.state !== undefined ? "state" : "state_id", "Zammad state", stateValue)
  const priorityValue = str(row.priority) ?? str(row.priority_id) ?? "2 normal"
  const priority = ZAMMAD_PRIORITY[priorityValue]
  if (!priority)
    unknownValue(
      errors,
      line,
      row.priority !== undefined ? "priority" : "priority_id",
      "Zammad priority",
      priorityValue,
    )
  const created = date(row.created_at, "created_at", errors, line)
  const articles = Array.isArray(row.articles) ? (row.articles as Array<Record<string, unknown>>) : []
  const customerId = str(row.customer_id)
  const customerName = str(row.customer)
  const group = str(row.group) ?? (str(row.group_id) ? `zammad-group-${row.group_id}` : undefined)
  return {
    externalId: `zammad:${id}`,
    // Zammad has no ticket type by default; a `type` attribute (when the instance defines one) is used as is
    type: str(row.type) ?? "inquiry",
    channel: ZAMMAD_CHANNEL[str(row.create_article_type) ?? "note"] ?? "api",
    subject: str(row.title) ?? "",
    content: str(get(row, "article.body")) ?? str(articles[0]?.body) ?? "",
    urgency: priority?.[0],
    impact: priority?.[1],
    category: tagCategory(row.tags, vocabulary),
    team: group,
    receivedAt: created,
    recordedAt: created,
    ...(status ? { status: status as HistoricalCaseInput["status"] } : {}),
    ...(status === "resolved" || status === "closed"
      ? { resolvedAt: date(row.close_at ?? row.updated_at, "close_at", errors, line) ?? created }
      : {}),
    customer:
      customerId || customerName
        ? {
            externalId: `zammad-user:${customerId ?? customerName}`,
            name: customerName ?? `Zammad user ${customerId}`,
            segment: "existing",
          }
        : undefined,
  }
}
