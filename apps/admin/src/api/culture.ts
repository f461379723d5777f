/** Culture (#15): teams, skills, training, certifications, recognition, knowledge, the agent's home. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { api, getCurrentOrg } from "./client"

export type Text2 = Readonly<Record<"zh-CN" | "en", string>>
export interface Team {
  readonly id: string
  readonly name: Text2
  readonly leaderId: string | null
  readonly channels: ReadonlyArray<string>
  readonly queues: ReadonlyArray<string>
  readonly members: ReadonlyArray<{ userId: string; level: string; joinedOn: string; leftOn: string | null }>
}
export interface Person {
  readonly userId: string
  readonly displayName: string
  readonly startedOn: string
  readonly leftOn: string | null
  readonly languages: ReadonlyArray<string>
  readonly teams: ReadonlyArray<{ teamId: string; level: string }>
}
export interface Framework {
  readonly id: string
  readonly name: Text2
  readonly levels: ReadonlyArray<{ level: number; name: Text2; behaviour: Text2 }>
  readonly areas: ReadonlyArray<{ id: string; kind: "skill" | "knowledge"; name: Text2 }>
  readonly requirements: ReadonlyArray<{ area: string; level: number; role?: string; queue?: string }>
}
export interface MatrixCell {
  readonly userId: string
  readonly skillId: string
  readonly self: number | null
  readonly supervisor: number | null
  readonly level: number | null
}
export interface GapCell {
  readonly teamId: string
  readonly skillId: string
  readonly meanGap: number
  readonly below: number
  readonly n: number
}
export interface Course {
  readonly id: string
  readonly title: Text2
  readonly format: string
  readonly assessment: "none" | "quiz" | "practical"
  readonly passMark: number | null
  readonly skillIds: ReadonlyArray<string>
  readonly durationMinutes: number
}
export interface Assignment {
  readonly id: string
  readonly userId: string
  readonly courseId: string
  readonly title: Text2
  readonly assessment: "none" | "quiz" | "practical"
  readonly source: "manual" | "plan" | "qa" | "low_score"
  readonly dueOn: string
  readonly status: "assigned" | "passed" | "failed"
  readonly score: number | null
  readonly completedAt: string | null
}
export interface LowScoreRule {
  readonly id: string
  readonly scorecardId: string | null
  readonly criterionId: string | null
  /** A 0–1 fraction. */
  readonly threshold: number
  readonly action: "course" | "coaching"
  readonly courseId: string | null
  readonly dueDays: number
  readonly enabled: boolean
}
export interface CoachingTask {
  readonly id: string
  readonly userId: string
  readonly ruleId: string
  readonly evaluationId: string
  readonly caseId: string
  readonly criterionId: string | null
  /** What was compared and the rule's threshold, 0–1 fractions. */
  readonly result: number
  readonly threshold: number
  readonly coachId: string | null
  readonly dueOn: string
  readonly status: "open" | "done"
  readonly note: string | null
  readonly createdAt: string
}
export interface Certification {
  readonly id: string
  readonly name: Text2
  readonly scope: { kind: "queue" | "channel" | "case_type"; value: string }
  readonly requiredCourses: ReadonlyArray<string>
  readonly minScore: number | null
  readonly validityDays: number
  readonly remindDays: number
}
export interface Grant {
  readonly id: string
  readonly userId: string
  readonly certificationId: string
  readonly name: Text2
  readonly grantedAt: string
  readonly expiresAt: string
  readonly state: "valid" | "expiring" | "expired" | "suspended" | "revoked"
}
export interface Kudos {
  readonly id: string
  readonly from_user: string
  readonly to_user: string
  readonly message: string
  readonly case_id: string | null
  readonly points: number
  readonly created_at: string
}
export interface Ranked {
  readonly rank: number
  readonly userId: string | null
  readonly hidden: boolean
  readonly points: number
  readonly kudos: number
  /** Of the points, those incentive rules awarded. */
  readonly incentivePoints: number
}
export interface Article {
  readonly id: string
  readonly kind: "article" | "phrasing" | "lesson"
  readonly title: string
  readonly excerpt?: string
  readonly version: number
  readonly outcome: "success" | "failure" | null
}
export interface Home {
  readonly cases: ReadonlyArray<{
    id: string
    number: number
    subject: string
    slaState: string
    nextDueAt: string | null
  }>
  readonly slaRisks: ReadonlyArray<{ id: string }>
  readonly qa: ReadonlyArray<{
    id: string
    caseId: string
    score: number
    passed: boolean
    evaluatedAt: string
  }>
  /** The person's own CSAT (satisfied share, a 0–1 fraction) with its 95% interval and n. */
  readonly satisfaction: {
    readonly kind: "csat"
    readonly days: number
    readonly value: number | null
    readonly lower: number | null
    readonly upper: number | null
    readonly satisfied: number
    readonly n: number
    readonly minN: number
    readonly warning: "below_minimum_n" | null
    readonly previous: {
      readonly value: number | null
      readonly n: number
      readonly difference: number | null
      readonly pValue: number | null
      readonly significant: boolean
    }
  }
  readonly coaching: ReadonlyArray<CoachingTask>
  readonly trainingDue: ReadonlyArray<Assignment>
  readonly trainingDone: ReadonlyArray<Assignment>
  readonly certifications: ReadonlyArray<Grant>
  readonly kudos: ReadonlyArray<Kudos>
}

