/**
 * Persistence helpers shared by the process services: row mapping, calendar and policy loading
 * (cached by version), clock rows, case events. Every function takes an executor (the database
 * or the caller's transaction) and an organisation id.
 */
export {
  CALENDAR_RANGE,
  type CalendarRecord,
  calendarRangeIssue,
  compileSpec,
  inCalendarRange,
  loadCalendar,
  onCalendar,
  toCalendarRecord,
} from "./store/calendars"
export {
  addEvent,
  type CaseEventInput,
  type CaseRecord,
  type CaseRow,
  lockCase,
  nextCaseNumber,
  toCase,
  toEvent,
} from "./store/cases"
export { type ClockRow, loadClocks, saveClock, summarize, toClock } from "./store/clocks"
export {
  loadIntakeConfig,
  loadPolicies,
  loadPolicyVersion,
  loadSettings,
  loadVocabulary,
  type Settings,
  toPolicy,
  type Vocabulary,
  vocabularyOf,
} from "./store/config"
export { type AsJson, asProcess, change, type Ex, type ProcessDb, processDb } from "./store/db"
