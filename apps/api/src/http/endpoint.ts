/**
 * Endpoints defined once: method, path, permission, Effect Schemas for the body and query,
 * and the handler. The same definition registers the Hono route (decoding input with the
 * schemas, problem+json naming every invalid field) and produces the OpenAPI 3.1 document.
 */
import { Errors, Tenancy } from "@tenet/core"
import { Schema } from "effect"
import type { Context, Hono } from "hono"
import { etagOf, listNames, oneAtATime, PreconditionFailed } from "./concurrency"
import type { AppEnv, Auth } from "./env"
import { EXPORT_PARAMS, exportList, exportRequestOf, type RowsOf } from "./export"
import * as Idempotency from "./idempotency"
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
   * streams it as a file, following keyset pages (see `http/export.ts`). `{ rows }`: a resource that
   * holds a table, `rows` takes them from its answer (an evaluation's results).
   */
  readonly exportable?: boolean | { readonly rows: RowsOf }
  /** A GET of one resource that editors change: answers an `ETag` and honours `If-None-Match` (see `http/concurrency.ts`). */
  readonly etag?: boolean
  /**
   * A change that honours `If-Match`: the operationId of the GET (with `etag: true`) whose answer is
   * the version the editor saw; its path parameters are taken from this endpoint's by name.
   */
  readonly ifMatch?: string
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
  // Effect Schema's own messages for its checks (isInt, isBetween, …)
  "Expected an integer": "integer",
}

/** Effect Schema's range messages, as a code with the bounds (translated by clients). */
const RANGE_CODES: ReadonlyArray<readonly [RegExp, string, ReadonlyArray<"min" | "max">]> = [
  [/^Expected a value between (\S+) and (\S+)$/, "between", ["min", "max"]],
  [/^Expected a value greater than or equal to (\S+)$/, "atLeast", ["min"]],
  [/^Expected a value less than or equal to (\S+)$/, "atMost", ["max"]],
  [/^Expected a value greater than (\S+)$/, "greaterThan", ["min"]],
  [/^Expected a value less than (\S+)$/, "lessThan", ["max"]],
]

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
        for (const [pattern, rangeCode, names] of RANGE_CODES) {
          const m = pattern.exec(i.message)
          if (m)
            return {
              path,
              message: i.message,
              code: rangeCode,
              params: Object.fromEntries(names.map((n, k) => [n, Number(m[k + 1])])),
            }
        }
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
  for (const e of endpoints) byOperation.set(e.operationId, e)
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
        return exportList(
          c,
          exportName(e.path),
          exporting,
          (cursor) =>
            cursor === undefined
              ? run(query)
              : run(e.query ? decode(e.query, { ...listQuery, cursor }, "query") : undefined),
          typeof e.exportable === "object" ? e.exportable.rows : undefined,
        )
      const handle = async (): Promise<Answer> => {
        const out = await run(query)
        if (out instanceof Response) return { status: out.status, body: undefined, raw: out }
        return e.status === 204 ? { status: 204, body: undefined } : { status: e.status ?? 200, body: out }
      }
      const read = e.ifMatch ? byOperation.get(e.ifMatch) : undefined
      const guarded = read ? () => withIfMatch(c, read, { auth, ctx, params }, handle) : handle
      const key = e.method === "post" && auth?.orgId ? c.req.header("idempotency-key") : undefined
      let answer: Answer
      if (key !== undefined && auth?.orgId) {
        let raw: Response | undefined
        let headers: Record<string, string> | undefined
        const kept = await Idempotency.once(
          c.get("db"),
          {
            orgId: auth.orgId,
            principal: Idempotency.principalOf(auth),
            key,
            fingerprint: Idempotency.fingerprint(c.req.method, c.req.url, body),
          },
          async () => {
            const a = await guarded()
            raw = a.raw
            headers = a.headers
            return { status: a.status, body: a.body, keep: a.raw === undefined }
          },
        )
        answer = kept.replayed
          ? { status: kept.status, body: kept.body, headers: { "idempotent-replayed": "true" } }
          : { status: kept.status, body: kept.body, raw, headers }
      } else answer = await guarded()
      if (answer.raw) return answer.raw
      for (const [k, v] of Object.entries(answer.headers ?? {})) c.header(k, v)
      if (e.etag && e.method === "get" && answer.status === 200) {
        const tag = etagOf(answer.body)
        c.header("etag", tag)
        const none = c.req.header("if-none-match")
        if (none !== undefined && listNames(none, tag)) return c.body(null, 304)
      }
      if (answer.status === 204) return c.body(null, 204)
      return c.json(answer.body as object, answer.status as 200)
    })
  }
}

interface Answer {
  readonly status: number
  readonly body: unknown
  /** a handler's own Response (a stream, a redirect): sent as it is, never kept for a retry */
  readonly raw?: Response | undefined
  readonly headers?: Record<string, string> | undefined
}

/** Every endpoint registered, by operationId: a change's `ifMatch` names the GET it is checked against. */
const byOperation = new Map<string, Endpoint>()

/** The representation an editor reads (the `ifMatch` GET, with this request's path parameters). */
const representation = async (
  c: Context<AppEnv>,
  read: Endpoint,
  input: { auth: Auth | undefined; ctx: Tenancy.OrgContext; params: Record<string, string> },
) => {
  const names = [...read.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)
  const params = Object.fromEntries(names.map((n) => [n, input.params[n] ?? ""]))
  return {
    key: `${input.ctx.orgId} ${read.operationId} ${JSON.stringify(params)}`,
    get: async () => {
      try {
        return await read.handler(c, {
          body: undefined as never,
          query: (read.query ? decode(read.query, {}, "query") : undefined) as never,
          params,
          auth: input.auth as Auth,
          ctx: input.ctx,
        })
      } catch (err) {
        // a resource the change removed has no version left to tag
        if (Errors.isTenetError(err) && err._tag === "NotFoundError") return undefined
        throw err
      }
    },
  }
}

const withIfMatch = async (
  c: Context<AppEnv>,
  read: Endpoint,
  input: { auth: Auth | undefined; ctx: Tenancy.OrgContext; params: Record<string, string> },
  handle: () => Promise<Answer>,
): Promise<Answer> => {
  const r = await representation(c, read, input)
  return oneAtATime(r.key, async () => {
    const wanted = c.req.header("if-match")
    if (wanted !== undefined) {
      const current = await r.get()
      if (current === undefined || !listNames(wanted, etagOf(current)))
        throw new PreconditionFailed(
          "someone changed this since you opened it: reload to see their change, then make yours again",
        )
    }
    const answer = await handle()
    if (answer.raw || answer.status >= 300) return answer
    const now = await r.get()
    return now === undefined ? answer : { ...answer, headers: { ...answer.headers, etag: etagOf(now) } }
  })
}
