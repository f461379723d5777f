/**
 * Access and copy (PIPL Art 45): everything held about a customer, collected from every
 * registered data class that leads to a customer (process, feedback, standards, culture, risk,
 * plugins), as JSON and as a readable HTML document in the customer's language.
 *
 * @since 0.7.0
 */
import { DataClasses, Encryption } from "@tenet/core"
import { sql } from "kysely"
import type { Database } from "../store"
import { tables } from "../store"
import { belongs, ofCustomer, table } from "./Sql"

/** One class's rows in an export. @category models @since 0.7.0 */
export interface ExportSection {
  readonly classId: string
  readonly module: string
  readonly name: DataClasses.DataClass["name"]
  readonly purposes: DataClasses.DataClass["purposes"]
  readonly basis: DataClasses.LawfulBasis
  readonly retention: DataClasses.Retention
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>
}

/** @category models @since 0.7.0 */
export interface CustomerExport {
  readonly customerId: string
  readonly orgId: string
  readonly generatedAt: string
  readonly locale: "zh-CN" | "en"
  readonly sections: ReadonlyArray<ExportSection>
}

/** Most rows per class in one export (a customer with more is an import error, not a person). */
export const ROW_LIMIT = 10_000

/**
 * Collect a customer's data from every class with a customer path (sections with no rows are left out).
 * @category getters
 * @since 0.7.0
 */
export const collect = async (
  db: Database,
  orgId: string,
  customerId: string,
  locale: "zh-CN" | "en" = "zh-CN",
  options: {
    /**
     * The field names modules seal personal values under; by default those the data classes declare
     * (`DataClasses.sealedFields`). A sealed value in a row is opened with the one it was sealed
     * under, so the customer reads their data, not ciphertext.
     */
    readonly sealedFields?: ReadonlyArray<string>
  } = {},
): Promise<CustomerExport> => {
  const q = tables(db)
  const sections: ExportSection[] = []
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  const fields = options.sealedFields ?? DataClasses.sealedFields()
  const openValue = (v: string): string => {
    if (!v.startsWith(Encryption.PREFIX)) return v
    for (const f of fields) {
      try {
        return cipher.open(f, v)
      } catch {
        // sealed under another field: try the next
      }
    }
    return v
  }
  const openDeep = (v: unknown): unknown =>
    typeof v === "string"
      ? openValue(v)
      : Array.isArray(v)
        ? v.map(openDeep)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, openDeep(x)]))
          : v
  for (const c of DataClasses.all()) {
    if (!c.customer || c.global) continue
    const rows = await sql<{
      row: Record<string, unknown>
    }>`select to_jsonb(t) - 'org_id' as row from ${table(c.table)} t
      where t.org_id = ${orgId} and ${belongs(c)} and ${ofCustomer(c, customerId)} limit ${ROW_LIMIT}`.execute(
      q,
    )
    if (rows.rows.length === 0) continue
    sections.push({
      classId: c.id,
      module: c.module,
      name: c.name,
      purposes: c.purposes,
      basis: c.basis,
      retention: c.retention,
      rows: rows.rows.map((r) => openDeep(r.row) as Record<string, unknown>),
    })
  }
  return { customerId, orgId, generatedAt: new Date().toISOString(), locale, sections }
}

const BASIS: Record<DataClasses.LawfulBasis, { "zh-CN": string; en: string }> = {
  consent: { "zh-CN": "个人同意", en: "your consent" },
  contract: { "zh-CN": "订立、履行合同所必需", en: "necessary for a contract with you" },
  hr_management: { "zh-CN": "人力资源管理所必需", en: "necessary for human resources management" },
  legal_duty: { "zh-CN": "履行法定职责或法定义务所必需", en: "necessary for a legal duty" },
  public_health: { "zh-CN": "应对突发公共卫生事件", en: "a public health emergency" },
  news: { "zh-CN": "新闻报道与舆论监督", en: "news reporting in the public interest" },
  public_info: { "zh-CN": "已合法公开的信息", en: "information already lawfully public" },
  other_law: { "zh-CN": "法律、行政法规规定的其他情形", en: "another law" },
}

const TEXT = {
  title: { "zh-CN": "您的个人信息副本", en: "A copy of your personal information" },
  intro: {
    "zh-CN": "以下是我们保存的与您有关的全部个人信息，按数据类别列出，并注明处理目的、法律依据与保存期限。",
    en: "Below is all the personal information we hold about you, by category, with the purpose, the lawful basis and how long it is kept.",
  },
  purposes: { "zh-CN": "处理目的", en: "Purposes" },
  basis: { "zh-CN": "法律依据", en: "Lawful basis" },
  retention: { "zh-CN": "保存期限", en: "Retention" },
  days: { "zh-CN": "天", en: "days" },
  untilRemoved: {
    "zh-CN": "保存至您要求删除或关系终止",
    en: "kept until you ask for deletion or the relationship ends",
  },
  min: { "zh-CN": "至少", en: "at least" },
  max: { "zh-CN": "至多", en: "at most" },
  none: { "zh-CN": "我们没有保存与您有关的个人信息。", en: "We hold no personal information about you." },
  generated: { "zh-CN": "生成时间", en: "Generated" },
} as const

const esc = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
const cell = (v: unknown) =>
  esc(v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v))

/**
 * The export as a readable HTML document in its language (self-contained, printable).
 * @category getters
 * @since 0.7.0
 */
export const toHtml = (e: CustomerExport): string => {
  const l = e.locale
  const retention = (r: DataClasses.Retention) =>
    r.maxDays === null
      ? `${r.minDays ? `${TEXT.min[l]} ${r.minDays} ${TEXT.days[l]}; ` : ""}${TEXT.untilRemoved[l]}`
      : `${TEXT.min[l]} ${r.minDays} ${TEXT.days[l]}, ${TEXT.max[l]} ${r.maxDays} ${TEXT.days[l]}`
  const sections = e.sections.map((s) => {
    const cols = [...new Set(s.rows.flatMap((r) => Object.keys(r)))]
    return `<section><h2>${esc(s.name[l])}</h2>
<p><b>${TEXT.purposes[l]}:</b> ${s.purposes.map((p) => esc(p[l])).join("; ")}<br>
<b>${TEXT.basis[l]}:</b> ${esc(BASIS[s.basis][l])}<br>
<b>${TEXT.retention[l]}:</b> ${esc(retention(s.retention))}</p>
<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead>
<tbody>${s.rows.map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`).join("\n")}</tbody></table></section>`
  })
  return `<!doctype html>
<html lang="${l}"><head><meta charset="utf-8"><title>${TEXT.title[l]}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}</style>
</head><body><h1>${TEXT.title[l]}</h1><p>${TEXT.intro[l]}</p>
<p>${TEXT.generated[l]}: ${esc(e.generatedAt)}</p>
${sections.length ? sections.join("\n") : `<p>${TEXT.none[l]}</p>`}
</body></html>`
}
