/**
 * Service cases end to end: intake (with the customer, priority, policy and repeat detection),
 * transitions, replies and notes on a timeline, SLA clocks with their ledger, escalation from
 * the durable scheduler (exactly once), follow-ups, the queue and its CSV export.
 *
 * @since 0.1.0
 */
export { STATUSES } from "./Case"
export * from "./cases/Create"
export * from "./cases/Export"
export * from "./cases/FeedbackLoop"
export * from "./cases/FollowUp"
export * from "./cases/Lifecycle"
export * from "./cases/Queue"
export * from "./cases/Read"
export * from "./cases/Scheduler"
export * from "./cases/Timeline"
export * from "./cases/Update"
export * from "./cases/Views"
export {
  type CaseInput,
  checkCaseInput,
  FOLLOW_UP_JOB,
  type HistoricalCaseInput,
  type IntakeCache,
  type IntakeOptions,
  intakeCache,
  intakeMany,
  JOB_KIND,
  nextSlaEvent,
  routeTeam,
  SWEEP_JOB,
  saveScheduled,
} from "./Intake"
