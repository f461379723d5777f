// Intake's configuration cache: settings, policies and calendars read once for many intakes.
import type { Calendar } from "@tenet/calendar"
import { type Ex, loadIntakeConfig, type loadPolicies, type Settings, type Vocabulary } from "../Store"

/** Settings, policies and calendars read once and reused for many intakes (imports, demo data). */
export interface IntakeCache {
  settings?: Settings
  policies?: Awaited<ReturnType<typeof loadPolicies>>
  vocabulary?: Vocabulary
  calendars: Map<string, Calendar>
}
export const intakeCache = (): IntakeCache => ({ calendars: new Map() })

/** Read the configuration in force (settings, policies, calendars) into `cache`, in one statement. */
export const loadIntakeCache = async (ex: Ex, orgId: string, cache: IntakeCache = intakeCache()) => {
  const config = await loadIntakeConfig(ex, orgId)
  cache.settings = config.settings
  cache.policies = config.policies
  cache.vocabulary = config.vocabulary
  for (const [id, calendar] of config.calendars) cache.calendars.set(id, calendar)
  return cache
}
