/** Privacy endpoints: the inventory (records of processing), retention policies, dry run and purge, holds, purge history. */
import { DataClasses, Errors } from "@tenet/core"
import { PrivacyHolds, Retention, type RiskTables } from "@tenet/risk"
import { endpoint } from "../../http/endpoint"
import { HoldBody, HoldQuery, PolicyBody, PurgeBody } from "./schemas"

export const TAG = "Privacy"

const refused = (e: unknown): never => {
  if (e instanceof Retention.PolicyRefused)
    throw new Errors.ValidationError({
      message: e.message,
      issues: [{ path: [e.field], message: e.message, code: e.code }],
    })
  if (e instanceof PrivacyHolds.UnknownClass)
    throw new Errors.ValidationError({
      message: `unknown data class ${e.message}`,
      issues: [{ path: ["target"], message: "unknown data class", code: "unknownDataClass" }],
    })
  throw e
}

/** The inventory: every declared class with the organisation's policy. */
const inventory = async (db: Parameters<typeof Retention.policies>[0], orgId: string) => {
  const policies = new Map((await Retention.policies(db, orgId)).map((p) => [p.classId, p]))
  return DataClasses.all().map((c) => ({
    id: c.id,
    module: c.module,
    name: c.name,
    description: c.description,
    table: c.table,
    columns: c.columns,
    category: c.category,
    subjects: c.subjects,
    purposes: c.purposes,
    basis: c.basis,
    declared: c.retention,
    policy: policies.get(c.id) ?? null,
    purge: c.purge.kind,
    plugin: c.plugin ?? null,
  }))
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v)
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const retentionEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/privacy/inventory",
    exportable: true,
    operationId: "privacyInventory",
    summary:
      "Records of processing: every declared data class (table, PI columns, purposes, lawful basis, retention)",
    tag: TAG,
    access: "privacy:read",
    handler: async (c, { ctx }) => ({
      // `effective`: the retention that applies (the organisation's policy, else the declared one)
      items: (await inventory(c.get("db").as<RiskTables>(), ctx.orgId)).map((x) => ({
        ...x,
        effective: x.policy ?? { ...x.declared, overridden: false },
      })),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/inventory/export",
    operationId: "exportPrivacyInventory",
    summary: "Records of processing as CSV (one row per data class, both languages)",
    tag: TAG,
    access: "privacy:read",
    handler: async (c, { ctx }) => {
      const cols = [
        "id",
        "module",
        "name_zh",
        "name_en",
        "table",
        "columns",
        "category",
        "subjects",
        "purposes_zh",
        "purposes_en",
        "basis",
        "min_days",
        "max_days",
        "purge",
      ]
      const lines = [cols.join(",")]
      for (const i of await inventory(c.get("db").as<RiskTables>(), ctx.orgId))
        lines.push(
          [
            i.id,
            i.module,
            i.name["zh-CN"],
            i.name.en,
            i.table,
            i.columns.join(" "),
            i.category,
            i.subjects,
            i.purposes.map((p) => p["zh-CN"]).join("; "),
            i.purposes.map((p) => p.en).join("; "),
            i.basis,
            i.policy?.minDays ?? i.declared.minDays,
            i.policy?.maxDays ?? i.declared.maxDays ?? "",
            i.purge,
          ]
            .map(csvCell)
            .join(","),
        )
      return new Response(`\uFEFF${lines.join("\r\n")}\r\n`, {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": 'attachment; filename="records-of-processing.csv"',
        },
      })
    },
  }),
  endpoint({
    method: "put",
    path: "/api/v1/privacy/policies/{classId}",
    operationId: "setPrivacyPolicy",
    summary: "Set a data class's retention for the organisation (never below the declared legal minimum)",
    tag: TAG,
    access: "privacy:manage",
    body: PolicyBody,
    handler: async (c, { ctx, params, body }) =>
      Retention.setPolicy(c.get("db"), ctx, { classId: params.classId!, ...body }).catch(refused),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/retention/dry-run",
    exportable: true,
    operationId: "privacyDryRun",
    summary: "What a purge would remove now, per data class, and what legal holds keep",
    tag: TAG,
    access: "privacy:read",
    handler: async (c, { ctx }) => ({ items: await Retention.dryRun(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/privacy/retention/purge",
    operationId: "privacyPurge",
    summary: "Purge now what is past its maximum (as the daily job does), with deletion evidence",
    tag: TAG,
    access: "privacy:manage",
    body: PurgeBody,
    handler: async (c, { ctx, body }) => ({
      items: await Retention.purge(c.get("db"), ctx, {
        trigger: "manual",
        ...(body.classIds ? { classIds: body.classIds } : {}),
      }),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/purges",
    exportable: true,
    operationId: "listPrivacyPurges",
    summary: "Purge history: deletion evidence (class, count, hashed ids, policy, time, trigger)",
    tag: TAG,
    access: "privacy:read",
    handler: async (c, { ctx }) => {
      const rows = await c
        .get("db")
        .as<RiskTables>()
        .selectFrom("risk.privacy_purge")
        .selectAll()
        .where("org_id", "=", ctx.orgId)
        .orderBy("at", "desc")
        .orderBy("id", "desc")
        .limit(500)
        .execute()
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at,
          classId: r.class_id,
          action: r.action,
          count: r.count,
          hashedIds: r.hashed_ids,
          policy: r.policy,
          trigger: r.trigger,
          requestId: r.request_id,
          actorId: r.actor_id,
        })),
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/holds",
    operationId: "listPrivacyHolds",
    summary: "Legal holds (on a customer, a case or a data class)",
    tag: TAG,
    access: "privacy:read",
    query: HoldQuery,
    handler: async (c, { ctx, query }) => ({
      items: await PrivacyHolds.list(c.get("db").as<RiskTables>(), ctx.orgId, {
        active: query.active === "true",
      }),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/privacy/holds",
    operationId: "placePrivacyHold",
    summary: "Place a legal hold: no purge or erasure removes what it covers until it is released",
    tag: TAG,
    access: "privacy:write",
    body: HoldBody,
    status: 201,
    handler: async (c, { ctx, body }) => PrivacyHolds.place(c.get("db"), ctx, body).catch(refused),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/privacy/holds/{id}/release",
    operationId: "releasePrivacyHold",
    summary: "Release a legal hold",
    tag: TAG,
    access: "privacy:write",
    handler: async (c, { ctx, params }) => {
      const h = await PrivacyHolds.release(c.get("db"), ctx, params.id!)
      if (!h) throw new Errors.NotFoundError({ entity: "privacy_hold", id: params.id! })
      return h
    },
  }),
]
