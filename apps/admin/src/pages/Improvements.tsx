/** Improvement cycles: one file per screen under `./improvements/`. */

export { CyclePage } from "./improvements/Cycle"
export { ImprovementsPage } from "./improvements/List"
