/** The privacy screens' data: the shapes the API returns and the queries that read them. */
import { useQuery } from "@tanstack/react-query"
import { api, getCurrentOrg } from "../../api/client"

export type L10n = Record<string, string>
export const loc = (v: L10n | undefined, lang: string) => v?.[lang] ?? v?.en ?? ""

export interface DataClassItem {
  id: string
  module: string
  name: L10n
  description: L10n
  table: string
  columns: string[]
  category: "general" | "sensitive"
  subjects: "customer" | "staff"
  purposes: L10n[]
  basis: string
  declared: { minDays: number; maxDays: number | null }
  policy: { minDays: number; maxDays: number | null; overridden: boolean } | null
  purge: "delete" | "anonymise"
}
export interface DryRunItem {
  classId: string
  action: "delete" | "anonymise"
  due: number
  held: number
  policy: { minDays: number; maxDays: number | null }
}
export interface Hold {
  id: string
  scope: "customer" | "case" | "class"
  target: string
  reason: string
  placedBy: string
  placedAt: string
  releasedAt: string | null
}
export interface Purge {
  id: string
  at: string
  classId: string
  action: "delete" | "anonymise"
  count: number
  hashedIds: string[]
  trigger: "schedule" | "manual" | "request"
  requestId: string | null
  policy: { minDays: number; maxDays: number | null; cutoff: string | null }
}
export interface Kept {
  classId: string
  count: number
  reason: "minimum" | "hold" | "no_maximum_reached"
  until: string | null
  why: L10n
}
export interface SubjectRequest {
  id: string
  customerId: string
  kind: "access" | "correction" | "deletion" | "restriction"
  status: "received" | "verified" | "done" | "refused"
  locale: "zh-CN" | "en"
  channel: string
  receivedAt: string
  dueAt: string
  verifiedAt: string | null
  verification: string | null
  closedAt: string | null
  daysLeft: number | null
  refusalReason: string | null
  outcome: {
    removed: Array<{ classId: string; count: number; action: string }>
    kept: Kept[]
    corrected?: string[]
  } | null
  corrections: Record<string, string>
}
export interface PrivacySettings {
  requestDays: number
  reminderDays: number
  calendarId: string | null
  calendarSource: "settings" | "service" | "none"
  correctionFields: Array<{ field: string; classId: string; label: L10n; perRecord: boolean }>
}
/** A record of the customer whose text a correction can correct (`key` = `field@recordId`). */
export interface CorrectableRecord {
  key: string
  field: string
  recordId: string
  classId: string
  label: L10n
  at: string | null
  current: string
}
export interface ConsentRecord {
  id: string
  channel: "service" | "survey" | "marketing"
  granted: boolean
  noticeVersion: string
  source: string
  recordedBy: string
  recordedAt: string
}

const org = () => getCurrentOrg()
export const useInventory = () =>
  useQuery({
    queryKey: ["privacy", "inventory", org()],
    queryFn: () => api<{ items: DataClassItem[] }>("/api/v1/privacy/inventory"),
  })
export const useDryRun = () =>
  useQuery({
    queryKey: ["privacy", "dry-run", org()],
    queryFn: () => api<{ items: DryRunItem[] }>("/api/v1/privacy/retention/dry-run"),
  })
export const useHolds = () =>
  useQuery({
    queryKey: ["privacy", "holds", org()],
    queryFn: () => api<{ items: Hold[] }>("/api/v1/privacy/holds"),
  })
export const usePurges = () =>
  useQuery({
    queryKey: ["privacy", "purges", org()],
    queryFn: () => api<{ items: Purge[] }>("/api/v1/privacy/purges"),
  })
export const useRequests = () =>
  useQuery({
    queryKey: ["privacy", "requests", org()],
    queryFn: () => api<{ items: SubjectRequest[] }>("/api/v1/privacy/requests"),
  })
export const usePrivacySettings = () =>
  useQuery({
    queryKey: ["privacy", "settings", org()],
    queryFn: () => api<PrivacySettings>("/api/v1/privacy/settings"),
  })
export const useCorrectable = (customerId: string, enabled: boolean) =>
  useQuery({
    queryKey: ["privacy", "correctable", customerId, org()],
    enabled: enabled && customerId.trim() !== "",
    queryFn: () =>
      api<{ items: CorrectableRecord[] }>(
        `/api/v1/privacy/customers/${encodeURIComponent(customerId.trim())}/correctable`,
      ),
  })
/** A correction key as the officer reads it: the field's label, and the record for a record field. */
export const correctionLabel = (
  key: string,
  fields: PrivacySettings["correctionFields"] | undefined,
  language: string,
): string => {
  const at = key.indexOf("@")
  const field = at < 0 ? key : key.slice(0, at)
  const f = fields?.find((x) => x.field === field)
  const name = f ? loc(f.label, language) : field
  return at < 0 ? name : `${name} (${key.slice(at + 1)})`
}
export const useConsents = (customerId: string) =>
  useQuery({
    queryKey: ["privacy", "consents", customerId, org()],
    queryFn: () =>
      api<{ items: ConsentRecord[]; restrictedSince: string | null }>(
        `/api/v1/privacy/customers/${encodeURIComponent(customerId)}/consents`,
      ),
  })
