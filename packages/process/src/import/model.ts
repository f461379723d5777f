// The import's models: formats, the column mapping, row errors and the summary of a run.
import type { HistoricalCaseInput } from "../Intake"

/** @category models @since 0.1.0 */
export type ImportFormat = "csv" | "ndjson" | "zendesk" | "freshdesk" | "zammad"

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

/** A source row as a case input, or its errors. */
export interface Parsed {
  readonly line: number
  readonly input?: HistoricalCaseInput
  readonly errors: RowError[]
}
