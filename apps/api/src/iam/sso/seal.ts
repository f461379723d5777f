/**
 * The client secret at rest: AES-256-GCM with a key derived from the instance secret
 * (TENET_SESSION_SECRET, or the one kept in the database). Changing that secret makes stored
 * client secrets unreadable: enter them again in Settings → Single sign-on.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto"

const keyOf = (instanceSecret: string) => createHash("sha256").update(`tenet-sso:${instanceSecret}`).digest()

export const seal = (instanceSecret: string, plain: string): string => {
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", keyOf(instanceSecret), iv)
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()])
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".")
}

/** The plain secret, or undefined when it was sealed with another instance secret (or tampered with). */
export const unseal = (instanceSecret: string, sealed: string): string | undefined => {
  const [v, iv, tag, body] = sealed.split(".")
  if (v !== "v1" || !iv || !tag || body === undefined) return undefined
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(instanceSecret), Buffer.from(iv, "base64url"))
    decipher.setAuthTag(Buffer.from(tag, "base64url"))
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8")
  } catch {
    return undefined
  }
}
