/**
 * Endpoints defined once: method, path, permission, Effect Schemas for the body and query,
 * and the handler. The same definition registers the Hono route (decoding input with the
 * schemas, problem+json naming every invalid field) and produces the OpenAPI 3.1 document.
 */
import { Errors, Tenancy } from "@tenet/core"
import { Schema } from "effect"
import type { Context, Hono } from "hono"
import type { AppEnv, Auth } from "./env"
import { EXPORT_PARAMS, exportList, exportRequestOf } from "./export"
import { checkParams, DEFAULT_LIMITS, type InputLimits, readJsonBody } from "./policy"

export type AnySchema = Schema.Top & Schema.ConstraintDecoder<unknown>

export type Access = "public" | "signed_in" | Tenancy.Permission

// biome-ignore lint/suspicious/noExplicitAny: a list of endpoints holds different body and query schemas; the handler's input is contravariant in them, so only `any` (an existential) lets one list hold them all — each endpoint is checked where `endpoint()` defines it
export interface Endpoint<B extends AnySchema | undefined = any, Q extends AnySchema | undefined = any> {
  readonly method: "get" | "post" | "patch" | "put" | "delete"
  /** OpenAPI-style path: /api/v1/members/{userId} */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly tag: string
  readonly access: Access
  readonly body?: B
  readonly query?: Q
  readonly response?: AnySchema
  readonly status?: 200 | 201 | 204
  /**
   * A list the admin shows as a table: the same URL with `export=csv|xlsx` (and `columns`, `lang`)
   * streams it as a file, following keyset pages (see `http/export.ts`).
   */
  readonly exportable?: boolean
  readonly handler: (
    c: Context<AppEnv>,
    input: {
      body: B extends AnySchema ? B["Type"] : undefined
      query: Q extends AnySchema ? Q["Type"] : undefined
      params: Record<string, string>
      auth: Auth
      ctx: Tenancy.OrgContext
    },
  ) => Promise<unknown>
}

export const endpoint = <
  B extends AnySchema | undefined = undefined,
  Q extends AnySchema | undefined = undefined,
>(
  e: Endpoint<B, Q>,
): Endpoint<B, Q> => e

const withoutExportParams = (q: Record<string, string>) => {
  const out = { ...q }
  for (const k of EXPORT_PARAMS) delete out[k]
  return out
}
/** An export's file name: the path's last fixed segment (`/api/v1/process/customers` → `customers`). */
const exportName = (path: string) =>
  path
    .split("/")
    .filter((s) => s && !s.startsWith("{"))
    .slice(-2)
    .filter((s) => s !== "v1" && s !== "api")
    .join("-")

/** The codes of the schemas' own messages (see `Errors.FieldIssue`). */
const SCHEMA_CODES: Readonly<Record<string, string>> = {
  "must not be empty": "required",
  "must be an ISO 8601 date-time": "dateTime",
  "must be an email address": "email",
  "must be a date-time between the years 1900 and 9999": "dateRange",
  "must be a whole number": "integer",
  "must be a finite number": "number",
}

// one validator per schema, made on first use (making it costs more than validating a body)
const validators = new WeakMap<AnySchema, ReturnType<typeof Schema.toStandardSchemaV1>>()
const validatorOf = (schema: AnySchema) => {
  let v = validators.get(schema)
  if (!v) {
    v = Schema.toStandardSchemaV1(schema, { parseOptions: { errors: "all" } })
    validators.set(schema, v)
  }
  return v
}

const decode = (schema: AnySchema, input: unknown, where: "body" | "query") => {
  const result = validatorOf(schema)["~standard"].validate(input)
  if (result instanceof Promise) throw new Error("async schemas are not supported at the edge")
  if (result.issues) {
    throw new Errors.ValidationError({
      message: where === "body" ? "The request body is invalid." : "The query string is invalid.",
      issues: result.issues.map((i) => {
        const path = (i.path ?? []).map((p) =>
          typeof p === "object" ? (p.key as string | number) : (p as string | number),
        )
        if (i.message === "Missing key") return { path, message: "is required", code: "required" }
        const code = SCHEMA_CODES[i.message]
        if (code) return { path, message: i.message, code }
        const maxLength = /^must be at most (\d+) characters$/.exec(i.message)
        if (maxLength)
          return { path, message: i.message, code: "maxLength", params: { max: Number(maxLength[1]) } }
        const tz = /^unknown time zone: (.*)$/s.exec(i.message)
        if (tz) return { path, message: i.message, code: "timeZone", params: { value: tz[1]!.slice(0, 64) } }
        const oneOf = /^must be one of: (.+)$/.exec(i.message)
        return oneOf
          ? { path, message: i.message, code: "oneOf", params: { values: oneOf[1]! } }
          : // a rarer schema message: still named as an invalid value in the reader's language
            { path, message: i.message, code: "invalidValue", params: { detail: i.message } }
      }),
    })
  }
  return result.value
}

