/** The cases module's configuration screens, one file per screen. */

export { CalendarsPage } from "./Calendars"
export { CaseSettingsPage } from "./CaseSettings"
export { CustomersPage } from "./Customers"
export { ImportPage } from "./Import"
export { PoliciesPage } from "./Policies"
