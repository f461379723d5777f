/**
 * The standards module's HTTP API, one file per concept under `./standards/`: standards and
 * compliance, the dashboard and control charts, and the compliance report as CSV.
 */
import { dashboardEndpoints } from "./standards/dashboard"
import { standardEndpoints } from "./standards/standards"

export { kpis, startOfLocalDay } from "./standards/schemas"
export { registerStandardsStreams } from "./standards/streams"

export const standardsEndpoints = [...standardEndpoints, ...dashboardEndpoints]
