/**
 * The events quality monitoring publishes, as contracts in core so that other modules (culture's
 * QA → training, reports, plugins) can subscribe without importing standards. Standards emits
 * them through the outbox when an evaluation is recorded (calibration evaluations excluded).
 *
 * @since 0.7.0
 */
import type { DomainEvent } from "./Outbox"

/** Every recorded QA evaluation. @category models @since 0.7.0 */
export const EVALUATED = "quality.evaluated" as const
/** A QA evaluation with at least one critical error. @category models @since 0.7.0 */
export const CRITICAL_ERROR = "quality.critical_error" as const

/**
 * The payload of `quality.evaluated` (the event's aggregate id is the evaluation's id).
 * @category models
 * @since 0.7.0
 */
export interface Evaluated {
  readonly caseId: string
  readonly agentId: string
  readonly scorecardId: string
  readonly scorecardVersion: number
  /** The evaluation's score on QA's scale, 0–100 (0 when an auto-fail critical error was found). */
  readonly score: number
  readonly passed: boolean
  readonly autoFailed: boolean
  /**
   * Each answered criterion's result as a 0–1 fraction of its scale (the lowest point is 0, the
   * highest 1); null where the criterion was not applicable.
   */
  readonly criteria: Readonly<Record<string, number | null>>
  /** The critical-error families found (customer, business, compliance). */
  readonly families: ReadonlyArray<string>
}

/** The payload of `quality.critical_error`. @category models @since 0.7.0 */
export interface CriticalError {
  readonly caseId: string
  readonly agentId: string
  readonly families: ReadonlyArray<string>
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * The payload of a `quality.evaluated` event, checked (an event from an older or foreign writer
 * that lacks a field gives null rather than a wrong value).
 * @category getters
 * @since 0.7.0
 */
export const evaluated = (event: DomainEvent): Evaluated | null => {
  if (event.type !== EVALUATED) return null
  const p = event.payload
  if (!isRecord(p)) return null
  if (typeof p.agentId !== "string" || !p.agentId) return null
  if (typeof p.caseId !== "string" || typeof p.scorecardId !== "string") return null
  if (typeof p.score !== "number" || !Number.isFinite(p.score)) return null
  const criteria: Record<string, number | null> = {}
  if (isRecord(p.criteria))
    for (const [k, v] of Object.entries(p.criteria))
      if (v === null || (typeof v === "number" && Number.isFinite(v))) criteria[k] = v
  return {
    caseId: p.caseId,
    agentId: p.agentId,
    scorecardId: p.scorecardId,
    scorecardVersion: typeof p.scorecardVersion === "number" ? p.scorecardVersion : 0,
    score: p.score,
    passed: p.passed === true,
    autoFailed: p.autoFailed === true,
    criteria,
    families: Array.isArray(p.families) ? p.families.filter((f): f is string => typeof f === "string") : [],
  }
}