/** For hand-written routes: a query string (or a value parsed from it) decoded with a schema, as endpoints do. */
export const decodeQuery = <S extends AnySchema>(schema: S, input: unknown): S["Type"] =>
  decode(schema, input, "query") as S["Type"]

/** The OpenAPI description of a hand-written route (a stream or an upload). */
export interface StreamDoc {
  readonly method: "get" | "post"
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly tag: string
  /** A permission, or "public" for a route anyone may read (no sign-in) */
  readonly access: Tenancy.Permission | "public"
  readonly query?: AnySchema
  readonly requestBody?: { readonly contentTypes: ReadonlyArray<string>; readonly description: string }
  readonly response: {
    readonly status: 200 | 201
    readonly contentType: string
    readonly description: string
  }
}

/**
 * For hand-written routes (streams, uploads): the caller's auth, checked for a permission,
 * with the same errors as endpoints.
 */
export const authorize = (c: Context<AppEnv>, permission: Tenancy.Permission) => {
  // the query string and body are bounded by the policy's middleware; the path here
  checkParams(c.req.param() as Record<string, string>, DEFAULT_LIMITS)
  const auth = c.get("auth")
  if (!auth)
    throw new Errors.UnauthorizedError({ message: "sign in or send an API key (Authorization: Bearer …)" })
  if (!auth.orgId) throw NO_ORG()
  if (!Tenancy.can(auth.role, permission))
    throw new Errors.ForbiddenError({
      message: `your role (${auth.role}) does not allow ${permission}`,
      permission,
    })
  return { ...auth, orgId: auth.orgId }
}

const NO_ORG = () =>
  new Errors.ForbiddenError({
    message: "you are not a member of any organisation; ask an owner for an invitation",
  })

export const register = (
  app: Hono<AppEnv>,
  endpoints: ReadonlyArray<Endpoint>,
  limits: InputLimits = DEFAULT_LIMITS,
) => {
  for (const e of endpoints) {
    const honoPath = e.path.replace(/\{(\w+)\}/g, ":$1")
    app.on(e.method.toUpperCase(), honoPath, async (c) => {
      const auth = c.get("auth")
      if (e.access !== "public") {
        if (!auth)
          throw new Errors.UnauthorizedError({
            message: "sign in or send an API key (Authorization: Bearer …)",
          })
        if (e.access !== "signed_in") {
          if (!auth.orgId) throw NO_ORG()
          if (!Tenancy.can(auth.role, e.access))
            throw new Errors.ForbiddenError({
              message: `your role (${auth.role}) does not allow ${e.access}`,
              permission: e.access,
            })
        }
      }
      const params = c.req.param() as Record<string, string>
      checkParams(params, limits)
      const body = e.body ? decode(e.body, await readJsonBody(c, limits), "body") : undefined
      const rawQuery = c.req.query()
      const exporting = e.exportable && e.method === "get" ? exportRequestOf(rawQuery) : undefined
      const listQuery = exporting ? withoutExportParams(rawQuery) : rawQuery
      const query = e.query ? decode(e.query, listQuery, "query") : undefined
      const ctx: Tenancy.OrgContext = {
        orgId: auth?.orgId ?? "",
        actor: auth
          ? auth.kind === "api_key"
            ? { type: "api_key", id: auth.apiKeyId!, ...(auth.role ? { role: auth.role } : {}) }
            : { type: "user", id: auth.user!.id, ...(auth.role ? { role: auth.role } : {}) }
          : { type: "system", id: "anonymous" },
        requestId: c.get("requestId"),
      }
      const run = (q: unknown) =>
        e.handler(c, { body: body as never, query: q as never, params, auth: auth as Auth, ctx })
      if (exporting)
        return exportList(c, exportName(e.path), exporting, (cursor) =>
          cursor === undefined
            ? run(query)
            : run(e.query ? decode(e.query, { ...listQuery, cursor }, "query") : undefined),
        )
      const out = await run(query)
      if (out instanceof Response) return out
      if (e.status === 204) return c.body(null, 204)
      return c.json(out as object, e.status ?? 200)
    })
  }
}
