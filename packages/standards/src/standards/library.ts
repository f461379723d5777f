/**
 * Libraries: a standard imported from JSON or YAML (a newer version of an imported library
 * becomes a draft upgrade with its diff), and a version exported as a library document.
 *
 * @since 0.5.0
 */
import { Errors, Id } from "@tenet/core"
import YAML from "yaml"
import { diff, type StandardDocument, validate } from "../Standard"
import { type Ctx, change, type Database, type Registry } from "./types"
import { getVersion } from "./versions"

/** Parse a library document (JSON or YAML); syntax errors name the line. @category constructors @since 0.1.0 */
export const parseLibrary = (text: string, format: "json" | "yaml"): unknown => {
  try {
    if (format === "json") return JSON.parse(text)
    const doc = YAML.parseDocument(text)
    if (doc.errors.length) {
      const e = doc.errors[0]!
      const line = e.linePos?.[0]?.line ?? "?"
      const detail = e.message.split("\n")[0] ?? ""
      throw new Errors.ValidationError({
        message: "invalid YAML",
        issues: [
          { path: ["document"], message: `line ${line}: ${detail}`, code: "yaml", params: { line, detail } },
        ],
      })
    }
    return doc.toJS()
  } catch (e) {
    if (Errors.isTenetError(e)) throw e
    throw new Errors.ValidationError({
      message: "invalid JSON",
      issues: [{ path: ["document"], message: (e as Error).message, code: "json" }],
    })
  }
}

/** A library document checked against the schema and the metric registry. */
export const check = (doc: unknown, registry: Registry) => {
  const issues = validate(doc, (id) => registry.get(id) !== undefined)
  if (issues.length)
    throw new Errors.ValidationError({
      message: "invalid standard",
      issues: issues.map((i) => ({ ...i, path: ["document", ...i.path] })),
    })
  return doc as StandardDocument
}

/**
 * Import a library. A new standard starts as a draft; a newer version of a standard already
 * imported (same `id`) becomes a draft upgrade, returned with its diff against the latest version.
 * @category constructors
 * @since 0.1.0
 */
export const importLibrary = async (db: Database, ctx: Ctx, registry: Registry, raw: unknown) => {
  const doc = check(raw, registry)
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const existing = await tx
      .selectFrom("standards.standard")
      .select("id")
      .where("org_id", "=", ctx.orgId)
      .where("key", "=", doc.id)
      .forUpdate()
      .executeTakeFirst()
    let standardId: string
    let version = 1
    let changes: ReturnType<typeof diff> = []
    if (existing) {
      standardId = existing.id
      const l = await tx
        .selectFrom("standards.version")
        .select(["label", "version", "document"])
        .where("org_id", "=", ctx.orgId)
        .where("standard_id", "=", standardId)
        .orderBy("version", "desc")
        .limit(1)
        .executeTakeFirst()
      if (l && l.label === doc.version)
        throw new Errors.ConflictError({
          message: `version ${doc.version} of ${doc.id} is already imported`,
          field: "document/version",
          code: "versionImported",
          params: { version: String(doc.version), id: String(doc.id) },
        })
      version = (l?.version ?? 0) + 1
      changes = l ? diff(l.document, doc) : []
    } else {
      standardId = Id.make("std")
      await tx
        .insertInto("standards.standard")
        .values({
          org_id: ctx.orgId,
          id: standardId,
          key: doc.id,
          title: JSON.stringify(doc.title),
          provider: doc.provider ?? null,
          copyright: doc.copyright ?? null,
          licence: doc.licence ?? null,
        })
        .execute()
    }
    const history = [
      {
        status: "draft",
        by: ctx.actor.id,
        at: new Date().toISOString(),
        note: existing ? `upgrade to ${doc.version}` : "imported",
      },
    ]
    await tx
      .insertInto("standards.version")
      .values({
        org_id: ctx.orgId,
        standard_id: standardId,
        version,
        label: doc.version,
        status: "draft",
        document: JSON.stringify(doc),
        review_cadence_days: doc.reviewCadenceDays ?? null,
        history: JSON.stringify(history),
        based_on: version > 1 ? version - 1 : null,
        created_by: ctx.actor.id,
      })
      .execute()
    await audit({
      action: existing ? "standard.upgrade_imported" : "standard.imported",
      entityType: "standard",
      entityId: standardId,
      after: { key: doc.id, version, label: doc.version, changes: changes.length },
    })
    await emit({
      type: "standards.version.created",
      aggregateType: "standard",
      aggregateId: standardId,
      payload: { version },
    })
    return { standardId, version, upgrade: Boolean(existing), diff: changes }
  })
}

/** Export a version as a library document. @category constructors @since 0.1.0 */
export const exportVersion = async (
  db: Database,
  orgId: string,
  standardId: string,
  version: number,
  format: "json" | "yaml",
) => {
  const v = await getVersion(db, orgId, standardId, version)
  return format === "json" ? JSON.stringify(v.document, null, 2) : YAML.stringify(v.document)
}
