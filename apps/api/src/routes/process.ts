/**
 * The process module's HTTP API, one file per concept under `./process/`: cases (with views,
 * follow-ups and customers), configuration (calendars, SLA policies, settings, imports), metrics,
 * and the streaming routes (CSV export, file import).
 */
import { caseEndpoints } from "./process/cases"
import { configEndpoints } from "./process/config"
import { metricEndpoints } from "./process/metrics"

export { CaseQuery, caseQueryOf } from "./process/schemas"
export { processStreamDocs, registerProcessStreams } from "./process/streams"

export const processEndpoints = [...caseEndpoints, ...configEndpoints, ...metricEndpoints]
