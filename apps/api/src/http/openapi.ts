/** The OpenAPI 3.1 document of the endpoints and the hand-written (streamed) routes. */
import { Schema } from "effect"
import type { AnySchema, Endpoint, StreamDoc } from "./endpoint"
import { XLSX } from "./export"

/** The parts of a JSON Schema the OpenAPI document reads. */
interface JsonSchema {
  readonly $ref?: string
  readonly properties?: Readonly<Record<string, unknown>>
  readonly required?: ReadonlyArray<string>
  readonly [key: string]: unknown
}

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

const EXPORT_PARAMETERS = [
  {
    name: "export",
    in: "query",
    required: false,
    description: "Stream the whole list (every page) as a file instead of answering one page as JSON",
    schema: { type: "string", enum: ["csv", "xlsx"] },
  },
  {
    name: "columns",
    in: "query",
    required: false,
    description:
      'With `export`: the columns as a JSON array of [key, header] pairs, e.g. [["subject","主题"]]; a key may be a dotted path. A third element labels the values: "user" writes the member\'s name for a user id, an object gives each value\'s label, e.g. ["status","状态",{"open":"处理中"}]. Instants are written in the organisation\'s time zone. Default: every field of the first row',
    schema: { type: "string" },
  },
  {
    name: "lang",
    in: "query",
    required: false,
    description: "With `export`: the language of texts kept in both languages (default zh-CN)",
    schema: { type: "string", enum: ["zh-CN", "en"] },
  },
]

const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "A unique key per create (≤ 255 characters): a retry with the same key gets the first answer again for 24 hours (`Idempotent-Replayed: true`); 409 `idempotencyKeyInFlight` while the first runs, 422 `idempotencyKeyReused` when the key named another request",
  schema: { type: "string", maxLength: 255 },
}
const IF_MATCH = {
  name: "If-Match",
  in: "header",
  required: false,
  description:
    "The `ETag` the editor read: the change is refused with 412 `preconditionFailed` when someone changed it since",
  schema: { type: "string" },
}
const IF_NONE_MATCH = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description: "An `ETag` read before: 304 when it is still current",
  schema: { type: "string" },
}

export const openApiDocument = (
  endpoints: ReadonlyArray<Endpoint>,
  info: { version: string },
  streams: ReadonlyArray<StreamDoc> = [],
) => {
  const schemas: Record<string, unknown> = {}
  // answers are closed (the server sends exactly the documented fields, checked by test/client.test.ts), so
  // the generated client types have no index signature; bodies and queries stay open like the decoder
  const toJson = (s: AnySchema, answer = false) => {
    const doc = Schema.toJsonSchemaDocument(s, answer ? { onExcessProperty: "error" } : {})
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
    if (e.exportable) params.push(...EXPORT_PARAMETERS)
    if (e.method === "post" && e.access !== "public") params.push(IDEMPOTENCY_KEY as never)
    if (e.ifMatch) params.push(IF_MATCH as never)
    if (e.etag) params.push(IF_NONE_MATCH as never)
    const responses: Record<string, unknown> = {
      [String(e.status ?? 200)]:
        e.status === 204
          ? { description: "Done" }
          : {
              description: e.exportable ? "OK (a file when `export` is given)" : "OK",
              ...(e.response || e.exportable
                ? {
                    content: {
                      ...(e.response ? { "application/json": { schema: toJson(e.response, true) } } : {}),
                      ...(e.exportable
                        ? {
                            "text/csv": { schema: { type: "string" } },
                            [XLSX]: { schema: { type: "string", format: "binary" } },
                          }
                        : {}),
                    },
                  }
                : {}),
            },
      ...(e.etag ? { "304": { description: "Not modified: the `If-None-Match` tag is still current" } } : {}),
      ...(e.ifMatch
        ? {
            "412": {
              description: "`If-Match` names a version that is no longer current (code `preconditionFailed`)",
              content: { "application/problem+json": { schema: problem } },
            },
          }
        : {}),
      default: {
        description: "A problem (RFC 9457)",
        content: { "application/problem+json": { schema: problem } },
      },
    }
    if (e.etag || e.ifMatch) {
      const ok = responses[String(e.status ?? 200)] as Record<string, unknown>
      ok.headers = { ETag: { description: "The version of the resource now", schema: { type: "string" } } }
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
      ...(d.method === "post" && d.access !== "public" ? [IDEMPOTENCY_KEY as never] : []),
    ]
    paths[d.path] ??= {}
    paths[d.path]![d.method] = {
      operationId: d.operationId,
      summary: d.summary,
      tags: [d.tag],
      ...(d.access === "public" ? { security: [] } : { "x-tenet-permission": d.access }),
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
