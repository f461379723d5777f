/**
 * Data classes: the personal information each module stores, declared once (PR-04, PR-16).
 * A declaration names the table and its personal columns, the PI category (general or
 * sensitive, PIPL Art 28), the purposes and the lawful basis (PIPL Art 13), the minimum and
 * maximum retention, the time column a row's age is measured from, how a row leads to a
 * customer (and to a case, for holds) and how it is purged (deleted, or anonymised column by
 * column). Retention, subject requests, masking and encryption all work from the declarations;
 * a test derived from the migrated schema fails when a table holds customer PI no class declares.
 *
 * Modules register their classes where they are wired (`register`, the API's module list);
 * plugins contribute theirs through the `core.data-classes` extension point.
 *
 * @since 0.7.0
 */
import { extensionPoint, type Localized } from "./Contracts"

/** PIPL Art 13 bases (there is no "legitimate interests" basis in PIPL). @category models @since 0.7.0 */
export const LAWFUL_BASES = [
  "consent",
  "contract",
  "hr_management",
  "legal_duty",
  "public_health",
  "news",
  "public_info",
  "other_law",
] as const
/** @category models @since 0.7.0 */
export type LawfulBasis = (typeof LAWFUL_BASES)[number]

/** General PI, or sensitive PI (PIPL Art 28: biometrics, health, financial accounts, minors…). @category models @since 0.7.0 */
export type PiCategory = "general" | "sensitive"

/** Whose data it is. @category models @since 0.7.0 */
export type SubjectKind = "customer" | "staff"

/** Retention in days; `maxDays: null` keeps rows until a request or a person removes them. @category models @since 0.7.0 */
export interface Retention {
  readonly minDays: number
  readonly maxDays: number | null
  /** Why the minimum (the law or the seed that sets it), shown in deletion statements. */
  readonly minimumReason?: Localized
}

/** Default minimums from the seeds and the law (days). @category constructors @since 0.7.0 */
export const MINIMUM = {
  /** Communication records: at least two years (seed 000 §4.3). */
  communication: 2 * 365,
  /** Network and security logs: at least six months (CSL Art 21). */
  securityLog: 183,
  /** Assessments and records of processing: at least three years (PIPL Art 56). */
  assessment: 3 * 365,
  none: 0,
} as const

/** The reasons that go with the default minimums. @category constructors @since 0.7.0 */
export const MINIMUM_REASON = {
  communication: {
    "zh-CN": "通信记录至少保存两年（客户服务规范 000 §4.3）",
    en: "communication records are kept at least two years (service norm 000 §4.3)",
  },
  securityLog: {
    "zh-CN": "网络日志至少保存六个月（《网络安全法》第二十一条）",
    en: "network and security logs are kept at least six months (Cybersecurity Law Art 21)",
  },
  assessment: {
    "zh-CN": "评估报告和处理记录至少保存三年（《个人信息保护法》第五十六条）",
    en: "assessments and processing records are kept at least three years (PIPL Art 56)",
  },
} as const satisfies Record<string, Localized>

/**
 * A column path from a row to a subject (customer or case): the column itself, or the column
 * looked up in another table (`via`), e.g. a response's `invitation_id` → `feedback.invitation.customer_id`.
 * @category models
 * @since 0.7.0
 */
export interface SubjectPath {
  readonly column: string
  readonly via?: {
    readonly table: string
    /** The key column of `table` the row's `column` holds (defaults to `id`). */
    readonly key?: string
    readonly column: string
  }
  /** Values are prefixed, e.g. `customer_key` holds the customer id or `email:…`; only plain ids match. */
  readonly prefixFree?: boolean
}

/** How one column is anonymised. @category models @since 0.7.0 */
export type Anonymise = "null" | "empty_text" | "redacted" | "empty_json_array" | "empty_json_object"

/** Delete the row, or keep it with its personal columns overwritten. @category models @since 0.7.0 */
export type PurgeStrategy =
  | { readonly kind: "delete" }
  | { readonly kind: "anonymise"; readonly columns: Readonly<Record<string, Anonymise>> }

/** A table whose rows go with the class's rows (same purge, keyed by the parent's id). @category models @since 0.7.0 */
export interface Dependent {
  readonly table: string
  /** The column holding the parent row's id. */
  readonly column: string
}

/**
 * A personal column stored sealed (core's `Encryption`): the column, and the field names its values
 * are sealed under (bound into each value with the organisation). A subject export opens a row's
 * values with them; the schema check fails when sealed values turn up in a column no class declares.
 * @category models
 * @since 0.8.0
 */
export interface SealedColumn {
  readonly column: string
  readonly fields: ReadonlyArray<string>
}

/**
 * One data class.
 * @category models
 * @since 0.7.0
 */
export interface DataClass {
  /** Stable id, `module.class`, e.g. `process.case_messages`. */
  readonly id: string
  readonly module: string
  readonly name: Localized
  readonly description: Localized
  /** Schema-qualified table, e.g. `process.case_event`. */
  readonly table: string
  /** The row's key column(s) besides `org_id`, used for hashed ids in deletion evidence. */
  readonly key: ReadonlyArray<string>
  /** The columns holding personal information. */
  readonly columns: ReadonlyArray<string>
  /** The personal columns stored sealed (each one of `columns`); none when stored in clear. */
  readonly sealed?: ReadonlyArray<SealedColumn>
  readonly category: PiCategory
  readonly subjects: SubjectKind
  readonly purposes: ReadonlyArray<Localized>
  readonly basis: LawfulBasis
  readonly retention: Retention
  /** The time column a row's age is measured from. */
  readonly ageColumn: string
  /** How a row leads to its customer and its case (holds on either keep it). */
  readonly customer?: SubjectPath
  readonly case?: SubjectPath
  readonly purge: PurgeStrategy
  /** Rows of other tables that go with this class's rows (timelines, clocks). */
  readonly dependents?: ReadonlyArray<Dependent>
  /** Only rows matching this SQL condition on the row alias `t` belong to the class (e.g. `t.customer_key is not null`). */
  readonly where?: string
  /** The table has no `org_id` (instance-wide, e.g. users): listed in the inventory, not purged per organisation. */
  readonly global?: boolean
  /** Declared by a plugin (its id). */
  readonly plugin?: string
}

