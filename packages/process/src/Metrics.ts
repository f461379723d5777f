/**
 * Process metrics for the registry (domain.md §C, SVC-04 … SVC-12): each per period (local
 * day, week or month in the query's time zone) and by channel, segment, priority, team, agent
 * or type, with numerator and denominator, n, and the Wilson 95 % interval for proportions.
 * Cases are attributed to the period in which they were received.
 *
 * @since 0.1.0
 */
export { metrics } from "./metrics/definitions"
