/**
 * What admins configure: settings (priority matrix, reopen and repeat windows), business
 * calendars, SLA policies (ordered, versioned), and customers.
 *
 * @since 0.1.0
 */
export * from "./config/Calendars"
export * from "./config/Customers"
export * from "./config/Defaults"
export * from "./config/Policies"
export * from "./config/Settings"
export * from "./config/Vocabulary"