/**
 * A table that matches the personal-data rule but holds none of a customer's own data (e.g. an SLA
 * clock keyed by case id: timings only), with the reason. Declared beside the classes.
 * @category models
 * @since 0.7.0
 */
export interface NotPersonal {
  readonly table: string
  readonly reason: string
}

const classes = new Map<string, DataClass>()
const exempt = new Map<string, NotPersonal>()

const IDENT = /^[a-z_][a-z0-9_]*$/
const checkIdent = (what: string, name: string) => {
  const parts = name.split(".")
  if (parts.length > 2 || parts.some((p) => !IDENT.test(p)))
    throw new Error(`data class ${what}: bad identifier ${name}`)
}

/** Problems in a declaration (empty when sound). @category constructors @since 0.7.0 */
export const validate = (c: DataClass): ReadonlyArray<string> => {
  const problems: string[] = []
  try {
    checkIdent(c.id, c.table)
    for (const col of [...c.key, ...c.columns, c.ageColumn]) checkIdent(c.id, col)
    for (const p of [c.customer, c.case]) {
      if (!p) continue
      checkIdent(c.id, p.column)
      if (p.via) {
        checkIdent(c.id, p.via.table)
        checkIdent(c.id, p.via.column)
        if (p.via.key) checkIdent(c.id, p.via.key)
      }
    }
    for (const d of c.dependents ?? []) {
      checkIdent(c.id, d.table)
      checkIdent(c.id, d.column)
    }
    if (c.purge.kind === "anonymise") for (const col of Object.keys(c.purge.columns)) checkIdent(c.id, col)
    for (const s of c.sealed ?? []) checkIdent(c.id, s.column)
  } catch (e) {
    problems.push((e as Error).message)
  }
  if (c.retention.minDays < 0) problems.push(`${c.id}: negative minimum`)
  if (c.retention.maxDays !== null && c.retention.maxDays < c.retention.minDays)
    problems.push(`${c.id}: maximum ${c.retention.maxDays} days is below the minimum ${c.retention.minDays}`)
  if (c.key.length === 0) problems.push(`${c.id}: no key columns`)
  if (c.purposes.length === 0) problems.push(`${c.id}: no purpose`)
  for (const s of c.sealed ?? []) {
    if (!c.columns.includes(s.column))
      problems.push(`${c.id}: sealed column ${s.column} is not one of its personal columns`)
    if (s.fields.length === 0) problems.push(`${c.id}: sealed column ${s.column} names no field`)
  }
  return problems
}

/**
 * Register data classes (and tables declared as not personal). Registering the same id again
 * replaces it (tests and plugin reloads).
 * @category constructors
 * @since 0.7.0
 */
export const register = (
  declared: ReadonlyArray<DataClass>,
  notPersonal: ReadonlyArray<NotPersonal> = [],
): void => {
  for (const c of declared) {
    const problems = validate(c)
    if (problems.length) throw new Error(problems.join("; "))
    classes.set(c.id, c)
  }
  for (const n of notPersonal) exempt.set(n.table, n)
}

/** Remove a plugin's classes (when it is uninstalled). @category constructors @since 0.7.0 */
export const unregisterPlugin = (pluginId: string): void => {
  for (const [id, c] of classes) if (c.plugin === pluginId) classes.delete(id)
}

/** Every registered class, by module then id. @category getters @since 0.7.0 */
export const all = (): ReadonlyArray<DataClass> =>
  [...classes.values()].sort((a, b) => a.module.localeCompare(b.module) || a.id.localeCompare(b.id))

/** One class by id. @category getters @since 0.7.0 */
export const get = (id: string): DataClass | undefined => classes.get(id)

/**
 * The field names every registered class seals values under (a subject export opens sealed values
 * with them).
 * @category getters
 * @since 0.8.0
 */
export const sealedFields = (declared: ReadonlyArray<DataClass> = all()): ReadonlyArray<string> => [
  ...new Set(declared.flatMap((c) => (c.sealed ?? []).flatMap((s) => s.fields))),
]

/** Tables declared as holding no personal data of a customer. @category getters @since 0.7.0 */
export const notPersonal = (): ReadonlyArray<NotPersonal> => [...exempt.values()]

/** The extension point plugins declare their data classes through. @category models @since 0.7.0 */
export interface DataClassesExtensionPoint {
  readonly addDataClass: (dataClass: DataClass) => void
}
/** @category constructors @since 0.7.0 */
export const dataClassesExtensionPoint = extensionPoint<DataClassesExtensionPoint>({
  id: "core.data-classes",
})

/**
 * The rule the schema check applies: a table holds a customer's personal data when it has a
 * column that links a row to a customer or a case (`customer_id`, `customer_key`, `case_id`), or a
 * column that by its name holds contact details (`phone`, `email`, `contacts`, `mobile`, `address`).
 * Staff-only tables (people, users) are declared too, but the rule does not require it.
 * @category constructors
 * @since 0.7.0
 */
export const PERSONAL_COLUMN = /^(customer_id|customer_key|case_id|phone|mobile|email|contacts|address)$/
