/** Data in and out: backup, restore, importing cases. */
import { createReadStream, createWriteStream, readFileSync } from "node:fs"
import { createInterface } from "node:readline"
import { Backup, Tenancy } from "@tenet/core"
import { Import } from "@tenet/process"
import { MODULES } from "../modules"
import { count, json, orgBySlug, out, program, UsageError, withDb } from "./shared"

export const registerDataCommands = () => {
  program
    .command("backup")
    .description("write a logical backup of every module (works for PGlite and PostgreSQL)")
    .requiredOption("--out <file>", "backup file (NDJSON)")
    .action(async (o: { out: string }) =>
      withDb(async (db) => {
        const stream = createWriteStream(o.out)
        const counts = await Backup.backup(db, MODULES, (line) =>
          stream.write(`${line}\n`) ? undefined : new Promise<void>((r) => stream.once("drain", () => r())),
        )
        await new Promise<void>((resolve, reject) =>
          stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
        )
        const rows = Object.values(counts).reduce((a, b) => a + b, 0)
        out(`wrote ${count(rows, "row")} from ${count(Object.keys(counts).length, "table")} to ${o.out}`, {
          file: o.out,
          tables: counts,
          rows,
        })
      }),
    )

  program
    .command("restore")
    .description("replace the database's contents with a backup (one transaction)")
    .argument("<file>", "backup file written by `tenet backup`")
    .action(async (file: string) =>
      withDb(async (db) => {
        const input = createReadStream(file)
        const opened = new Promise<void>((resolve, reject) => {
          input.once("open", () => resolve())
          input.once("error", (e) => reject(new UsageError(`cannot read ${file}: ${e.message}`)))
        })
        await opened
        const counts = await Backup.restore(
          db,
          MODULES,
          createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }),
        )
        const rows = Object.values(counts).reduce((a, b) => a + b, 0)
        out(`restored ${count(rows, "row")} into ${count(Object.keys(counts).length, "table")}`, {
          file,
          tables: counts,
          rows,
        })
      }),
    )

  program
    .command("import")
    .description("import data")
    .command("cases")
    .description(
      "import cases with their customers from CSV, NDJSON or a Zendesk, Freshdesk or Zammad ticket export (idempotent by external id)",
    )
    .addHelpText("after", importColumnsHelp)
    .argument("<file>", "the file to import")
    .requiredOption("--org <slug>", "organisation slug")
    .option("--format <format>", Import.IMPORT_FORMATS.join(" | "), "csv")
    .option("--mapping <file>", 'JSON file mapping Tenet fields to your columns, e.g. {"subject": "Title"}')
    .option("--batch <n>", "rows per committed batch", "200")
    .action(async (file: string, o: { org: string; format: string; mapping?: string; batch: string }) =>
      withDb(async (db) => {
        if (!(Import.IMPORT_FORMATS as readonly string[]).includes(o.format))
          throw new UsageError(
            `--format: must be one of ${Import.IMPORT_FORMATS.join(", ")} (got "${o.format}")`,
          )
        let mapping: Record<string, string> | undefined
        if (o.mapping) {
          try {
            mapping = JSON.parse(readFileSync(o.mapping, "utf8"))
          } catch (e) {
            throw new UsageError(`--mapping: cannot read ${o.mapping} as JSON (${(e as Error).message})`)
          }
        }
        const org = await orgBySlug(db, o.org)
        const input = createReadStream(file)
        await new Promise<void>((resolve, reject) => {
          input.once("open", () => resolve())
          input.once("error", (e) => reject(new UsageError(`cannot read ${file}: ${e.message}`)))
        })
        const started = performance.now()
        const summary = await Import.importCases(db, Tenancy.system(org.id, "cli-import"), input, {
          format: o.format as Import.ImportFormat,
          mapping,
          batchSize: Math.max(1, Number(o.batch) || 200),
          sourceName: file,
          onProgress: (p) => {
            if (!json())
              process.stderr.write(
                `\r${count(p.rows, "row")} read · ${p.imported} imported · ${p.skipped} skipped · ${p.failed} with errors`,
              )
          },
        })
        if (!json()) process.stderr.write("\n")
        const seconds = (performance.now() - started) / 1000
        out(
          [
            `imported ${summary.imported}, skipped ${summary.skipped} (already there), ${summary.failed} with errors, of ${count(summary.rows, "row")} in ${seconds.toFixed(1)} s`,
            ...summary.errors.slice(0, 20).map((e) => `  line ${e.line}, ${e.field}: ${e.message}`),
            ...(summary.errors.length > 20
              ? [`  … ${summary.errors.length - 20} more (use --json for all)`]
              : []),
          ].join("\n"),
          { ...summary, seconds },
        )
        if (summary.failed > 0) process.exitCode = 3
      }),
    )
}

/** The columns each format reads, for `tenet import cases --help` (the Import page shows the same list). */
const importColumnsHelp = () =>
  [
    "",
    "Accepted columns (types and categories must be in the organisation's vocabulary; a ticket's",
    "category is its first tag among the organisation's categories):",
    ...Import.IMPORT_FORMATS.flatMap((f) => [
      "",
      `  --format ${f}${f === "csv" || f === "ndjson" ? " (default mapping; --mapping renames)" : " (one ticket per line)"}:`,
      ...Import.IMPORT_COLUMNS[f].map(([column, field]) => `    ${column.padEnd(44)} → ${field}`),
    ]),
  ].join("\n")
