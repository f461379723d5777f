/**
 * The input policy at the edge: the ONE place that decides what input the API accepts before
 * any module sees it — body sizes (413), content types (415), text (no NUL, no lone UTF-16
 * surrogate), sizes (string length, array length, object keys, JSON nesting depth). Every endpoint
 * (`register()`) and every hand-written stream or upload route goes through it; modules never
 * repeat it. Field-level rules (date ranges, time zones, short names) live in the shared schemas
 * (`routes/schemas.ts`).
 */
import { Errors } from "@tenet/core"
import type { Context, MiddlewareHandler } from "hono"
import type { AppEnv } from "./env"

export interface InputLimits {
  /** Largest JSON request body, in bytes (TENET_MAX_BODY_BYTES, default 1 MiB). */
  readonly jsonBodyBytes: number
  /** Largest import upload (POST /api/v1/process/imports), in bytes (TENET_MAX_IMPORT_BYTES, default 64 MiB). */
  readonly importBodyBytes: number
  /** Deepest nesting of arrays and objects in a JSON body. */
  readonly maxDepth: number
  /** Most items in one JSON array. */
  readonly maxArrayLength: number
  /** Most keys in one JSON object. */
  readonly maxObjectKeys: number
  /** Longest string anywhere in the input (characters), unless a schema says less. */
  readonly maxStringLength: number
}

export const DEFAULT_LIMITS: InputLimits = {
  jsonBodyBytes: 1024 * 1024,
  importBodyBytes: 64 * 1024 * 1024,
  maxDepth: 32,
  maxArrayLength: 10_000,
  maxObjectKeys: 1_000,
  maxStringLength: 100_000,
}

const positive = (raw: string | undefined, fallback: number) => {
  if (raw === undefined || raw.trim() === "") return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`expected a whole number of bytes > 0, got "${raw}"`)
  return n
}

/** The limits from the environment (TENET_MAX_BODY_BYTES, TENET_MAX_IMPORT_BYTES), else the defaults. */
export const limitsFromEnv = (env: NodeJS.ProcessEnv = process.env): InputLimits => ({
  ...DEFAULT_LIMITS,
  jsonBodyBytes: positive(env.TENET_MAX_BODY_BYTES, DEFAULT_LIMITS.jsonBodyBytes),
  importBodyBytes: positive(env.TENET_MAX_IMPORT_BYTES, DEFAULT_LIMITS.importBodyBytes),
})

/**
 * A refusal of the request as a whole (not of one field): 413 (too large) or 415 (not JSON).
 * Mapped to problem+json with its `code` in `problem.ts`.
 */
export class RequestRefused extends Error {
  readonly _tag = "RequestRefused" as const
  constructor(
    readonly status: 413 | 415,
    readonly code: "bodyTooLarge" | "unsupportedMediaType",
    message: string,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(message)
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why a string is not acceptable text, or undefined when it is. */
export const textFault = (s: string): string | undefined =>
  s.includes("\u0000")
    ? "must not contain a NUL character"
    : LONE_SURROGATE.test(s)
      ? "must not contain an unpaired UTF-16 surrogate"
      : undefined

type Path = ReadonlyArray<string | number>
const MAX_ISSUES = 20

const invalid = (message: string, issues: Errors.FieldIssue[]) =>
  new Errors.ValidationError({ message, issues: issues.slice(0, MAX_ISSUES) })

const stringIssues = (s: string, path: Path, limits: InputLimits, out: Errors.FieldIssue[]) => {
  const fault = textFault(s)
  if (fault) out.push({ path, message: fault, code: "invalidText" })
  else if (s.length > limits.maxStringLength)
    out.push({
      path,
      message: `must be at most ${limits.maxStringLength} characters`,
      code: "maxLength",
      params: { max: limits.maxStringLength },
    })
}

/** Walks a parsed JSON value: text, string lengths, array lengths, object sizes (depth is checked before parsing). */
export const valueIssues = (value: unknown, limits: InputLimits = DEFAULT_LIMITS) => {
  const out: Errors.FieldIssue[] = []
  const walk = (v: unknown, path: Array<string | number>) => {
    if (out.length >= MAX_ISSUES) return
    if (typeof v === "string") return stringIssues(v, path, limits, out)
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayLength) {
        out.push({
          path,
          message: `must have at most ${limits.maxArrayLength} items`,
          code: "maxItems",
          params: { max: limits.maxArrayLength },
        })
        return
      }
      for (let i = 0; i < v.length; i++) walk(v[i], [...path, i])
      return
    }
    if (v && typeof v === "object") {
      const keys = Object.keys(v)
      if (keys.length > limits.maxObjectKeys) {
        out.push({
          path,
          message: `must have at most ${limits.maxObjectKeys} keys`,
          code: "maxKeys",
          params: { max: limits.maxObjectKeys },
        })
        return
      }
      for (const k of keys) {
        const fault = textFault(k)
        if (fault) out.push({ path: [...path, k], message: `the key ${fault}`, code: "invalidText" })
        else walk((v as Record<string, unknown>)[k], [...path, k])
      }
    }
  }
  walk(value, [])
  return out
}

