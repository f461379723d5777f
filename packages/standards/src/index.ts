export * as Baseline from "./Baseline"
export * as Standard from "./Standard"
export * as Standards from "./Standards"
export { standardsMigrations } from "./migrations/index"
