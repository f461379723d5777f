/** The risk module's HTTP API, one file per concept under `./risk/`. */
import { continuityEndpoints } from "./risk/continuity"
import { registerEndpoints } from "./risk/register"

export const riskEndpoints = [...registerEndpoints, ...continuityEndpoints]
