/** The dashboard: one file per part under `./dashboard/`. */
export { DashboardPage } from "./dashboard/Kpis"
