import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { components } from "@tenet/client"
import { api, call, getCurrentOrg, tenet } from "./client"

type Schemas = components["schemas"]

export interface CaseRow {
  id: string
  number: number
  externalId: string | null
  customerId: string | null
  customerName?: string | null
  segment: string | null
  type: string
  channel: string
  subject: string
  content: string
  status: string
  urgency: string
  impact: string
  priority: string
  category: string | null
  tier: string
  team: string | null
  ownerId: string | null
  receivedAt: string
  recordedAt: string | null
  firstResponseAt: string | null
  resolvedAt: string | null
  closedAt: string | null
  reopenCount: number
  escalationLevel: number
  repeatOf: string | null
  policyId: string | null
  policyVersion: number | null
  slaState: "ok" | "warning" | "breached" | "paused" | "met" | "none"
  nextDueAt: string | null
  milestones?: Array<{ name: string; due?: string; doneAt?: string | null }>
}
export interface CasePage {
  items: CaseRow[]
  nextCursor: string | null
  total: number
  totalCapped: boolean
}
export interface LedgerEntry {
  target: string
  seq: number
  status: "running" | "paused" | "met" | "breached"
  targetSeconds: number
  startedAt: string
  dueAt: string | null
  stoppedAt: string | null
  breachedAt: string | null
  elapsedSeconds: number | null
  pauses: Array<{ from: string; to: string | null; reason: string }>
  explanation: {
    consumedSeconds: number
    remainingSeconds: number
    periods: Array<{ start: string; end: string; seconds: number }>
    days: Array<{ date: string; kind: string }>
  }
}
export interface CaseEvent {
  seq: number
  id: string
  at: string
  kind: string
  channel: string | null
  direction: string | null
  actorType: string
  actorId: string
  content: string | null
  /** Who took part besides the agent (a reply's participants). */
  participants?: string[]
  data: Record<string, unknown>
}
/** A case's customer; `masked` when the caller lacks pi:read (names, contacts and ids masked). */
export interface CaseCustomer {
  id: string
  name: string
  segment: string
  externalId: string | null
  valueTier: string | null
  contacts?: Array<{ channel: string; value: string }>
  masked?: boolean
}

export interface CaseDetail {
  case: CaseRow
  customer: CaseCustomer | null
  events: CaseEvent[]
  followUps: Array<{ id: string; kind: string; dueAt: string; doneAt: string | null; outcome: string | null }>
  ledger: LedgerEntry[]
  policy: {
    id: string
    name: string
    version: number
    calendar: { id: string; name: string; timeZone: string }
  } | null
  /** The statuses the case may move to now (the server's `CaseTransition.to`). */
  allowedTransitions: Array<Schemas["CaseTransition"]["to"]>
}
export interface Slot {
  0: string
  1: string
}
export interface CalendarSpec {
  timeZone: string
  hours: Partial<Record<string, Array<[string, string]>>>
  holidays?: string[]
  workdays?: Array<{ date: string; hours: Array<[string, string]> }>
}
export interface CalendarRec {
  id: string
  name: string
  spec: CalendarSpec
  version: number
}
export interface PolicyRec {
  id: string
  name: string
  position: number
  active: boolean
  version: number
  definition: {
    conditions: Record<string, string[] | undefined>
    calendarId: string
    targets: Partial<Record<string, number>>
    pauseStatuses: string[]
    warnAt: number
    escalations: Array<{ afterSeconds: number; action: string; team?: string; notify?: string[] }>
  }
}

const org = () => getCurrentOrg()
export const processKeys = {
  cases: (q: Record<string, string | undefined>) => ["cases", org(), q] as const,
  case: (id: string) => ["case", org(), id] as const,
  customers: (q: Record<string, string | undefined>) => ["customers", org(), q] as const,
  calendars: () => ["calendars", org()] as const,
  policies: () => ["policies", org()] as const,
  imports: () => ["imports", org()] as const,
  vocabulary: () => ["vocabulary", org()] as const,
  settings: () => ["process-settings", org()] as const,
}

export const qs = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]))).toString()

export const useCases = (q: Record<string, string | undefined>) =>
  useQuery({
    queryKey: processKeys.cases(q),
    queryFn: () => api<CasePage>(`/api/v1/process/cases?${qs(q)}`),
    placeholderData: keepPreviousData,
  })
export const useCase = (id: string) =>
  useQuery({
    queryKey: processKeys.case(id),
    queryFn: () => api<CaseDetail>(`/api/v1/process/cases/${id}`),
    retry: false,
  })
/** A refused import row: its line, the source column, and the message (with its code, see `issueText`). */
export interface ImportRowError {
  readonly line: number
  readonly field: string
  readonly message: string
  readonly code?: string
  readonly params?: Readonly<Record<string, string | number>>
}

/** A customer as the customers list gives it (with the number of their cases). */
export interface CustomerRow {
  readonly id: string
  readonly name: string
  readonly externalId: string | null
  readonly segment: string
  readonly valueTier: string | null
  readonly dedicatedTeam: string | null
  readonly cases: number
}
export const useCustomers = (q: Record<string, string | undefined>, enabled = true) =>
  useQuery({
    enabled,
    queryKey: processKeys.customers(q),
    queryFn: () =>
      api<{ items: CustomerRow[]; nextCursor: string | null }>(`/api/v1/process/customers?${qs(q)}`),
    placeholderData: keepPreviousData,
  })
