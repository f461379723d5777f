/** The tables of the `notify` module, for `db.as<NotifyTables>()`. */
import type { ColumnType, Generated } from "kysely"

export type Channel = "in_app" | "email" | "digest" | "off"

export interface NotificationTable {
  org_id: string
  id: string
  user_id: string
  kind: string
  subject_type: string
  subject_id: string
  params: Generated<Record<string, string | number | boolean | null>>
  title: { en: string; "zh-CN": string } | null
  dedupe_key: string
  channel: Channel
  created_at: Generated<Date>
  read_at: Date | null
  digest_pending: Generated<boolean>
}

export interface PreferenceTable {
  org_id: string
  user_id: string
  kind: string
  channel: Channel
  updated_at: Generated<Date>
}

export interface EmailTable {
  org_id: string
  id: string
  user_id: string
  to_address: string
  locale: string
  subject: string
  text_body: string
  html_body: string
  dedupe_key: string
  status: Generated<"pending" | "sent" | "failed" | "unconfigured">
  attempts: Generated<number>
  last_error: string | null
  created_at: Generated<Date>
  sent_at: Date | null
  /** A file sent with the e-mail (read when it is sent, so the row stays small). */
  attachment: ColumnType<EmailAttachment | null, string | null | undefined, string | null>
}

/** What an e-mail carries: a produced report (`reports.file`). */
export interface EmailAttachment {
  readonly kind: "report_file"
  readonly fileId: string
}

export interface WebhookSubscriptionTable {
  org_id: string
  id: string
  url: string
  description: Generated<string>
  event_types: string[]
  secret: string
  enabled: Generated<boolean>
  disabled_reason: string | null
  disabled_at: Date | null
  last_success_at: Date | null
  created_by: string
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export type DeliveryStatus = "pending" | "retrying" | "succeeded" | "failed" | "cancelled"

export interface WebhookDeliveryTable {
  org_id: string
  id: string
  subscription_id: string
  message_id: string
  event_id: string
  event_type: string
  body: string
  status: Generated<DeliveryStatus>
  attempts: Generated<number>
  next_attempt_at: Date | null
  last_status_code: number | null
  last_latency_ms: number | null
  last_response: string | null
  last_error: string | null
  replay_of: string | null
  created_at: Generated<Date>
  completed_at: Date | null
}

export interface WebhookAttemptTable {
  org_id: string
  delivery_id: string
  attempt: number
  at: Generated<Date>
  status_code: number | null
  latency_ms: number
  response_excerpt: string | null
  error: string | null
}

export interface NotifyTables {
  "notify.notification": NotificationTable
  "notify.preference": PreferenceTable
  "notify.email": EmailTable
  "notify.webhook_subscription": WebhookSubscriptionTable
  "notify.webhook_delivery": WebhookDeliveryTable
  "notify.webhook_attempt": WebhookAttemptTable
}
