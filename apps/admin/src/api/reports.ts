/** Scheduled reports, management reviews, compliance schedules and the public report: types and hooks. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { components } from "@tenet/client"
import { api, call, getCurrentOrg, tenet } from "./client"

type Schemas = components["schemas"]

export type Frequency = "daily" | "weekly" | "monthly"
export type CadenceFields = {
  frequency: Frequency
  time: string
  weekday?: number | null
  monthDay?: number | null
  timeZone?: string
  enabled?: boolean
}
export interface ReportSchedule extends Required<Omit<CadenceFields, "weekday" | "monthDay">> {
  id: string
  name: string
  source: "dashboard" | "compliance" | "cases"
  params: Record<string, string>
  format: "pdf" | "xlsx" | "csv"
  locale: "zh-CN" | "en"
  weekday: number | null
  monthDay: number | null
  recipients: string[]
  nextRunAt: string | null
  lastRunAt: string | null
  lastFileId: string | null
  lastError: string | null
}
/** A schedule as the server takes it (its OpenAPI `ReportSchedule` input). */
export type ReportScheduleInput = Schemas["ReportSchedule"]
export interface ReportFile {
  id: string
  scheduleId: string | null
  name: string
  format: string
  size: number
  from: string | null
  to: string | null
  createdAt: string
}
export interface ComplianceSchedule {
  standardId: string
  frequency: Frequency
  time: string
  weekday: number | null
  monthDay: number | null
  timeZone: string
  enabled: boolean
  nextRunAt: string | null
  lastRunAt: string | null
  lastEvaluationId: string | null
}
export interface ManagementReview {
  id: string
  title: string
  from: string
  to: string
  heldAt: string
  compliance: Array<{
    standardId: string
    title: Record<string, string>
    evaluationId: string | null
    version: number | null
    from: string | null
    to: string | null
    summary: { met: number; atRisk: number; breached: number; noData: number } | null
  }>
  openCycles: Array<{ id: string; title: string; status: string }>
  risks: string[]
  decisions: Array<{ text: string; owner?: string; due?: string }>
  attendees: string[]
  notes: string | null
}
export interface PublicSettings {
  slug: string
  enabled: boolean
  title: string
  intro: string | null
  kpis: string[]
  period: "last_7_days" | "last_30_days" | "last_month"
  scheduleId: string | null
}
export interface PublicReport {
  organization: string
  title: string
  intro: string | null
  from: string
  to: string
  timeZone: string
  generatedAt: string
  items: Array<{
    key: string
    metric: string
    requirement: string
    code: string | null
    valueText: string
    targetText: string
    status: "met" | "at_risk" | "breached" | "no_data"
    n: number
    interval: { lower: number; upper: number; confidence: number } | null
    unit: string
    value: number | null
  }>
  report: { name: string; format: string; createdAt: string; downloadPath: string } | null
}

const k = {
  schedules: () => ["reports", "schedules", getCurrentOrg()] as const,
  files: () => ["reports", "files", getCurrentOrg()] as const,
  compliance: () => ["reports", "compliance", getCurrentOrg()] as const,
  reviews: () => ["reports", "reviews", getCurrentOrg()] as const,
  publicSettings: () => ["reports", "public", getCurrentOrg()] as const,
}

export const useReportSchedules = () =>
  useQuery({
    queryKey: k.schedules(),
    queryFn: () => api<{ items: ReportSchedule[] }>("/api/v1/reports/schedules"),
  })
export const useReportFiles = () =>
  useQuery({ queryKey: k.files(), queryFn: () => api<{ items: ReportFile[] }>("/api/v1/reports/files") })
export const useComplianceSchedules = () =>
  useQuery({
    queryKey: k.compliance(),
    queryFn: () => api<{ items: ComplianceSchedule[] }>("/api/v1/compliance/schedules"),
  })
export const useReviews = () =>
  useQuery({ queryKey: k.reviews(), queryFn: () => api<{ items: ManagementReview[] }>("/api/v1/reviews") })
export const usePublicSettings = () =>
  useQuery({
    queryKey: k.publicSettings(),
    queryFn: () => api<PublicSettings>("/api/v1/reports/public-settings"),
  })

const useInvalidate = () => {
  const qc = useQueryClient()
  return () => qc.invalidateQueries({ queryKey: ["reports"] })
}
export const useSaveSchedule = () => {
  const done = useInvalidate()
  return useMutation({
    mutationFn: async ({ id, input }: { id?: string | undefined; input: ReportScheduleInput }) => {
      await (id
        ? call(tenet.PUT("/api/v1/reports/schedules/{id}", { params: { path: { id } }, body: input }))
        : call(tenet.POST("/api/v1/reports/schedules", { body: input })))
    },
    onSuccess: done,
  })
}
export const useDeleteSchedule = () => {
  const done = useInvalidate()
  return useMutation({
    mutationFn: async (id: string) => {
      await call(tenet.DELETE("/api/v1/reports/schedules/{id}", { params: { path: { id } } }))
    },
    onSuccess: done,
  })
}
export const useRunSchedule = () => {
  const done = useInvalidate()
  return useMutation({
    mutationFn: async (id: string) => {
      await call(tenet.POST("/api/v1/reports/schedules/{id}/run", { params: { path: { id } } }))
    },
    onSuccess: done,
  })
}
export const useSetComplianceSchedule = () => {
  const done = useInvalidate()
  return useMutation({
    mutationFn: async ({
      standardId,
      input,
    }: {
      standardId: string
      input: Schemas["ComplianceSchedule"]
    }) => {
      await call(
        tenet.PUT("/api/v1/standards/{id}/compliance-schedule", {
          params: { path: { id: standardId } },
          body: input,
        }),
      )
    },
    onSuccess: done,
  })
}
export const useCreateReview = () => {
  const done = useInvalidate()
  return useMutation({
    mutationFn: async (input: Schemas["ManagementReviewInput"]) => {
      await call(tenet.POST("/api/v1/reviews", { body: input }))
    },
    onSuccess: done,
  })
}
export const useSavePublicSettings = () => {
  const done = useInvalidate()
  return useMutation({
    mutationFn: async (input: Schemas["PublicReportSettings"]) => {
      await call(tenet.PUT("/api/v1/reports/public-settings", { body: input }))
    },
    onSuccess: done,
  })
}