export const useCalendars = () =>
  useQuery({
    queryKey: processKeys.calendars(),
    queryFn: () => api<{ items: CalendarRec[] }>("/api/v1/process/calendars"),
  })
export const usePolicies = () =>
  useQuery({
    queryKey: processKeys.policies(),
    queryFn: () => api<{ items: PolicyRec[] }>("/api/v1/process/sla-policies"),
  })
/** Recent imports; polled every second while `live` (an import is running), so its progress shows. */
export const useImports = (live = false) =>
  useQuery({
    queryKey: processKeys.imports(),
    refetchInterval: live ? 1000 : false,
    queryFn: () =>
      api<{
        items: Array<{
          id: string
          source: string
          format: string
          status: string
          rows: number
          imported: number
          skipped: number
          failed: number
          errors: ImportRowError[]
          startedAt: string
        }>
      }>("/api/v1/process/imports"),
  })

export const useCaseAction = (id: string) => {
  const qc = useQueryClient()
  const done = () =>
    Promise.all([qc.invalidateQueries({ queryKey: ["case"] }), qc.invalidateQueries({ queryKey: ["cases"] })])
  return {
    transition: useMutation({
      mutationFn: async (body: Schemas["CaseTransition"]) => {
        await call(tenet.POST("/api/v1/process/cases/{id}/transitions", { params: { path: { id } }, body }))
      },
      onSuccess: done,
    }),
    reply: useMutation({
      mutationFn: async (body: Schemas["CaseReply"]) => {
        await call(tenet.POST("/api/v1/process/cases/{id}/replies", { params: { path: { id } }, body }))
      },
      onSuccess: done,
    }),
    note: useMutation({
      mutationFn: async (body: Schemas["CaseNote"]) => {
        await call(tenet.POST("/api/v1/process/cases/{id}/notes", { params: { path: { id } }, body }))
      },
      onSuccess: done,
    }),
    completeFollowUp: useMutation({
      mutationFn: async ({ followUpId, outcome }: { followUpId: string } & Schemas["CompleteFollowUp"]) => {
        await call(
          tenet.POST("/api/v1/process/follow-ups/{id}/complete", {
            params: { path: { id: followUpId } },
            body: { outcome },
          }),
        )
      },
      onSuccess: done,
    }),
  }
}
/** Reveal a masked customer (pi:write): the server writes the reveal to the PI access log. */
export const useRevealCustomer = () =>
  useMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) =>
      api<CaseCustomer & { accessId: string }>(`/api/v1/process/customers/${id}/reveal`, {
        method: "POST",
        body: reason ? { reason } : {},
      }),
  })

export const useCreateCase = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<CaseRow>("/api/v1/process/cases", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["cases"] }),
  })
}
export const useUpdatePolicy = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({
      id,
      ...body
    }: {
      id: string
      definition?: PolicyRec["definition"]
      active?: boolean
      expectedVersion?: number
    }) => api<PolicyRec>(`/api/v1/process/sla-policies/${id}`, { method: "PATCH", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["policies"] }),
  })
}
export const useUpdateCalendar = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ id, ...body }: { id: string; spec?: CalendarSpec; name?: string }) => {
      await call(tenet.PATCH("/api/v1/process/calendars/{id}", { params: { path: { id } }, body }))
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["calendars"] }),
  })
}

/** A case type or category of the organisation, with its label in both languages. */
export type VocabularyEntry = Schemas["VocabularyInput"] & { active: boolean; position: number }
export const useVocabulary = () =>
  useQuery({
    queryKey: processKeys.vocabulary(),
    queryFn: () => api<{ items: VocabularyEntry[] }>("/api/v1/process/vocabulary"),
    staleTime: 60_000,
  })
export const useSaveVocabulary = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: Schemas["VocabularyInput"]) => {
      await call(tenet.POST("/api/v1/process/vocabulary", { body }))
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["vocabulary"] }),
  })
}

/** The process settings (priority matrix, windows, default policy, intake record, return visits). */
export interface ProcessSettings {
  priorityMatrix: Record<string, Record<string, string>>
  reopenWindowDays: number
  repeatWindowDays: number
  defaultPolicyId: string | null
  recordRequires: Array<"customer" | "content" | "category">
  returnVisit: { afterDays: number; everyDays: number; times: number }
}
export const useProcessSettings = () =>
  useQuery({
    queryKey: processKeys.settings(),
    queryFn: () => api<ProcessSettings>("/api/v1/process/settings"),
  })
export const useUpdateProcessSettings = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: Schemas["ProcessSettingsPatch"]) => {
      await call(tenet.PATCH("/api/v1/process/settings", { body }))
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["process-settings"] }),
  })
}

/** Complete or correct a case's record (category, content, customer, milestones). */
export const useUpdateCase = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (body: Schemas["CasePatch"]) => {
      await call(tenet.PATCH("/api/v1/process/cases/{id}", { params: { path: { id } }, body }))
    },
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ["case"] }),
        qc.invalidateQueries({ queryKey: ["cases"] }),
      ]),
  })
}

/** Create a customer, or edit one (by id). */
export const useSaveCustomer = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ id, ...body }: Schemas["CustomerInput"] & { id?: string | undefined }) => {
      if (id) await call(tenet.PATCH("/api/v1/process/customers/{id}", { params: { path: { id } }, body }))
      else await call(tenet.POST("/api/v1/process/customers", { body }))
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["customers"] }),
  })
}
