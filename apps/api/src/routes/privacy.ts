/** The privacy HTTP API (lives with risk, PR-01…PR-06), one file per concept under `./privacy/`. */
import { requestEndpoints } from "./privacy/requests"
import { retentionEndpoints } from "./privacy/retention"

export const privacyEndpoints = [...retentionEndpoints, ...requestEndpoints]
