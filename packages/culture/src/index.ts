/** @since 0.7.0 */
export * as CriterionSkills from "./CriterionSkills"
export * as Certification from "./certification/Certification"
export * as PersonalData from "./DataClasses"
export * as Demo from "./Demo"
export * as Effectiveness from "./Effectiveness"
export * as Framework from "./framework/Framework"
export * as FrameworkModel from "./framework/model"
export * as Improvements from "./Improvements"
/** @since 0.7.0 */
export * as Incentives from "./Incentives"
export * as Grams from "./knowledge/grams"
export * as Knowledge from "./knowledge/Knowledge"
/** @since 0.7.0 */
export * as LowScore from "./LowScore"
export * as Metrics from "./Metrics"
export { cultureMigrations } from "./migrations/index"
export type * from "./migrations/schema"
export * as QaTraining from "./QaTraining"
export * as Recognition from "./Recognition"
export * as Roster from "./Roster"
/** @since 0.7.0 */
export * as Programmes from "./training/Programmes"
export * as Training from "./training/Training"
