/** Surveys, responses, results and feedback items: types and hooks. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { components } from "@tenet/client"
import { api, call, tenet } from "./client"

/** A survey's definition as the server's OpenAPI document states it, and its parts. */
export type SurveyDefinition = components["schemas"]["SurveyDefinition"]
export type SurveyQuestion = SurveyDefinition["questions"][number]
export type Localized = SurveyDefinition["title"]
export interface SurveySummary {
  id: string
  name: string
  kind: SurveyDefinition["kind"]
  latestVersion: number
  publishedVersion: number | null
  updatedAt: string
}
export interface SurveyDetail extends SurveySummary {
  versions: Array<{
    version: number
    status: "draft" | "published" | "superseded"
    definition: SurveyDefinition
    publishedAt: string | null
  }>
}
export interface Estimate {
  value: number | null
  lower: number | null
  upper: number | null
  numerator?: number
  n: number
}
export interface SurveyResults {
  kind: "csat" | "nps" | "ces"
  n: number
  invited: number
  responseRate: Estimate
  score: Estimate
  dissatisfied: Estimate
  distribution: Array<{ score: number; count: number }>
  warning: "below_minimum_n" | null
  minN: number
  previous: { score: Estimate; difference: number | null; pValue: number | null; significant: boolean }
  dimensions: Array<{
    dimension: string
    n: number
    mean: number
    lower: number | null
    upper: number | null
  }>
  weighted: {
    by: "segment"
    score: Estimate & { coveredWeight: number }
    strata: Array<{ segment: string; invited: number; responded: number; satisfied: number }>
  } | null
  drivers: Array<{ driver: string; r: number; lower: number; upper: number; n: number; mean: number }>
}
export interface SurveyResponse {
  id: string
  surveyVersion: number
  caseId: string | null
  score: number | null
  sentiment: "positive" | "neutral" | "negative"
  comment: string | null
  channel: string | null
  segment: string | null
  followUpId: string | null
  submittedAt: string
}
export interface Clock {
  target: "reply" | "acknowledge" | "respond"
  dueAt: string
  stoppedAt: string | null
  state: "running" | "overdue" | "met" | "breached"
  basis: string
}
export interface FeedbackItem {
  id: string
  kind: "suggestion" | "praise" | "complaint"
  channel: string
  summary: string
  urgency: "urgent" | "normal" | "non_urgent"
  status: "open" | "replied" | "closed"
  stage: string | null
  causeCode: string | null
  receivedAt: string
  repeatOf: string | null
  clocks: Clock[]
}

const k = {
  surveys: () => ["feedback", "surveys"] as const,
  survey: (id: string) => ["feedback", "surveys", id] as const,
  results: (q: string) => ["feedback", "results", q] as const,
  responses: (q: string) => ["feedback", "responses", q] as const,
  items: (q: string) => ["feedback", "items", q] as const,
}

export const useSurveys = () =>
  useQuery({
    queryKey: k.surveys(),
    queryFn: () => api<{ items: SurveySummary[] }>("/api/v1/feedback/surveys"),
  })
export const useSurvey = (id: string | undefined) =>
  useQuery({
    queryKey: k.survey(id ?? ""),
    queryFn: () => api<SurveyDetail>(`/api/v1/feedback/surveys/${id}`),
    enabled: Boolean(id),
  })
export const useSurveyResults = (kind: "csat" | "nps" | "ces", from: string, to: string) => {
  const q = new URLSearchParams({ kind, from, to }).toString()
  return useQuery({
    queryKey: k.results(q),
    queryFn: () => api<SurveyResults>(`/api/v1/feedback/results?${q}`),
  })
}
/** A keyset cursor: the last row's time and id. */
export interface Cursor {
  at: string
  id: string
}
export const responsesQuery = (
  from: string,
  to: string,
  o: { sentiment?: SurveyResponse["sentiment"] | undefined; after?: Cursor | undefined; limit?: number } = {},
) =>
  new URLSearchParams({
    from,
    to,
    limit: String(o.limit ?? 100),
    ...(o.sentiment ? { sentiment: o.sentiment } : {}),
    ...(o.after ? { afterAt: o.after.at, afterId: o.after.id } : {}),
  }).toString()
export const useSurveyResponses = (
  from: string,
  to: string,
  o: Parameters<typeof responsesQuery>[2] = {},
) => {
  const q = responsesQuery(from, to, o)
  return useQuery({
    queryKey: k.responses(q),
    queryFn: () => api<{ items: SurveyResponse[] }>(`/api/v1/feedback/responses?${q}`),
    placeholderData: (previous) => previous,
  })
}
export const itemsQuery = (
  o: {
    kind?: FeedbackItem["kind"] | undefined
    status?: FeedbackItem["status"] | undefined
    before?: Cursor | undefined
    limit?: number
  } = {},
) =>
  new URLSearchParams({
    limit: String(o.limit ?? 100),
    ...(o.kind ? { kind: o.kind } : {}),
    ...(o.status ? { status: o.status } : {}),
    ...(o.before ? { beforeAt: o.before.at, beforeId: o.before.id } : {}),
  }).toString()