/** A session of a course with its attendance. */
export interface TrainingSession {
  readonly id: string
  readonly courseId: string
  readonly title: Text2
  readonly startsAt: string
  readonly endsAt: string
  readonly location: string | null
  readonly attendance: ReadonlyArray<{ userId: string; status: AttendanceStatus }>
  readonly registered: number
  readonly attended: number
  readonly absent: number
}
export type AttendanceStatus = "registered" | "attended" | "absent"
/** A programme (ordered courses) with the people enrolled and their progress. */
export interface Programme {
  readonly id: string
  readonly name: Text2
  readonly courseIds: ReadonlyArray<string>
  readonly dueDays: number
  readonly enrolled: ReadonlyArray<{
    userId: string
    enrolledAt: string
    passed: ReadonlyArray<string>
    complete: boolean
  }>
}
/** A rule that awards incentive points for a QA result at or above its minimum (a 0–1 fraction). */
export interface IncentiveRule {
  readonly id: string
  readonly name: Text2
  readonly scorecardId: string | null
  readonly criterionId: string | null
  readonly minResult: number
  readonly points: number
  readonly enabled: boolean
}
/** A people metric's value for a team (or everyone): percentages 0–100, counts, an index or days. */
export interface PeopleValue {
  readonly value: number | null
  readonly n: number
  readonly interval?: { lower: number; upper: number }
}
export const PEOPLE_METRICS = [
  "coverage",
  "trainingOnTime",
  "recertificationsOverdue",
  "skillGap",
  "attrition",
  "timeToProficiency",
] as const
export type PeopleMetric = (typeof PEOPLE_METRICS)[number]
export type PeopleRow = { readonly team: string | null } & Readonly<Record<PeopleMetric, PeopleValue>>

const get = <T>(path: string, enabled = true) =>
  useQuery({ queryKey: ["culture", getCurrentOrg(), path], queryFn: () => api<T>(path), enabled })

export const useTeams = () => get<{ items: Team[] }>("/api/v1/culture/teams")
export const useRoster = () => get<{ items: Person[] }>("/api/v1/culture/roster")
export const useGate = () =>
  get<{ gateEnabled: boolean; provider: string | null }>("/api/v1/culture/eligibility")
export const useFramework = () => get<{ framework: Framework | null }>("/api/v1/culture/framework")
export const useMatrix = () => get<{ items: MatrixCell[] }>("/api/v1/culture/skills-matrix")
export const useGaps = () => get<{ items: GapCell[] }>("/api/v1/culture/gaps")
export const useCourses = () => get<{ items: Course[] }>("/api/v1/culture/courses")
export const useAssignments = () => get<{ items: Assignment[] }>("/api/v1/culture/assignments")
export const useLowScoreRules = () => get<{ items: LowScoreRule[] }>("/api/v1/culture/low-score-rules")
export const useCoaching = () => get<{ items: CoachingTask[] }>("/api/v1/culture/coaching")
export const useCriterionSkills = () =>
  get<{ items: Array<{ criterionId: string; skillId: string }> }>("/api/v1/culture/criterion-skills")
export const useCertifications = () => get<{ items: Certification[] }>("/api/v1/culture/certifications")
export const useGrants = () => get<{ items: Grant[] }>("/api/v1/culture/grants")
export const useWall = () => get<{ items: Kudos[]; ranking: Ranked[] }>("/api/v1/culture/kudos")
export const useHome = () => get<Home>("/api/v1/culture/home")
export const useSessions = () => get<{ items: TrainingSession[] }>("/api/v1/culture/sessions")
export const useProgrammes = () => get<{ items: Programme[] }>("/api/v1/culture/programmes")
export const useIncentiveRules = () => get<{ items: IncentiveRule[] }>("/api/v1/culture/incentive-rules")
export const usePeopleMetrics = (days: number) =>
  get<{ days: number; items: PeopleRow[]; total: PeopleRow }>(`/api/v1/culture/people-metrics?days=${days}`)
export const useArticles = (q: string) =>
  get<{ items: Article[] }>(`/api/v1/culture/articles${q ? `?q=${encodeURIComponent(q)}` : ""}`)

/** A write to a culture endpoint; refreshes every culture query. */
export const useCultureWrite = <R = unknown>() => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (w: { method: "POST" | "PUT" | "DELETE"; path: string; body?: unknown }) =>
      api<R>(w.path, { method: w.method, body: w.body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["culture"] }),
  })
}
