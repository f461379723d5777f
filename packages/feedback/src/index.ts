export * as Causes from "./Causes"
export * as Clocks from "./Clocks"
export * as Complaints from "./Complaints"
/** @since 0.9.0 */
export * as Corrector from "./Corrector"
export * as PersonalData from "./DataClasses"
export * as Demo from "./Demo"
export * as Dispatch from "./Dispatch"
/** @since 0.2.0 */
export * as Improvement from "./Improvement"
export * as Items from "./Items"
export * as Metrics from "./Metrics"
export { feedbackMigrations } from "./migrations/index"
export type * from "./migrations/schema"
/** @since 0.6.0 */
export * as Privacy from "./Privacy"
export * as Responses from "./Responses"
export * as Results from "./Results"
/** @since 0.2.0 */
export * as Rollups from "./Rollups"
export * as Survey from "./Survey"
export * as Surveys from "./Surveys"
export * as Templates from "./Templates"
export * as Tokens from "./Tokens"
