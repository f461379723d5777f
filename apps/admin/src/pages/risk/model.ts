/** The risk screens' data: the shapes the API returns and the queries that read them. */
import { useQuery } from "@tanstack/react-query"
import { api, getCurrentOrg } from "../../api/client"

export type L10n = Record<string, string>
export type BandSeverity = "low" | "medium" | "high" | "very_high"
export interface Rating {
  likelihood: number
  impact: number
  score: number
  band: string
  severity: BandSeverity
  colour: string
}
export interface Matrix {
  id: string
  name: L10n
  likelihood: Array<{ name: L10n }>
  impact: Array<{ name: L10n }>
  bands: Array<{ id: string; name: L10n; colour: string; severity: BandSeverity; min: number; max: number }>
}
export interface Risk {
  id: string
  number: number
  title: string
  categoryId: string
  cause: string
  event: string
  consequence: string
  ownerId: string
  matrixId: string
  inherent: Rating
  residual: Rating
  controls: Array<{ title: string; effectiveness?: string }>
  status: string
  reviewCadenceDays: number
  nextReviewAt: string
  reviewOverdue: boolean
}
export interface RiskDetail extends Risk {
  matrix: Matrix
  history: Array<{
    id: string
    kind: string
    likelihood: number
    impact: number
    score: number
    band: string
    rationale: string
    source: string
    kriId: string | null
    ratedBy: string
    ratedAt: string
  }>
}
export interface Kri {
  id: string
  riskId: string
  name: string
  metricId: string
  windowDays: number
  direction: "above" | "below"
  amber: number
  red: number
  mode: "suggest" | "automatic"
  cycleWorkflowId: string | null
  state: "green" | "amber" | "red" | "no_data"
  lastValue: number | null
  lastEvaluatedAt: string | null
}
export interface Reading {
  at: string
  value: number | null
  state: string
  crossed: boolean
}
export interface Cell {
  likelihood: number
  impact: number
  score: number
  band: string
  colour: string
  inherent: string[]
  residual: string[]
}
export interface Plan {
  id: string
  title: string
  scenario: string
  triggers: Array<{ kind: "manual" | "kri"; description: string; kriId?: string; tier?: string }>
  tiers: Array<{ id: string; name: L10n; criteria: string }>
  steps: Array<{ id: string; title: string; role: string; limitMinutes: number; tiers?: string[] }>
  channels: Array<{ channel: string; instead: string; how: string }>
  contacts: Array<{ name: string; role: string; phone?: string; email?: string }>
  lastExercisedAt: string | null
  lastActivatedAt: string | null
}
export interface Activation {
  id: string
  planId: string
  tier: string
  reason: string
  status: "active" | "closed"
  startedAt: string
  closedAt: string | null
  cycleId: string | null
  review: { summary: string; whatWorked: string; whatFailed: string; actions: string[] } | null
}
export interface ActivationDetail extends Activation {
  plan: Plan
  timeline: Array<{
    id: string
    happenedAt: string
    recordedAt: string
    recordedBy: string
    recordedLate: boolean
    stepId: string | null
    note: string
  }>
  checklist: Array<{
    id: string
    title: string
    role: string
    limitMinutes: number
    dueAt: string
    doneAt: string | null
    late: boolean
  }>
}
export interface Incident {
  id: string
  number: number
  title: string
  kind: string
  severity: string
  status: string
  startedAt: string
  detectedAt: string
  containedAt: string | null
  resolvedAt: string | null
  affectedCustomers: number
  affectedCases: string[]
  cases: Array<{ id: string; number: number | null }>
  dataCategories: string[]
  lessons: string | null
  notices: Array<{
    regime: string
    notice: string
    dueAt: string
    sentAt: string | null
    remainingMs: number | null
    overdue: boolean
  }>
}

export type TreatmentStatus = "planned" | "in_progress" | "done" | "cancelled"
export const TREATMENT_OPTIONS = [
  "avoid",
  "take",
  "remove_source",
  "change_likelihood",
  "change_consequence",
  "share",
  "retain",
] as const
export interface Treatment {
  id: string
  riskId: string
  option: (typeof TREATMENT_OPTIONS)[number]
  title: string
  ownerId: string
  dueAt: string
  status: TreatmentStatus
  doneAt: string | null
  overdue: boolean
}
export interface Acceptance {
  id: string
  riskId: string
  status: "draft" | "submitted" | "accepted" | "rejected" | "expired"
  rationale: string
  residualScore: number
  expiresAt: string
  submittedBy: string | null
  submittedAt: string | null
  decidedBy: string | null
  decidedAt: string | null
  decisionNote: string | null
  createdBy: string
}
export interface Finding {
  text: string
  followUp?: string
  ownerId?: string
  due?: string
  done?: boolean
  doneAt?: string
  doneBy?: string
}
export interface Exercise {
  id: string
  planId: string
  kind: "tabletop" | "walkthrough" | "simulation" | "full"
  heldAt: string
  participants: string[]
  findings: Finding[]
  openFollowUps: number
}

const org = () => getCurrentOrg()
export const useRisks = () =>
  useQuery({
    queryKey: ["risk", "risks", org()],
    queryFn: () => api<{ items: Risk[] }>("/api/v1/risk/risks"),
  })
