// The import's parsing: a stream as numbered records (CSV or NDJSON), CSV errors as field errors.
import { createInterface } from "node:readline"
import type { Readable } from "node:stream"
import { Errors } from "@tenet/core"
import { CsvError, parse } from "csv-parse"
import type { ImportFormat } from "./model"

/**
 * A CSV the parser cannot read, as a field error naming the line: an unclosed quote names the
 * line its record starts on (the parser only notices at the end of the file).
 */
export const csvProblem = (e: unknown, recordLine: number): unknown => {
  const err = e as { code?: unknown; lines?: unknown; message?: unknown }
  if (!(e instanceof CsvError) && !(typeof err.code === "string" && err.code.startsWith("CSV_"))) return e
  const line =
    err.code === "CSV_QUOTE_NOT_CLOSED" || typeof err.lines !== "number" ? recordLine : (err.lines as number)
  const detail =
    err.code === "CSV_QUOTE_NOT_CLOSED"
      ? `a quoted field opened on line ${line} is never closed`
      : String(err.message ?? "cannot be read")
  return new Errors.ValidationError({
    message: `invalid CSV (line ${line}): ${detail}`,
    issues: [
      { path: ["file"], message: `line ${line}: ${detail}`, code: "csvLine", params: { line, detail } },
    ],
  })
}

/** The records of a stream, each with its line (or the reason the line cannot be read). */
export async function* records(
  source: Readable,
  format: ImportFormat,
): AsyncGenerator<{
  line: number
  row?: Record<string, unknown>
  raw: string
  error?: string
  code?: string
}> {
  if (format === "csv") {
    // the line the last parsed record ends on, noted as the parser goes (records parsed in the
    // chunk that fails are never delivered): an unclosed quote's record starts on the next one
    let last = 1 // the header
    const parser = source.pipe(
      parse({
        columns: true,
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        trim: true,
        info: true,
        on_record: (record: unknown, context: { lines: number }) => {
          last = context.lines
          return record
        },
      }),
    )
    // pipe() does not pass the source's error on: a broken or refused upload must end the parse
    source.once("error", (e) => parser.destroy(e))
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: Record<string, string>
        info: { lines: number }
      }>) {
        yield { line: info.lines, row: record, raw: JSON.stringify(record) }
      }
    } catch (e) {
      throw csvProblem(e, last + 1)
    }
    return
  }
  let line = 0
  for await (const text of createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++
    if (!text.trim()) continue
    try {
      const row = JSON.parse(text)
      if (typeof row !== "object" || row === null || Array.isArray(row))
        yield { line, raw: text, error: "each line must be a JSON object", code: "jsonObject" }
      else yield { line, row, raw: text }
    } catch {
      yield { line, raw: text, error: "not valid JSON", code: "json" }
    }
  }
}
