/**
 * Incident severity and regulatory notification clocks, as pure functions (domain.md §F PR-14).
 * Severity follows the four levels of the CAC incident-reporting measures (一般 general, 较大 relatively
 * major, 重大 major, 特别重大 especially major) from the people affected, whether sensitive personal data
 * is involved, and how long the service was down. Clocks: CN — relatively major and above within 4 h
 * of detection (1 h for critical-information-infrastructure operators) and a full summary within 30
 * days; GDPR Art. 33 — the supervisory authority within 72 h of becoming aware.
 *
 * @since 0.1.0
 */
import type { Severity, SeverityInputs } from "./migrations/schema"

/** The levels, least severe first. @category models @since 0.1.0 */
export const SEVERITIES: ReadonlyArray<Severity> = [
  "general",
  "relatively_major",
  "major",
  "especially_major",
]
/** Sensitive personal-data categories (PIPL Art. 28). @category models @since 0.1.0 */
export const SENSITIVE = [
  "biometric",
  "religion",
  "identity_number",
  "health",
  "financial",
  "location",
  "minor",
] as const
/** Data categories an incident may involve. @category models @since 0.1.0 */
export const DATA_CATEGORIES = ["contact", "account", "case_content", ...SENSITIVE] as const

/**
 * The default thresholds: people whose personal data is affected (all data, sensitive data) and hours
 * of interruption, per level (especially major, major, relatively major).
 * @category models
 * @since 0.1.0
 */
export const THRESHOLDS = {
  especially_major: { people: 100_000_000, sensitive: 10_000_000, hours: 72 },
  major: { people: 10_000_000, sensitive: 1_000_000, hours: 24 },
  relatively_major: { people: 1_000_000, sensitive: 100_000, hours: 6 },
} as const

/** The severity of an incident and the reason for it. @category constructors @since 0.1.0 */
export const severity = (
  i: SeverityInputs,
): { level: Severity; because: "people" | "sensitive" | "duration" | "below" } => {
  const sensitive = i.dataCategories.some((c) => (SENSITIVE as readonly string[]).includes(c))
  const hasData = i.dataCategories.length > 0
  for (const level of ["especially_major", "major", "relatively_major"] as const) {
    const t = THRESHOLDS[level]
    if (hasData && sensitive && i.affectedCustomers >= t.sensitive) return { level, because: "sensitive" }
    if (hasData && i.affectedCustomers >= t.people) return { level, because: "people" }
    if (i.durationMinutes >= t.hours * 60) return { level, because: "duration" }
  }
  return { level: "general", because: "below" }
}

/** Whether a level is at least another. @category guards @since 0.1.0 */
export const atLeast = (level: Severity, floor: Severity) =>
  SEVERITIES.indexOf(level) >= SEVERITIES.indexOf(floor)

/** The regimes Tenet knows. @category models @since 0.1.0 */
export const REGIMES = ["cn", "gdpr"] as const
/** @category models @since 0.1.0 */
export type Regime = (typeof REGIMES)[number]

/** A notification the incident owes, and by when. @category models @since 0.1.0 */
export interface Clock {
  readonly regime: Regime
  readonly notice: "initial" | "summary" | "authority"
  readonly dueAt: Date
}

const H = 3_600_000
/**
 * The clocks an incident starts, counted from its detection.
 * @category constructors
 * @since 0.1.0
 */
export const clocks = (i: {
  readonly kind: "service" | "data_security"
  readonly severity: Severity
  readonly detectedAt: Date
  readonly regimes: ReadonlyArray<Regime>
  readonly criticalInfrastructure: boolean
}): Clock[] => {
  const out: Clock[] = []
  const t = i.detectedAt.getTime()
  if (i.regimes.includes("cn") && atLeast(i.severity, "relatively_major")) {
    out.push({ regime: "cn", notice: "initial", dueAt: new Date(t + (i.criticalInfrastructure ? 1 : 4) * H) })
    out.push({ regime: "cn", notice: "summary", dueAt: new Date(t + 30 * 24 * H) })
  }
  if (i.regimes.includes("gdpr") && i.kind === "data_security")
    out.push({ regime: "gdpr", notice: "authority", dueAt: new Date(t + 72 * H) })
  return out
}

/** Time left on a clock (negative: overdue). @category constructors @since 0.1.0 */
export const remainingMs = (dueAt: Date, now: Date) => dueAt.getTime() - now.getTime()