/** The deepest nesting of `[` and `{` in a JSON text (strings skipped), stopping past `max`. */
export const jsonDepthExceeds = (text: string, max: number) => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 92 /* \ */) i++
      else if (ch === 34 /* " */) inString = false
    } else if (ch === 34) inString = true
    else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (++depth > max) return true
    } else if (ch === 93 || ch === 125) depth--
  }
  return false
}

const isJsonType = (contentType: string | undefined) => {
  if (!contentType) return false
  const media = contentType.split(";")[0]!.trim().toLowerCase()
  return media === "application/json" || /^application\/[\w.+-]+\+json$/.test(media)
}

/**
 * The JSON body of a request, through the policy: a JSON content type (else 415), parsed
 * without deep nesting, every string acceptable text within the length limit.
 */
export const readJsonBody = async (c: Context<AppEnv>, limits: InputLimits): Promise<unknown> => {
  if (!isJsonType(c.req.header("content-type")))
    throw new RequestRefused(
      415,
      "unsupportedMediaType",
      "send the body as JSON (Content-Type: application/json)",
      {
        expected: "application/json",
      },
    )
  const text = await c.req.text()
  if (text.length > limits.jsonBodyBytes)
    throw new RequestRefused(413, "bodyTooLarge", `the body is larger than ${limits.jsonBodyBytes} bytes`, {
      max: limits.jsonBodyBytes,
    })
  if (jsonDepthExceeds(text, limits.maxDepth))
    throw invalid("The request body is invalid.", [
      {
        path: [],
        message: `must not nest arrays and objects more than ${limits.maxDepth} deep`,
        code: "maxDepth",
        params: { max: limits.maxDepth },
      },
    ])
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw invalid("The request body must be JSON.", [
      { path: [], message: "expected a JSON body (Content-Type: application/json)", code: "jsonBody" },
    ])
  }
  const issues = valueIssues(raw, limits)
  if (issues.length) throw invalid("The request body is invalid.", issues)
  return raw
}

/** Path parameters (already decoded) through the text policy. */
export const checkParams = (params: Readonly<Record<string, string>>, limits: InputLimits) => {
  const issues: Errors.FieldIssue[] = []
  for (const [k, v] of Object.entries(params)) stringIssues(v, [k], limits, issues)
  if (issues.length) throw invalid("The path is invalid.", issues)
}

const IMPORT_PATH = "/api/v1/process/imports"

/** The largest body a request to this path may send. */
export const bodyLimitFor = (path: string, limits: InputLimits) =>
  path === IMPORT_PATH ? limits.importBodyBytes : limits.jsonBodyBytes

/** A refused body up to this size is read and dropped before the 413 (16 MiB). */
const DISCARD_BYTES = 16 * 1024 * 1024
const discard = async (body: ReadableStream<Uint8Array>) => {
  const reader = body.getReader()
  try {
    for (;;) if ((await reader.read()).done) return
  } catch {
    // the client went away: nothing to answer
  } finally {
    reader.releaseLock()
  }
}

const tooLarge = (max: number) =>
  new RequestRefused(413, "bodyTooLarge", `the body is larger than ${max} bytes`, { max })

/**
 * The middleware for every /api/* request: the query string and the Idempotency-Key header
 * through the text policy, and the body bounded (by Content-Length up front, and while it streams).
 */
export const inputPolicy =
  (limits: InputLimits): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const issues: Errors.FieldIssue[] = []
    const url = c.req.url
    const qs = url.indexOf("?")
    if (qs >= 0) {
      for (const [k, v] of new URLSearchParams(url.slice(qs + 1))) {
        const fault = textFault(k)
        if (fault) issues.push({ path: [k], message: `the parameter name ${fault}`, code: "invalidText" })
        else stringIssues(v, [k], limits, issues)
      }
    }
    const key = c.req.header("idempotency-key")
    if (key !== undefined) stringIssues(key, ["Idempotency-Key"], { ...limits, maxStringLength: 255 }, issues)
    if (issues.length) throw invalid("The query string is invalid.", issues)

    const body = c.req.raw.body
    if (body) {
      const max = bodyLimitFor(c.req.path, limits)
      const length = c.req.header("content-length")
      if (length !== undefined && Number(length) > max) {
        // read what the client is sending and drop it, so that it gets the 413 rather than a broken
        // pipe (an answer before the body is read, then the socket closed while it still writes);
        // past DISCARD_BYTES the connection is closed at once instead
        if (Number(length) <= DISCARD_BYTES) await discard(body)
        else c.header("connection", "close")
        throw tooLarge(max)
      }
      // no (or an untrue) Content-Length: count while the body streams
      let seen = 0
      const counted = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            seen += chunk.byteLength
            if (seen > max) controller.error(tooLarge(max))
            else controller.enqueue(chunk)
          },
        }),
      )
      c.req.raw = new Request(c.req.raw, { body: counted, duplex: "half" } as RequestInit)
    }
    await next()
  }
