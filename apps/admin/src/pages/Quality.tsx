/** Quality monitoring: one file per part under `./quality/`. */
export { QualityPage } from "./quality/Evaluate"
