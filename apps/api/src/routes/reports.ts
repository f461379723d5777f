/**
 * Scheduled work on standards (compliance schedules, management reviews), scheduled reports and
 * their files, XLSX exports of the admin's tables, and the public service report.
 */
export { reportEndpoints } from "./reports/endpoints"
export { registerReportStreams, reportStreamDocs } from "./reports/streams"
