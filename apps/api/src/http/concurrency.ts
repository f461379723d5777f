/**
 * Optimistic concurrency with `ETag` / `If-Match` (RFC 9110 §13.1.1) where two editors may collide:
 * a draft standard, an improvement cycle, an SLA policy, a risk, a survey. A readable resource
 * (`etag: true` on its GET endpoint) answers with an `ETag` — a hash of the representation the
 * reader got — and `If-None-Match` with it answers 304. A change to it (`ifMatch: "<the GET's
 * operationId>"` on the write endpoint) that sends `If-Match` is refused with 412
 * `preconditionFailed` when the resource is no longer what the editor saw, and answers the new
 * `ETag` when it succeeds. A change without `If-Match` is not checked (older clients keep working).
 *
 * Within one server process the check and the change of one resource run one at a time, so two
 * editors sending the same `If-Match` at once get one 2xx and one 412. Across several processes on
 * PostgreSQL a window of one read remains between the check and the write.
 */
import { createHash } from "node:crypto"

/** A refused precondition: 412 `preconditionFailed`. */
export class PreconditionFailed extends Error {
  readonly status = 412
  readonly code = "preconditionFailed"
}

/** A strong entity tag of a JSON representation. */
export const etagOf = (representation: unknown) =>
  `"${createHash("sha256")
    .update(JSON.stringify(representation) ?? "")
    .digest("base64url")
    .slice(0, 27)}"`

/** Whether an `If-Match` / `If-None-Match` list names the tag (`*` names any; weak tags compare by value). */
export const listNames = (header: string, etag: string) =>
  header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === "*" || t === etag)

const queues = new Map<string, Promise<unknown>>()

/** Run `fn` after every earlier call with the same key has finished (in this process). */
export const oneAtATime = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
  const before = queues.get(key) ?? Promise.resolve()
  const run = before.then(fn, fn)
  const settled = run.catch(() => {})
  queues.set(key, settled)
  try {
    return await run
  } finally {
    if (queues.get(key) === settled) queues.delete(key)
  }
}