export const useRisk = (id: string) =>
  useQuery({
    queryKey: ["risk", "risk", id, org()],
    queryFn: () => api<RiskDetail>(`/api/v1/risk/risks/${id}`),
  })
export const useCategories = () =>
  useQuery({
    queryKey: ["risk", "categories", org()],
    queryFn: () => api<{ items: Array<{ id: string; name: L10n }> }>("/api/v1/risk/categories"),
  })
export const useHeatMap = () =>
  useQuery({
    queryKey: ["risk", "heat", org()],
    queryFn: () => api<{ matrix: Matrix; cells: Cell[] }>("/api/v1/risk/heat-map"),
  })
export const useKris = (riskId?: string) =>
  useQuery({
    queryKey: ["risk", "kris", riskId ?? "", org()],
    queryFn: () =>
      api<{ items: Kri[] }>(`/api/v1/risk/kris${riskId ? `?riskId=${encodeURIComponent(riskId)}` : ""}`),
  })
export const useKriHistory = (id: string) =>
  useQuery({
    queryKey: ["risk", "kri", id, org()],
    queryFn: () => api<{ items: Reading[] }>(`/api/v1/risk/kris/${id}/history`),
  })
export const usePlans = () =>
  useQuery({
    queryKey: ["risk", "plans", org()],
    queryFn: () => api<{ items: Plan[] }>("/api/v1/risk/plans"),
  })
export const useActivations = () =>
  useQuery({
    queryKey: ["risk", "activations", org()],
    queryFn: () => api<{ items: Activation[] }>("/api/v1/risk/activations"),
  })
export const useActivation = (id: string) =>
  useQuery({
    queryKey: ["risk", "activation", id, org()],
    queryFn: () => api<ActivationDetail>(`/api/v1/risk/activations/${id}`),
  })
export const useTreatments = (riskId: string) =>
  useQuery({
    queryKey: ["risk", "treatments", riskId, org()],
    queryFn: () =>
      api<{ items: Treatment[] }>(`/api/v1/risk/treatments?riskId=${encodeURIComponent(riskId)}`),
  })
export const useAcceptances = (riskId: string) =>
  useQuery({
    queryKey: ["risk", "acceptances", riskId, org()],
    queryFn: () =>
      api<{ items: Acceptance[] }>(`/api/v1/risk/acceptances?riskId=${encodeURIComponent(riskId)}`),
  })
export const useExercises = () =>
  useQuery({
    queryKey: ["risk", "exercises", org()],
    queryFn: () => api<{ items: Exercise[] }>("/api/v1/risk/exercises"),
  })
export interface Suggestion {
  id: string
  riskId: string
  kriId: string
  fromLikelihood: number
  toLikelihood: number
  status: string
  createdAt: string
}
export interface Round {
  id: string
  title: string
  status: "open" | "closed"
  openedBy: string
  openedAt: string
  closedAt: string | null
  rated: number
  notRated: string[]
}
export interface LibraryInfo {
  source: string
  id: string
  version: string
  name: L10n
  matrices: string[]
  categories: string[]
}
export const useSuggestions = () =>
  useQuery({
    queryKey: ["risk", "suggestions", org()],
    queryFn: () => api<{ items: Suggestion[] }>("/api/v1/risk/suggestions"),
  })
export const useRounds = () =>
  useQuery({
    queryKey: ["risk", "rounds", org()],
    queryFn: () => api<{ items: Round[] }>("/api/v1/risk/rounds"),
  })
export const useOverdueReviews = () =>
  useQuery({
    queryKey: ["risk", "overdue", org()],
    queryFn: () => api<{ items: Risk[] }>("/api/v1/risk/reviews/overdue"),
  })
export const useLibraries = () =>
  useQuery({
    queryKey: ["risk", "libraries", org()],
    queryFn: () => api<{ items: LibraryInfo[] }>("/api/v1/risk/libraries"),
  })
export const useIncidents = () =>
  useQuery({
    queryKey: ["risk", "incidents", org()],
    queryFn: () => api<{ items: Incident[] }>("/api/v1/risk/incidents"),
    refetchInterval: 60_000,
  })

/** The incidents that affected one service case. */
export const useCaseIncidents = (caseId: string, enabled: boolean) =>
  useQuery({
    queryKey: ["risk", "incidents", "case", caseId, org()],
    queryFn: () => api<{ items: Incident[] }>(`/api/v1/risk/incidents?caseId=${encodeURIComponent(caseId)}`),
    enabled,
  })

/** The case refs typed in a list ("1024, #1025 1026"): numbers or ids, separated by commas or spaces. */
export const caseRefs = (text: string) =>
  text
    .split(/[\s,，、]+/)
    .map((x) => x.trim())
    .filter(Boolean)

export const loc = (v: L10n | undefined, lang: string) => v?.[lang] ?? v?.en ?? ""
export const TONE: Record<BandSeverity, "ok" | "warn" | "bad" | "accent"> = {
  low: "ok",
  medium: "accent",
  high: "warn",
  very_high: "bad",
}
export const KRI_TONE = { green: "ok", amber: "warn", red: "bad", no_data: undefined } as const
