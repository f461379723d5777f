/**
 * RFC 9457 problem details. The ONE place that maps error tags to HTTP statuses.
 * No stack trace ever leaves the server.
 */
import { Errors } from "@tenet/core"
import { HandlerFailure } from "@tenet/plugin-sdk/host"
import type { Context } from "hono"
import { HTTPException } from "hono/http-exception"
import { PreconditionFailed } from "./concurrency"
import { IdempotencyRefused } from "./idempotency"
import { RequestRefused } from "./policy"

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail?: string
  readonly instance?: string | undefined
  /** A stable code for the problem as a whole (notFound, conflict, rateLimited, …), translated by clients. */
  readonly code?: string
  readonly params?: Readonly<Record<string, string | number>>
  readonly errors?: ReadonlyArray<{
    path: string
    message: string
    code?: string
    params?: Readonly<Record<string, string | number>>
  }>
  readonly [key: string]: unknown
}

const STATUS: Record<string, [number, string]> = {
  ValidationError: [400, "Invalid input"],
  UnauthorizedError: [401, "Not signed in"],
  ForbiddenError: [403, "Forbidden"],
  NotFoundError: [404, "Not found"],
  ConflictError: [409, "Conflict"],
  RateLimitedError: [429, "Too many requests"],
  DatabaseBusyError: [503, "Database busy"],
}

/** A JSON Pointer-like path: ["items", 0, "name"] → "/items/0/name". */
export const pointer = (path: ReadonlyArray<PropertyKey>) => `/${path.map((p) => String(p)).join("/")}`

export const problemResponse = (c: Context, problem: Problem, headers: Record<string, string> = {}) =>
  c.body(JSON.stringify(problem), problem.status as 400, {
    "content-type": "application/problem+json; charset=utf-8",
    ...headers,
  })

export const toProblem = (
  error: unknown,
  instance?: string,
): { problem: Problem; headers: Record<string, string> } => {
  if (Errors.isTenetError(error)) {
    const [status, title] = STATUS[error._tag] ?? [500, "Error"]
    const headers: Record<string, string> = {}
    const base = {
      type: `https://tenet.dev/problems/${error._tag.replace(/Error$/, "").toLowerCase()}`,
      title,
      status,
      instance,
    }
    switch (error._tag) {
      case "ValidationError":
        return {
          problem: {
            ...base,
            detail: error.message,
            errors: error.issues.map((i) => ({
              path: pointer(i.path),
              message: i.message,
              ...(i.code ? { code: i.code } : {}),
              ...(i.params ? { params: i.params } : {}),
            })),
          },
          headers,
        }
      case "ConflictError":
        return {
          problem: {
            ...base,
            detail: error.message,
            code: error.code ?? "conflict",
            ...(error.params ? { params: error.params } : {}),
            ...(error.field
              ? {
                  errors: [
                    {
                      path: `/${error.field}`,
                      message: error.message,
                      ...(error.code ? { code: error.code } : {}),
                      ...(error.params ? { params: error.params } : {}),
                    },
                  ],
                }
              : {}),
          },
          headers,
        }
      case "NotFoundError":
        return {
          problem: {
            ...base,
            detail: error.message,
            code: "notFound",
            params: { entity: error.entity, id: error.id },
          },
          headers,
        }
      case "UnauthorizedError":
        return {
          problem: { ...base, detail: error.message, code: error.code ?? "unauthorized" },
          headers,
        }
      case "RateLimitedError":
        headers["retry-after"] = String(error.retryAfterSeconds)
        return {
          problem: {
            ...base,
            detail: error.message,
            retryAfterSeconds: error.retryAfterSeconds,
            code: error.code ?? "rateLimited",
            params: error.code ? (error.params ?? {}) : { seconds: error.retryAfterSeconds },
          },
          headers,
        }
      default:
        return { problem: { ...base, detail: error.message }, headers }
    }
  }
  if (error instanceof PreconditionFailed)
    return {
      problem: {
        type: "https://tenet.dev/problems/precondition-failed",
        title: "Precondition failed",
        status: 412,
        detail: error.message,
        instance,
        code: error.code,
      },
      headers: {},
    }
  if (error instanceof IdempotencyRefused)
    return {
      problem: {
        type: `https://tenet.dev/problems/${error.status === 409 ? "idempotency-in-flight" : "idempotency-key-reused"}`,
        title: error.status === 409 ? "Conflict" : "Unprocessable content",
        status: error.status,
        detail: error.message,
        instance,
        code: error.code,
      },
      headers: error.status === 409 ? { "retry-after": "1" } : {},
    }
  if (error instanceof RequestRefused) {
    return {
      problem: {
        type: `https://tenet.dev/problems/${error.status === 413 ? "too-large" : "media-type"}`,
        title: error.status === 413 ? "Payload too large" : "Unsupported media type",
        status: error.status,
        detail: error.message,
        instance,
        code: error.code,
        params: error.params,
      },
      // the unread rest of a refused body is not read: the connection is not reused after it
      headers: error.status === 413 ? { connection: "close" } : {},
    }
  }
  // a plugin's computation that threw, ran past its time limit, ran out of memory or crashed: the
  // plugin is at fault, not the request (its worker was stopped; the Plugins page shows the error)
  if (error instanceof HandlerFailure)
    return {
      problem: {
        type: "https://tenet.dev/problems/plugin-failed",
        title: "A plugin failed",
        status: 503,
        detail: error.message,
        instance,
        code: "pluginFailed",
        params: { kind: error.kind },
      },
      headers: {},
    }
  const db = databaseFault(error)
  if (db) return { problem: { ...db, instance } as Problem, headers: {} }
  if (error instanceof HTTPException) {
    return {
      problem: { type: "about:blank", title: error.message || "HTTP error", status: error.status, instance },
      headers: {},
    }
  }
  return {
    problem: {
      type: "about:blank",
      title: "Internal server error",
      status: 500,
      detail: "The server could not complete the request; the error was logged.",
      instance,
    },
    headers: {},
  }
}

/** The SQLSTATE of a database error (pg and PGlite both set `code`), looked for along `cause`. */
const sqlState = (error: unknown): string | undefined => {
  let e: unknown = error
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * The last line of defence: a database error that escaped a module's own checks becomes a 409 or
 * a 400 with a code, never a 500 with the database's internals (the text is not passed on).
 */
const databaseFault = (error: unknown): Omit<Problem, "instance"> | undefined => {
  const state = sqlState(error)
  if (!state) return undefined
  if (state === "23505")
    return {
      type: "https://tenet.dev/problems/conflict",
      title: "Conflict",
      status: 409,
      detail: "a record with the same unique value already exists",
      code: "duplicate",
    }
  if (state === "57014")
    return {
      type: "https://tenet.dev/problems/report-timeout",
      title: "Report took too long",
      status: 503,
      detail:
        "the report took longer than the server allows (TENET_REPORT_TIMEOUT_MS); narrow the period or the filters",
      code: "reportTimeout",
    }
  if (state === "23503")
    return {
      type: "https://tenet.dev/problems/conflict",
      title: "Conflict",
      status: 409,
      detail: "the record refers to, or is referred to by, another record",
      code: "reference",
    }
  // data exceptions (22…: invalid text, numeric or date out of range, string too long, NUL byte),
  // integrity (23…: not-null, check) and program limits (54…: index row too big)
  if (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"))
    return {
      type: "https://tenet.dev/problems/validation",
      title: "Invalid input",
      status: 400,
      detail: "a value was refused by the database as invalid or too large",
      code: "valueRejected",
    }
  return undefined
}
