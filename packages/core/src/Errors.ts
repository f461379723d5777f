/**
 * The typed errors shared by every module. Each carries the data needed to explain it;
 * the API maps `_tag` to an HTTP status in exactly one place.
 *
 * @since 0.1.0
 */
import { Data } from "effect"

/** One invalid field: a path into the input and a message for a person. @category models @since 0.1.0 */
export interface FieldIssue {
  readonly path: ReadonlyArray<string | number>
  /** English text, for logs and clients without a catalogue. */
  readonly message: string
  /**
   * A stable code a client translates (the admin app has every code in zh-CN and en), with the
   * values its text needs. Absent on rarer messages: clients then show `message`.
   */
  readonly code?: string | undefined
  readonly params?: Readonly<Record<string, string | number>> | undefined
}

/** @category errors @since 0.1.0 */
export class ValidationError extends Data.TaggedError("ValidationError")<{
  readonly message: string
  readonly issues: ReadonlyArray<FieldIssue>
}> {}

/** @category errors @since 0.1.0 */
export class NotFoundError extends Data.TaggedError("NotFoundError")<{
  readonly entity: string
  readonly id: string
}> {
  override get message() {
    return `${this.entity} ${this.id} was not found`
  }
}

/** @category errors @since 0.1.0 */
export class ConflictError extends Data.TaggedError("ConflictError")<{
  readonly message: string
  readonly field?: string
  /** As on a FieldIssue: a code a client translates, with the values its text needs. */
  readonly code?: string | undefined
  readonly params?: Readonly<Record<string, string | number>> | undefined
}> {}

/** @category errors @since 0.1.0 */
export class UnauthorizedError extends Data.TaggedError("UnauthorizedError")<{
  readonly message: string
  /** A stable code clients translate (wrongCredentials, …); `unauthorized` when absent. */
  readonly code?: string
}> {}

/** @category errors @since 0.1.0 */
export class ForbiddenError extends Data.TaggedError("ForbiddenError")<{
  readonly message: string
  readonly permission?: string
}> {}

/** @category errors @since 0.1.0 */
export class RateLimitedError extends Data.TaggedError("RateLimitedError")<{
  readonly message: string
  readonly retryAfterSeconds: number
  /** A stable code a client translates (`signInThrottled`), with the values its text needs. */
  readonly code?: string
  readonly params?: Readonly<Record<string, string | number>>
}> {}

/** @category errors @since 0.1.0 */
export class DatabaseBusyError extends Data.TaggedError("DatabaseBusyError")<{
  readonly message: string
  readonly dataDir: string
  readonly pid?: number
  readonly url?: string
}> {}

/** Every error a module may return to the API. @category models @since 0.1.0 */
export type TenetError =
  | ValidationError
  | NotFoundError
  | ConflictError
  | UnauthorizedError
  | ForbiddenError
  | RateLimitedError
  | DatabaseBusyError

/** @category guards @since 0.1.0 */
export const isTenetError = (u: unknown): u is TenetError =>
  typeof u === "object" &&
  u !== null &&
  "_tag" in u &&
  [
    "ValidationError",
    "NotFoundError",
    "ConflictError",
    "UnauthorizedError",
    "ForbiddenError",
    "RateLimitedError",
    "DatabaseBusyError",
  ].includes((u as { _tag: string })._tag)
