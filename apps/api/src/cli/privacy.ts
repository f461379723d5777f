/** Privacy: the retention purge (or its dry run) and a customer's data export, from the command line. */
import { writeFileSync } from "node:fs"
import { Tenancy } from "@tenet/core"
import { PrivacyExport, Retention } from "@tenet/risk"
import { wireContracts } from "../modules"
import { count, orgBySlug, out, program, UsageError, withDb } from "./shared"

export const registerPrivacyCommands = () => {
  const privacy = program.command("privacy").description("privacy: retention purge, data-subject exports")

  privacy
    .command("purge")
    .description("remove (delete or anonymise) what is past its retention maximum; --dry-run only counts")
    .requiredOption("--org <slug>", "the organisation")
    .option("--dry-run", "count what would go and what legal holds keep; change nothing")
    .action(async (o: { org: string; dryRun?: boolean }) =>
      withDb(async (db) => {
        wireContracts()
        const orgId = (await orgBySlug(db, o.org)).id
        if (o.dryRun) {
          const plan = await Retention.dryRun(db, orgId)
          const due = plan.filter((p) => p.due > 0 || p.held > 0)
          out(
            due.length
              ? due
                  .map(
                    (p) =>
                      `${p.classId}: ${p.due} to ${p.action}, ${p.held} kept by a legal hold (max ${p.policy.maxDays} days)`,
                  )
                  .join("\n")
              : "nothing is past its retention maximum",
            { items: plan },
          )
          return
        }
        const evidence = await Retention.purge(db, Tenancy.system(orgId, "cli"), { trigger: "manual" })
        out(
          evidence.length
            ? evidence
                .map(
                  (e) =>
                    `${e.classId}: ${e.count} ${e.action === "delete" ? "deleted" : "anonymised"} (evidence ${e.id})`,
                )
                .join("\n")
            : "nothing to purge",
          { items: evidence },
        )
      }),
    )

  privacy
    .command("export")
    .description("everything held about a customer, from every module that declares personal data")
    .requiredOption("--org <slug>", "the organisation")
    .requiredOption("--customer <id>", "the customer's id")
    .option("--format <format>", "json or html (a readable document)", "json")
    .option("--locale <locale>", "zh-CN or en (the document's language)", "zh-CN")
    .option("--out <file>", "write to this file instead of stdout")
    .action(async (o: { org: string; customer: string; format: string; locale: string; out?: string }) =>
      withDb(async (db) => {
        if (o.format !== "json" && o.format !== "html") throw new UsageError("--format must be json or html")
        if (o.locale !== "zh-CN" && o.locale !== "en") throw new UsageError("--locale must be zh-CN or en")
        wireContracts()
        const orgId = (await orgBySlug(db, o.org)).id
        const e = await PrivacyExport.collect(db, orgId, o.customer, o.locale)
        const text = o.format === "html" ? PrivacyExport.toHtml(e) : JSON.stringify(e, null, 2)
        if (o.out) {
          writeFileSync(o.out, text)
          process.stderr.write(
            `wrote ${o.out}: ${count(e.sections.length, "data class", "data classes")}, ${count(
              e.sections.reduce((n, s) => n + s.rows.length, 0),
              "row",
            )}\n`,
          )
        } else process.stdout.write(`${text}\n`)
      }),
    )
}