export const useFeedbackItems = (o: Parameters<typeof itemsQuery>[0] = {}) => {
  const q = itemsQuery(o)
  return useQuery({
    queryKey: k.items(q),
    queryFn: () => api<{ items: FeedbackItem[] }>(`/api/v1/feedback/items?${q}`),
    placeholderData: (previous) => previous,
  })
}
export const useCreateSurvey = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: components["schemas"]["SurveyCreate"]) =>
      call(tenet.POST("/api/v1/feedback/surveys", { body: input })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["feedback"] }),
  })
}
export const usePublishSurvey = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (id: string) => {
      await call(tenet.POST("/api/v1/feedback/surveys/{id}/publish", { params: { path: { id } } }))
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["feedback"] }),
  })
}

/** A complaint's (or any item's) ledger entry: a stage change, a reply, the receipt. */
export interface ItemLedgerEntry {
  seq: number
  at: string
  kind: string
  from: string | null
  to: string | null
  actorId: string
  note: string | null
}
export type ComplaintStage =
  | "received"
  | "acknowledged"
  | "assessed"
  | "investigating"
  | "response_proposed"
  | "decision_communicated"
  | "closed_accepted"
  | "closed_escalated"
/** A stage a complaint can be moved to (every stage but the first). */
export type StepTarget = components["schemas"]["ComplaintStep"]["to"]
export interface FeedbackItemDetail extends FeedbackItem {
  stage: ComplaintStage | null
  details: string
  caseId: string | null
  customerKey: string | null
  repliedAt: string | null
  reply: string | null
  remedySought: string | null
  severity: "low" | "medium" | "high" | null
  complexity: "simple" | "complex" | "particularly_complex" | null
  decision: string | null
  remedyOffered: string | null
  accepted: boolean | null
  handlingSatisfaction: number | null
  ledger: ItemLedgerEntry[]
  /** The stages a complaint may go to next (empty once closed, or for other kinds). */
  next: StepTarget[]
}
export interface Cause {
  code: string
  name: Localized
  parentCode: string | null
  active: boolean
}
export interface Pareto {
  total: number
  causes: Array<{ code: string; count: number; share: number; cumulative: number }>
}
export type DispatchRule = components["schemas"]["SurveyDispatchRule"] & { id: string }

export const useFeedbackItem = (id: string) =>
  useQuery({
    queryKey: ["feedback", "item", id],
    queryFn: () => api<FeedbackItemDetail>(`/api/v1/feedback/items/${id}`),
  })
const useFeedbackMutation = <I, R>(fn: (input: I) => Promise<R>) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["feedback"] }),
  })
}
export const useStepComplaint = (id: string) =>
  useFeedbackMutation((body: components["schemas"]["ComplaintStep"]) =>
    call(tenet.POST("/api/v1/feedback/complaints/{id}/steps", { params: { path: { id } }, body })),
  )
export const useRateHandling = (id: string) =>
  useFeedbackMutation((score: number) =>
    call(
      tenet.POST("/api/v1/feedback/complaints/{id}/handling-rating", {
        params: { path: { id } },
        body: { score },
      }),
    ),
  )
export const useReplyToItem = (id: string) =>
  useFeedbackMutation((body: components["schemas"]["FeedbackItemReply"]) =>
    call(tenet.POST("/api/v1/feedback/items/{id}/reply", { params: { path: { id } }, body })),
  )
export const useRecordItem = () =>
  useFeedbackMutation((body: components["schemas"]["FeedbackItemCreate"]) =>
    call(tenet.POST("/api/v1/feedback/items", { body })),
  )
export const useCauses = () =>
  useQuery({
    queryKey: ["feedback", "causes"],
    queryFn: () => api<{ items: Cause[] }>("/api/v1/feedback/causes"),
  })
export const useSaveCause = () =>
  useFeedbackMutation((body: components["schemas"]["FeedbackCause"]) =>
    call(tenet.PUT("/api/v1/feedback/causes", { body })),
  )
export const usePareto = (from: string, to: string, kind?: FeedbackItem["kind"]) => {
  const q = new URLSearchParams({ from, to, ...(kind ? { kind } : {}) }).toString()
  return useQuery({
    queryKey: ["feedback", "pareto", q],
    queryFn: () => api<Pareto>(`/api/v1/feedback/pareto?${q}`),
  })
}
export const useRules = () =>
  useQuery({
    queryKey: ["feedback", "rules"],
    queryFn: () => api<{ items: DispatchRule[] }>("/api/v1/feedback/rules"),
  })
export const useSaveRule = () =>
  useFeedbackMutation(({ id, ...body }: components["schemas"]["SurveyDispatchRule"] & { id?: string }) =>
    id
      ? call(tenet.PUT("/api/v1/feedback/rules/{id}", { params: { path: { id } }, body }))
      : call(tenet.POST("/api/v1/feedback/rules", { body })),
  )
export const useUpdateSurvey = () =>
  useFeedbackMutation(({ id, ...body }: components["schemas"]["SurveyUpdate"] & { id: string }) =>
    call(tenet.PUT("/api/v1/feedback/surveys/{id}", { params: { path: { id } }, body })),
  )
