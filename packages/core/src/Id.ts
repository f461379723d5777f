/**
 * Typed, sortable identifiers: `<prefix>_<ULID>`, e.g. `org_01JD3…`. The ULID part is
 * time-ordered (monotonic within a millisecond), so ids sort by creation time as text.
 *
 * @since 0.1.0
 */
import { randomFillSync } from "node:crypto"
import { monotonicFactory } from "ulidx"

// Cryptographic randomness drawn from a pool refilled 4 KiB at a time (ulidx's default asks the
// system for each of the 16 random characters of every id).
const pool = new Uint32Array(1024)
let drawn = pool.length
const random = () => {
  if (drawn === pool.length) {
    randomFillSync(pool)
    drawn = 0
  }
  return pool[drawn++]! / 0x1_0000_0000
}
const next = monotonicFactory(random)

/**
 * An id whose prefix names the kind of thing it identifies.
 * @category models
 * @since 0.1.0
 */
export type Id<P extends string> = `${P}_${string}`

const PREFIX = /^[a-z][a-z0-9]{1,11}$/
const ID = /^([a-z][a-z0-9]{1,11})_([0-9A-HJKMNP-TV-Z]{26})$/

/**
 * Make a new id with the given prefix.
 * @category constructors
 * @since 0.1.0
 */
export const make = <P extends string>(prefix: P, at: number = Date.now()): Id<P> => {
  if (!PREFIX.test(prefix))
    throw new TypeError(`id prefix "${prefix}" must be 2–12 lowercase letters or digits`)
  return `${prefix}_${next(at)}` as Id<P>
}

/**
 * Whether a value is an id with the given prefix.
 * @category guards
 * @since 0.1.0
 */
export const is = <P extends string>(prefix: P, value: unknown): value is Id<P> =>
  typeof value === "string" && ID.exec(value)?.[1] === prefix

/**
 * The time encoded in an id (milliseconds since the epoch), or undefined when not an id.
 * @category models
 * @since 0.1.0
 */
export const timestamp = (value: string): number | undefined => {
  const m = ID.exec(value)
  if (!m) return undefined
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
  let t = 0
  for (const ch of m[2]!.slice(0, 10)) t = t * 32 + alphabet.indexOf(ch)
  return t
}
