/** Problem answers (RFC 9457 problem+json) as typed values: `Problem`, `isProblem`, and `unwrap`'s `TenetProblem`. */
import type { components } from "./schema.gen"

/** A problem answer: `status`, `title`, a stable `code` when there is one, and `errors` naming each bad field. */
export type Problem = components["schemas"]["Problem"]

/** Whether a value is a problem answer. */
export const isProblem = (value: unknown): value is Problem =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { title?: unknown }).title === "string" &&
  typeof (value as { status?: unknown }).status === "number"

/** The error `unwrap` throws for an answer that is not a success: the problem as it came. */
export class TenetProblem extends Error {
  override readonly name = "TenetProblem"
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title)
  }
  /** The stable code of the problem as a whole (`notFound`, `conflict`, …), when there is one. */
  get code(): string | undefined {
    return this.problem.code
  }
  /** The message of one field's error (`"email"` → `"must be an email address"`), when it has one. */
  field(name: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === `/${name}` || e.path.startsWith(`/${name}/`))?.message
  }
}

/** The problem of an answer whose body is not problem+json (a proxy's 502 page, say). */
const fromResponse = (response: Response, body: unknown): Problem => ({
  type: "about:blank",
  title: response.statusText || `HTTP ${response.status}`,
  status: response.status,
  ...(typeof body === "string" && body ? { detail: body.slice(0, 500) } : {}),
})

/**
 * The data of an answer, or a thrown `TenetProblem`:
 * `const org = await unwrap(client.GET("/api/v1/org"))`.
 */
export const unwrap = async <R extends { data?: unknown; error?: unknown; response: Response }>(
  answer: R | Promise<R>,
): Promise<Exclude<R["data"], undefined>> => {
  const { data, error, response } = await answer
  if (error !== undefined || !response.ok) {
    throw new TenetProblem(response.status, isProblem(error) ? error : fromResponse(response, error))
  }
  return data as Exclude<R["data"], undefined>
}
