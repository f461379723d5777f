/**
 * Improvement cycles over HTTP, one file per concept under `./improvements/`: the plugins'
 * catalogue, workflows, and cycles (with the operations the outbox shares in `cycles.ts`).
 */
import { cycleEndpoints } from "./improvements/cycle-routes"
import { pluginCatalogEndpoints } from "./improvements/plugins"
import { workflowEndpoints } from "./improvements/workflows"

export { findWorkflow, openCycleFromBreach, workflowsOf } from "./improvements/cycles"

export const improvementEndpoints = [...pluginCatalogEndpoints, ...workflowEndpoints, ...cycleEndpoints]
