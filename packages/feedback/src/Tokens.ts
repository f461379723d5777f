/**
 * Survey links: a random token (256 bits, base64url) in the link, its sha-256 in the database,
 * so a copy of the database holds no working link.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes } from "node:crypto"

/** A new token. @category constructors @since 0.1.0 */
export const newToken = (): string => randomBytes(32).toString("base64url")

/** What the database stores of a token. @category constructors @since 0.1.0 */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex")

/** Whether a string can be a token (43 base64url characters). @category guards @since 0.1.0 */
export const isToken = (s: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(s)

/** The public page of a token, under the API's public URL. @category constructors @since 0.1.0 */
export const linkOf = (publicUrl: string, token: string): string =>
  `${publicUrl.replace(/\/$/, "")}/api/v1/public/surveys/${token}/page`
