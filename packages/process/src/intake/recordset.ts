// Intake's recordsets: rows sent to SQL as JSON, instants as epoch milliseconds.
import { sql } from "kysely"

export const json = (rows: unknown) => sql`${JSON.stringify(rows)}::json`
/**
 * Instants travel as epoch milliseconds (JSON.stringify of a Date costs several times more).
 * Absent values are left out of the JSON rather than written as null: json_to_recordset reads a
 * missing key as NULL, and an import's rows are a third shorter.
 */
export const ms = (d: Date | null | undefined) => (d ? d.getTime() : undefined)
/** The SQL for an epoch-milliseconds column of a recordset. */
export const ts = (column: string) => sql`to_timestamp(${sql.ref(`x.${column}`)} / 1000.0)`
