/**
 * Endpoints defined once: method, path, permission, Effect Schemas for the body and query,
 * and the handler. The same definition registers the Hono route (decoding input with the
 * schemas, problem+json naming every invalid field) and produces the OpenAPI 3.1 document.
 */
import { Errors, Tenancy } from "@tenet/core"
import { Schema } from "effect"
import type { Context, Hono } from "hono"
import type { AppEnv, Auth } from "./env"
import { checkParams, DEFAULT_LIMITS, type InputLimits, readJsonBody } from "./policy"

type AnySchema = Schema.Top & Schema.ConstraintDecoder<unknown>

/** The parts of a JSON Schema the OpenAPI document reads. */
interface JsonSchema {
  readonly $ref?: string
  readonly properties?: Readonly<Record<string, unknown>>
  readonly required?: ReadonlyArray<string>
  readonly [key: string]: unknown
}

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
  readonly access: Tenancy.Permission
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
      const query = e.query ? decode(e.query, c.req.query(), "query") : undefined
      const ctx: Tenancy.OrgContext = {
        orgId: auth?.orgId ?? "",
        actor: auth
          ? auth.kind === "api_key"
            ? { type: "api_key", id: auth.apiKeyId!, ...(auth.role ? { role: auth.role } : {}) }
            : { type: "user", id: auth.user!.id, ...(auth.role ? { role: auth.role } : {}) }
          : { type: "system", id: "anonymous" },
        requestId: c.get("requestId"),
      }
      const out = await e.handler(c, {
        body: body as never,
        query: query as never,
        params,
        auth: auth as Auth,
        ctx,
      })
      if (out instanceof Response) return out
      if (e.status === 204) return c.body(null, 204)
      return c.json(out as object, e.status ?? 200)
    })
  }
}

// ---------------------------------------------------------------------------
// OpenAPI 3.1
// ---------------------------------------------------------------------------

const rewriteRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewriteRefs)
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === "$ref" && typeof v === "string"
          ? v.replace("#/$defs/", "#/components/schemas/")
          : rewriteRefs(v)
    }
    return out
  }
  return value
}

export const openApiDocument = (
  endpoints: ReadonlyArray<Endpoint>,
  info: { version: string },
  streams: ReadonlyArray<StreamDoc> = [],
) => {
  const schemas: Record<string, unknown> = {}
  const toJson = (s: AnySchema) => {
    const doc = Schema.toJsonSchemaDocument(s)
    for (const [name, def] of Object.entries(doc.definitions ?? {})) schemas[name] = rewriteRefs(def)
    return rewriteRefs(doc.schema) as JsonSchema
  }
  // a query schema with an identifier comes back as a $ref: its properties are the parameters
  const inline = (s: JsonSchema): JsonSchema => {
    const ref = typeof s.$ref === "string" ? /^#\/components\/schemas\/(.+)$/.exec(s.$ref) : null
    return ref ? ((schemas[ref[1]!] as JsonSchema | undefined) ?? s) : s
  }
  const problem = { $ref: "#/components/schemas/Problem" }
  const paths: Record<string, Record<string, unknown>> = {}
  for (const e of endpoints) {
    const params = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }))
    if (e.query) {
      const q = inline(toJson(e.query))
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        params.push({
          name,
          in: "query",
          required: (q.required ?? []).includes(name),
          schema: schema as never,
        })
      }
    }
    const responses: Record<string, unknown> = {
      [String(e.status ?? 200)]:
        e.status === 204
          ? { description: "Done" }
          : {
              description: "OK",
              ...(e.response ? { content: { "application/json": { schema: toJson(e.response) } } } : {}),
            },
      default: {
        description: "A problem (RFC 9457)",
        content: { "application/problem+json": { schema: problem } },
      },
    }
    paths[e.path] ??= {}
    paths[e.path]![e.method] = {
      operationId: e.operationId,
      summary: e.summary,
      tags: [e.tag],
      ...(e.access === "public" ? { security: [] } : {}),
      ...(e.access !== "public" && e.access !== "signed_in" ? { "x-tenet-permission": e.access } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(e.body
        ? { requestBody: { required: true, content: { "application/json": { schema: toJson(e.body) } } } }
        : {}),
      responses,
    }
  }
  for (const d of streams) {
    const q = d.query ? inline(toJson(d.query)) : undefined
    const parameters = [
      ...[...d.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" },
      })),
      ...Object.entries(q?.properties ?? {}).map(([name, schema]) => ({
        name,
        in: "query",
        required: (q?.required ?? []).includes(name),
        schema,
      })),
    ]
    paths[d.path] ??= {}
    paths[d.path]![d.method] = {
      operationId: d.operationId,
      summary: d.summary,
      tags: [d.tag],
      "x-tenet-permission": d.access,
      ...(parameters.length ? { parameters } : {}),
      ...(d.requestBody
        ? {
            requestBody: {
              required: true,
              description: d.requestBody.description,
              content: Object.fromEntries(
                d.requestBody.contentTypes.map((t) => [t, { schema: { type: "string", format: "binary" } }]),
              ),
            },
          }
        : {}),
      responses: {
        [String(d.response.status)]: {
          description: d.response.description,
          content: {
            [d.response.contentType]: {
              schema: d.response.contentType === "text/csv" ? { type: "string" } : { type: "object" },
            },
          },
        },
        default: {
          description: "A problem (RFC 9457)",
          content: { "application/problem+json": { schema: problem } },
        },
      },
    }
  }
  schemas.Problem = {
    type: "object",
    description: "RFC 9457 problem details; `errors` names each invalid field.",
    properties: {
      type: { type: "string" },
      title: { type: "string" },
      status: { type: "integer" },
      detail: { type: "string" },
      instance: { type: "string" },
      code: { type: "string", description: "stable code of the problem as a whole (notFound, conflict, …)" },
      params: { type: "object", additionalProperties: { type: ["string", "number"] } },
      errors: {
        type: "array",
        items: {
          type: "object",
          properties: {
            path: { type: "string", description: "JSON pointer to the field" },
            message: { type: "string", description: "English text" },
            code: {
              type: "string",
              description: "stable code to translate (required, oneOf, dateTime, …), when there is one",
            },
            params: {
              type: "object",
              additionalProperties: { type: ["string", "number"] },
              description: "the values the code's text needs",
            },
          },
          required: ["path", "message"],
        },
      },
    },
    required: ["type", "title", "status"],
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Tenet API",
      version: info.version,
      description:
        "Tenet's HTTP API. Authenticate with an API key (`Authorization: Bearer tnt_…`) or, from the admin app, a session cookie. Every request runs for one organisation: the API key's, or for a session the one named by the `X-Tenet-Org` header (id or slug).",
    },
    servers: [{ url: "/" }],
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "An API key created in Settings → API keys or with `tenet apikey create`.",
        },
        session: { type: "apiKey", in: "cookie", name: "tenet_session" },
      },
    },
    security: [{ apiKey: [] }, { session: [] }],
    paths,
  }
}
