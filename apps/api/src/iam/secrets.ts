/** The instance secret, and the HMAC digests and random tokens made with it. */
import { createHmac, randomBytes } from "node:crypto"
import { type Database, tables } from "./db"

const secrets = new WeakMap<Database, string>()

/** The instance secret: TENET_SESSION_SECRET, or one generated once and kept in the database. */
export const instanceSecret = async (db: Database): Promise<string> => {
  const cached = secrets.get(db)
  if (cached) return cached
  let value = process.env.TENET_SESSION_SECRET
  if (!value) {
    const t = tables(db)
    await t
      .insertInto("iam.instance_secret")
      .values({ name: "session", value: randomBytes(32).toString("hex") })
      .onConflict((oc) => oc.doNothing())
      .execute()
    const r = await t
      .selectFrom("iam.instance_secret")
      .select("value")
      .where("name", "=", "session")
      .executeTakeFirstOrThrow()
    value = r.value
  }
  secrets.set(db, value)
  return value
}

export const digest = (secret: string, token: string) =>
  createHmac("sha256", secret).update(token).digest("hex")
export const token = (bytes = 32) => randomBytes(bytes).toString("base64url")
