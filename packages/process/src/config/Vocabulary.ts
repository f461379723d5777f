import { type Db, Errors, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { DEFAULT_VOCABULARY, VOCABULARY_CODE, VOCABULARY_KINDS, type VocabularyKind } from "../Case"
import { change, type Ex, processDb, type Vocabulary } from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

// ---------------------------------------------------------------------------
// case types and categories: an organisation's vocabulary, labelled in both languages
// ---------------------------------------------------------------------------

/** A vocabulary entry as the API gives it. */
export interface VocabularyEntry {
  readonly kind: VocabularyKind
  readonly code: string
  readonly labelZh: string
  readonly labelEn: string
  readonly active: boolean
  readonly position: number
}

/** Every entry (active or not), types first, in position order. */
export const listVocabulary = async (db: Database | Ex, orgId: string): Promise<VocabularyEntry[]> => {
  const ex = "kysely" in db ? processDb(db) : db
  const rows = await ex
    .selectFrom("process.case_vocabulary")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("kind", "desc")
    .orderBy("position")
    .orderBy("code")
    .execute()
  return rows.map((r) => ({
    kind: r.kind,
    code: r.code,
    labelZh: r.label_zh,
    labelEn: r.label_en,
    active: r.active,
    position: r.position,
  }))
}

/** The seed vocabulary, for an organisation's defaults (idempotent). */
export const seedVocabulary = async (tx: Ex, orgId: string) => {
  const rows = DEFAULT_VOCABULARY.map((v, i) => ({ ...v, position: i + 1 }))
  await sql`insert into process.case_vocabulary (org_id, kind, code, label_zh, label_en, position)
    select ${orgId}, x.kind, x.code, x.zh, x.en, x.position
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(kind text, code text, zh text, en text, position int)
    on conflict do nothing`.execute(tx)
}

/**
 * Issues with a case's type and category against the vocabulary: an unknown (or retired) code is
 * refused with the field named and the codes that are accepted.
 */
export const vocabularyIssues = (
  input: { readonly type?: string | undefined; readonly category?: string | null | undefined },
  vocabulary: Vocabulary,
  prefix: ReadonlyArray<string | number> = [],
): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  const check = (kind: VocabularyKind, value: string | null | undefined) => {
    if (value === undefined || value === null || value === "") return
    const known = vocabulary[kind]
    if (known.has(value)) return
    const values = [...known].sort().join(", ")
    issues.push({
      path: [...prefix, kind],
      message: `unknown ${kind === "type" ? "case type" : "category"} "${value}"; one of ${values}`,
      code: kind === "type" ? "unknownCaseType" : "unknownCategory",
      params: { value, values },
    })
  }
  check("type", input.type)
  check("category", input.category)
  return issues
}

/** Add a type or category, or change its labels, position or whether it is in use. */
export const saveVocabularyEntry = async (
  db: Database,
  ctx: Ctx,
  input: {
    kind: string
    code: string
    labelZh: string
    labelEn: string
    active?: boolean | undefined
    position?: number | undefined
  },
): Promise<VocabularyEntry> => {
  const issues: Errors.FieldIssue[] = []
  if (!(VOCABULARY_KINDS as readonly string[]).includes(input.kind))
    issues.push({
      path: ["kind"],
      message: `must be one of ${VOCABULARY_KINDS.join(", ")}`,
      code: "oneOf",
      params: { values: VOCABULARY_KINDS.join(", ") },
    })
  if (!VOCABULARY_CODE.test(input.code ?? ""))
    issues.push({
      path: ["code"],
      message: "must be 1–64 lower-case letters, digits, _ or -, starting with a letter or digit",
      code: "vocabularyCode",
    })
  for (const f of ["labelZh", "labelEn"] as const) {
    const label = input[f]
    if (!label?.trim()) issues.push({ path: [f], message: "must not be empty", code: "required" })
    else if (label.length > 100)
      issues.push({
        path: [f],
        message: "must be at most 100 characters",
        code: "maxLength",
        params: { max: 100 },
      })
  }
  if (
    input.position !== undefined &&
    !(Number.isInteger(input.position) && input.position >= 0 && input.position <= 10_000)
  )
    issues.push({
      path: ["position"],
      message: "must be a whole number from 0 to 10000",
      code: "wholeRange",
      params: { min: 0, max: 10_000 },
    })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid vocabulary entry", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const before = (await listVocabulary(tx, ctx.orgId)).find(
      (e) => e.kind === input.kind && e.code === input.code,
    )
    const position =
      input.position ??
      before?.position ??
      Number(
        (
          await sql<{
            n: number
          }>`select coalesce(max(position), 0)::int + 1 as n from process.case_vocabulary
            where org_id = ${ctx.orgId} and kind = ${input.kind}`.execute(tx)
        ).rows[0]!.n,
      )
    const active = input.active ?? before?.active ?? true
    await sql`insert into process.case_vocabulary (org_id, kind, code, label_zh, label_en, active, position)
      values (${ctx.orgId}, ${input.kind}, ${input.code}, ${input.labelZh.trim()}, ${input.labelEn.trim()}, ${active}, ${position})
      on conflict (org_id, kind, code) do update set label_zh = excluded.label_zh, label_en = excluded.label_en,
        active = excluded.active, position = excluded.position, updated_at = now()`.execute(tx)
    const after: VocabularyEntry = {
      kind: input.kind as VocabularyKind,
      code: input.code,
      labelZh: input.labelZh.trim(),
      labelEn: input.labelEn.trim(),
      active,
      position,
    }
    await audit({
      action: before ? "case_vocabulary.updated" : "case_vocabulary.created",
      entityType: "case_vocabulary",
      entityId: `${input.kind}:${input.code}`,
      before,
      after,
    })
    return after
  })
}
