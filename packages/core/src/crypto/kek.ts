// The key-encryption key (KEK): the operator's secret, parsed from `TENET_ENCRYPTION_KEY`, and the
// AES-256-GCM primitives every other key and value is sealed with (node:crypto, no dependency).
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto"

/** A key-encryption key: 32 bytes and its public id (first 16 hex of an HMAC of a constant). */
export interface Kek {
  readonly id: string
  readonly key: Buffer
}

/** A malformed `TENET_ENCRYPTION_KEY` (or a previous key). */
export class EncryptionKeyError extends Error {
  readonly _tag = "EncryptionKeyError" as const
}

/**
 * Parse a KEK: 32 bytes written as base64 (44 characters, `openssl rand -base64 32`), base64url or
 * hex (64 characters, `openssl rand -hex 32`).
 */
export const parseKek = (text: string): Kek => {
  const t = text.trim()
  let key: Buffer
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, "hex")
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t))
    key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64")
  else
    throw new EncryptionKeyError(
      "TENET_ENCRYPTION_KEY must be 32 random bytes as base64 (openssl rand -base64 32) or hex (openssl rand -hex 32)",
    )
  if (key.length !== 32) throw new EncryptionKeyError("TENET_ENCRYPTION_KEY must decode to exactly 32 bytes")
  return { key, id: createHmac("sha256", key).update("tenet-kek-id").digest("hex").slice(0, 16) }
}

/** A new random KEK in base64 (what `tenet privacy generate-key` prints). */
export const generateKekText = (): string => randomBytes(32).toString("base64")

const IV = 12
const TAG = 16

/** AES-256-GCM: iv ‖ ciphertext ‖ tag, with `aad` bound to the result. */
export const seal = (key: Buffer, plain: Buffer, aad: string): Buffer => {
  const iv = randomBytes(IV)
  const c = createCipheriv("aes-256-gcm", key, iv)
  c.setAAD(Buffer.from(aad, "utf8"))
  const body = Buffer.concat([c.update(plain), c.final()])
  return Buffer.concat([iv, body, c.getAuthTag()])
}

/** The inverse of `seal`; throws when the key, the aad or the bytes do not match. */
export const open = (key: Buffer, sealed: Buffer, aad: string): Buffer => {
  if (sealed.length < IV + TAG) throw new EncryptionKeyError("ciphertext too short")
  const d = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV))
  d.setAAD(Buffer.from(aad, "utf8"))
  d.setAuthTag(sealed.subarray(sealed.length - TAG))
  return Buffer.concat([d.update(sealed.subarray(IV, sealed.length - TAG)), d.final()])
}

/** Wrap a 32-byte organisation key under the KEK: `<kek id>:<base64>`. */
export const wrapKey = (kek: Kek, raw: Buffer, aad: string): string =>
  `${kek.id}:${seal(kek.key, raw, aad).toString("base64")}`

/** Unwrap with whichever of the KEKs wrapped it. */
export const unwrapKey = (keks: ReadonlyArray<Kek>, wrapped: string, aad: string): Buffer => {
  const [id, body] = wrapped.split(":")
  const kek = keks.find((k) => k.id === id)
  if (!kek || !body)
    throw new EncryptionKeyError(
      `a data key is wrapped under key ${id}, which is neither TENET_ENCRYPTION_KEY nor one of TENET_ENCRYPTION_KEY_PREVIOUS`,
    )
  return open(kek.key, Buffer.from(body, "base64"), aad)
}
