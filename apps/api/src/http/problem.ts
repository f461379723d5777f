/**
 * RFC 9457 problem details. The ONE place that maps error tags to HTTP statuses.
 * No stack trace ever leaves the server.
 */
import { Errors } from "@tenet/core"
import type { Context } from "hono"
import { HTTPException } from "hono/http-exception"

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail?: string
  readonly instance?: string | undefined
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
      case "RateLimitedError":
        headers["retry-after"] = String(error.retryAfterSeconds)
        return {
          problem: {
            ...base,
            detail: error.message,
            retryAfterSeconds: error.retryAfterSeconds,
            ...(error.code ? { code: error.code, ...(error.params ? { params: error.params } : {}) } : {}),
          },
          headers,
        }
      default:
        return { problem: { ...base, detail: error.message }, headers }
    }
  }
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
