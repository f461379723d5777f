/**
 * Risk libraries as data (`tenet-risk-library/v1`, JSON or YAML): matrices and category catalogues an
 * organisation imports in the app or a plugin contributes. Every problem names its path in the
 * document (`matrices[1].bands[2].colour`).
 *
 * @since 0.1.0
 */
import { Errors } from "@tenet/core"
import YAML from "yaml"
import type { Category } from "./Catalogue"
import * as Matrix from "./Matrix"
import { type Ctx, change, type Database } from "./store"

/** The library format's name. @category models @since 0.1.0 */
export const FORMAT = "tenet-risk-library/v1"

/** A risk library. @category models @since 0.1.0 */
export interface Library {
  readonly format: typeof FORMAT
  readonly id: string
  readonly version: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  readonly matrices?: ReadonlyArray<Matrix.MatrixDefinition> | undefined
  readonly categories?: ReadonlyArray<Category> | undefined
}
/** @category models @since 0.1.0 */
export type Issue = Matrix.Issue

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)
const localized = (v: unknown) =>
  isObj(v) &&
  typeof v["zh-CN"] === "string" &&
  !!v["zh-CN"].trim() &&
  typeof v.en === "string" &&
  !!v.en.trim()

/**
 * Everything wrong with a library document, each with its path.
 * @category guards
 * @since 0.1.0
 */
export const validate = (doc: unknown): Issue[] => {
  if (!isObj(doc)) return [{ path: [], message: "must be an object", code: "type" }]
  const issues: Issue[] = []
  if (doc.format !== FORMAT) issues.push({ path: ["format"], message: `must be "${FORMAT}"`, code: "format" })
  if (typeof doc.id !== "string" || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(doc.id))
    issues.push({ path: ["id"], message: "must be lower-case letters, digits, . _ -", code: "id" })
  if (typeof doc.version !== "string" || !doc.version.trim())
    issues.push({ path: ["version"], message: "required", code: "required" })
  if (!localized(doc.name))
    issues.push({ path: ["name"], message: "needs a name in zh-CN and en", code: "localized" })
  if (doc.matrices === undefined && doc.categories === undefined)
    issues.push({ path: [], message: "holds neither matrices nor categories", code: "empty" })
  for (const key of ["matrices", "categories"] as const) {
    const list = doc[key]
    if (list === undefined) continue
    if (!Array.isArray(list)) {
      issues.push({ path: [key], message: "must be a list", code: "type" })
      continue
    }
    const seen = new Set<string>()
    list.forEach((item: unknown, i) => {
      if (!isObj(item)) {
        issues.push({ path: [key, i], message: "must be an object", code: "type" })
        return
      }
      if (typeof item.id === "string" && seen.has(item.id))
        issues.push({ path: [key, i, "id"], message: `duplicate id ${item.id}`, code: "duplicate" })
      if (typeof item.id === "string") seen.add(item.id)
      if (key === "matrices")
        for (const m of Matrix.validate(item as unknown as Matrix.MatrixDefinition))
          issues.push({ ...m, path: [key, i, ...m.path] })
      else {
        if (typeof item.id !== "string" || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(item.id))
          issues.push({
            path: [key, i, "id"],
            message: "must be lower-case letters, digits, _ -",
            code: "id",
          })
        if (!localized(item.name))
          issues.push({ path: [key, i, "name"], message: "needs a name in zh-CN and en", code: "localized" })
        if (item.description !== undefined && !localized(item.description))
          issues.push({ path: [key, i, "description"], message: "needs zh-CN and en", code: "localized" })
      }
    })
  }
  return issues
}

/** A path as people read it: `matrices[1].bands[2].colour`. @category constructors @since 0.1.0 */
export const pathText = (path: ReadonlyArray<string | number>): string =>
  path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("") || "(document)"

/**
 * Parse JSON or YAML and check it: a `ValidationError` whose issues name the path of each problem
 * under `document` (a YAML syntax error names its line).
 * @category constructors
 * @since 0.1.0
 */
export const parse = (text: string, format: "json" | "yaml"): Library => {
  let doc: unknown
  if (format === "json") {
    try {
      doc = JSON.parse(text)
    } catch (e) {
      throw new Errors.ValidationError({
        message: "invalid JSON",
        issues: [{ path: ["document"], message: (e as Error).message, code: "json" }],
      })
    }
  } else {
    const d = YAML.parseDocument(text)
    if (d.errors.length) {
      const e = d.errors[0]!
      const line = e.linePos?.[0]?.line ?? "?"
      throw new Errors.ValidationError({
        message: "invalid YAML",
        issues: [
          {
            path: ["document"],
            message: `line ${line}: ${e.message.split("\n")[0] ?? ""}`,
            code: "yaml",
            params: { line, detail: e.message.split("\n")[0] ?? "" },
          },
        ],
      })
    }
    doc = d.toJS()
  }
  return check(doc)
}

/** A document checked (a `ValidationError` naming every bad path otherwise). @category constructors @since 0.1.0 */
export const check = (doc: unknown): Library => {
  const issues = validate(doc)
  if (issues.length)
    throw new Errors.ValidationError({
      message: `invalid risk library: ${issues.map((i) => `${pathText(i.path)}: ${i.message}`).join("; ")}`,
      issues: issues.map((i) => ({
        path: ["document", ...i.path],
        message: `${pathText(i.path)}: ${i.message}`,
        code: i.code,
        params: { at: pathText(i.path) },
      })),
    })
  return doc as Library
}

/**
 * Import a library into an organisation: its matrices and categories are added or replaced (by id).
 * The first matrix becomes the default when the organisation has none.
 * @category constructors
 * @since 0.1.0
 */
export const importLibrary = async (db: Database, ctx: Ctx, input: unknown, source = "app") => {
  const lib = check(input)
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const hasDefault = await tx
      .selectFrom("risk.matrix")
      .select("id")
      .where("org_id", "=", ctx.orgId)
      .where("is_default", "=", true)
      .executeTakeFirst()
    let first = !hasDefault
    for (const m of lib.matrices ?? []) {
      await tx
        .insertInto("risk.matrix")
        .values({ org_id: ctx.orgId, id: m.id, definition: JSON.stringify(m), is_default: first, source })
        .onConflict((oc) =>
          oc.columns(["org_id", "id"]).doUpdateSet({ definition: JSON.stringify(m), source }),
        )
        .execute()
      first = false
    }
    for (const [position, k] of (lib.categories ?? []).entries()) {
      const description = k.description ? JSON.stringify(k.description) : null
      await tx
        .insertInto("risk.category")
        .values({ org_id: ctx.orgId, id: k.id, name: JSON.stringify(k.name), description, position, source })
        .onConflict((oc) =>
          oc
            .columns(["org_id", "id"])
            .doUpdateSet({ name: JSON.stringify(k.name), description, position, source }),
        )
        .execute()
    }
    const summary = {
      library: lib.id,
      version: lib.version,
      matrices: (lib.matrices ?? []).map((m) => m.id),
      categories: (lib.categories ?? []).map((k) => k.id),
    }
    await audit({
      action: "risk.library.imported",
      entityType: "risk_library",
      entityId: lib.id,
      after: summary,
    })
    await emit({
      type: "risk.library.imported",
      aggregateType: "risk_library",
      aggregateId: lib.id,
      payload: summary,
    })
    return summary
  })
}
