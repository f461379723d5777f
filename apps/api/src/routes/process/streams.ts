/** Routes that stream: the CSV export and file imports (hand-written, so documented apart). */
import { Readable } from "node:stream"
import { Errors, Redaction, Tenancy } from "@tenet/core"
import { Cases, Import } from "@tenet/process"
import { Schema } from "effect"
import type { Hono } from "hono"
import { stream } from "hono/streaming"
import { authorize, decodeQuery, type StreamDoc } from "../../http/endpoint"
import type { AppEnv } from "../../http/env"
import * as Idempotency from "../../http/idempotency"
import { DEFAULT_LIMITS, type InputLimits, valueIssues } from "../../http/policy"
import { ShortText } from "../schemas"
import { CaseQuery, oneOf, toQuery } from "./schemas"

const ImportQuery = Schema.Struct({
  format: Schema.optionalKey(oneOf(Import.IMPORT_FORMATS)),
  mapping: Schema.optionalKey(
    Schema.String.annotate({ description: 'a JSON object of field → column, e.g. {"subject":"Title"}' }),
  ),
  name: Schema.optionalKey(ShortText.annotate({ description: "the source's name, kept on the import" })),
}).annotate({ identifier: "ImportQuery" })
const ImportMapping = Schema.Record(ShortText, ShortText)

/** The OpenAPI description of the hand-written routes below (they stream, so they are not `endpoint`s). */
export const processStreamDocs: ReadonlyArray<StreamDoc> = [
  {
    method: "get",
    path: "/api/v1/process/cases/export.csv",
    operationId: "exportCases",
    summary: "Export the cases matching the queue's filters as CSV (streamed)",
    tag: "Cases",
    access: "cases:read",
    query: CaseQuery,
    response: {
      status: 200,
      contentType: "text/csv",
      description: "The cases, one a row, UTF-8 with a header row",
    },
  },
  {
    method: "post",
    path: "/api/v1/process/imports",
    operationId: "importCases",
    summary: "Import cases from a CSV, NDJSON or Zendesk export sent as the request body (streamed)",
    tag: "Cases",
    access: "cases:write",
    query: ImportQuery,
    requestBody: {
      contentTypes: ["text/csv", "application/x-ndjson", "application/json", "application/octet-stream"],
      description: "The file itself (TENET_MAX_IMPORT_BYTES at most, 64 MiB by default)",
    },
    response: { status: 201, contentType: "application/json", description: "The import's summary" },
  },
]

export const registerProcessStreams = (app: Hono<AppEnv>, limits: InputLimits = DEFAULT_LIMITS) => {
  app.get("/api/v1/process/cases/export.csv", async (c) => {
    const auth = authorize(c, "cases:read")
    const { limit: _all, ...filters } = decodeQuery(CaseQuery, c.req.query())
    const q = toQuery(filters)
    c.header("content-type", "text/csv; charset=utf-8")
    c.header(
      "content-disposition",
      `attachment; filename="cases-${new Date().toISOString().slice(0, 10)}.csv"`,
    )
    return stream(c, async (s) => {
      // customers' names masked for readers without pi:read (as in the queue)
      const options = Tenancy.can(auth.role, "pi:read") ? {} : { maskName: Redaction.maskName }
      for await (const chunk of Cases.exportCases(c.get("db"), auth.orgId, q, options)) await s.write(chunk)
    })
  })
  app.post("/api/v1/process/imports", async (c) => {
    const auth = authorize(c, "cases:write")
    const query = decodeQuery(ImportQuery, c.req.query())
    let mapping: Record<string, string> | undefined
    if (query.mapping !== undefined) {
      let parsed: unknown
      try {
        parsed = JSON.parse(query.mapping)
      } catch {}
      const ok = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      if (!ok || valueIssues(parsed, limits).length)
        throw new Errors.ValidationError({
          message: "invalid import",
          issues: [
            { path: ["mapping"], message: "must be a JSON object of field → column", code: "mappingObject" },
          ],
        })
      mapping = decodeQuery(ImportMapping, parsed) as Record<string, string>
    }
    const body = c.req.raw.body
    if (!body)
      throw new Errors.ValidationError({
        message: "invalid import",
        issues: [{ path: ["file"], message: "send the file as the request body", code: "fileBody" }],
      })
    const actor =
      auth.kind === "api_key"
        ? { type: "api_key" as const, id: auth.apiKeyId! }
        : { type: "user" as const, id: auth.user!.id }
    const run = async () => ({
      status: 201,
      body: await Import.importCases(
        c.get("db"),
        { orgId: auth.orgId, actor },
        Readable.fromWeb(body as never),
        {
          format: query.format ?? "csv",
          mapping,
          sourceName: query.name ?? "upload",
        },
      ),
    })
    // a retried upload with the same Idempotency-Key gets the first import's summary (the file is
    // told apart from another by the query and its length: it is streamed, not held to be hashed)
    const key = c.req.header("idempotency-key")
    if (key === undefined) {
      const a = await run()
      return c.json(a.body, 201)
    }
    const kept = await Idempotency.once(
      c.get("db"),
      {
        orgId: auth.orgId,
        principal: Idempotency.principalOf(auth),
        key,
        fingerprint: Idempotency.fingerprint(c.req.method, c.req.url, {
          length: c.req.header("content-length") ?? null,
        }),
      },
      run,
    )
    if (kept.replayed) {
      await body.cancel().catch(() => {})
      c.header("idempotent-replayed", "true")
    }
    return c.json(kept.body as object, kept.status as 201)
  })
}
