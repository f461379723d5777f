/**
 * Cookie sessions and sign-in: argon2id verification, throttling per (account, client) and per
 * client (never a lockout), session rotation, sign-out everywhere, password changes.
 */
import { randomBytes } from "node:crypto"
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2"
import { Errors, Id } from "@tenet/core"
import { sql } from "kysely"
import { forgetSessions } from "./authCache"
import { type Database, type IamDb, tables } from "./db"
import { digest, instanceSecret, token } from "./secrets"
import { passwordSignInAllowed } from "./sso/settings"
import { checkPassword, lowerEmail, toUser, type User } from "./users"

const { ValidationError, UnauthorizedError, RateLimitedError } = Errors

export const SESSION_DAYS = 7

/**
 * Sign-in throttling. Nobody is ever locked out of their account: failures are counted per
 * (account, client) and per client, and only the failing client waits. From the
 * `ACCOUNT_FREE_FAILURES`th failure on one account from one client, that client waits
 * `BASE_DELAY_SECONDS × 2^(n − free)` (capped at `MAX_DELAY_SECONDS`) after its last failure
 * before it may try that account again; from the `CLIENT_FREE_FAILURES`th failure of a client
 * over any accounts, the same backoff applies to everything it tries. Failures older than
 * `WINDOW_MINUTES` are forgotten. A correct password from another client (the real user's)
 * signs in whatever an attacker does elsewhere; a success clears that client's count for the
 * account. See README.md "Sign-in, sessions and API keys".
 */
export const THROTTLE = {
  ACCOUNT_FREE_FAILURES: 5,
  CLIENT_FREE_FAILURES: 20,
  BASE_DELAY_SECONDS: 30,
  MAX_DELAY_SECONDS: 15 * 60,
  WINDOW_MINUTES: 60,
} as const

/**
 * The sign-in log (`iam.sign_in_attempt`, successes and failures) is a security log: kept at least
 * six months (CSL Art 21; the data class `iam.sign_in_attempts` declares the same) and removed by the
 * daily `iam.purge` job once older than its maximum.
 */
export const SIGN_IN_LOG = { MIN_DAYS: 183, MAX_DAYS: 365 } as const

/** Remove sign-in log entries older than the log's maximum (never younger than its minimum). */
export const purgeSignInLog = async (db: Database, maxDays: number = SIGN_IN_LOG.MAX_DAYS) => {
  const days = Math.max(SIGN_IN_LOG.MIN_DAYS, maxDays)
  const r = await tables(db)
    .deleteFrom("iam.sign_in_attempt")
    .where("at", "<", sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

const backoff = (failures: number, free: number) =>
  failures < free
    ? 0
    : Math.min(THROTTLE.MAX_DELAY_SECONDS, THROTTLE.BASE_DELAY_SECONDS * 2 ** (failures - free))

/** A new session for a user (also made by a single sign-on, see `sso/accounts.ts`). */
export const newSession = async (
  db: Database,
  userId: string,
  client: { ip: string; userAgent?: string | undefined },
  executor: IamDb = tables(db),
) => {
  const t = token()
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000)
  await executor
    .insertInto("iam.session")
    .values({
      id: Id.make("ses"),
      user_id: userId,
      token_hash: digest(await instanceSecret(db), t),
      expires_at: expiresAt,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    })
    .execute()
  return { token: t, expiresAt }
}

/** Refuse (429) while this client waits after failures on this account or on any account. */
const assertNotThrottled = async (db: Database, email: string, ip: string) => {
  const failures = await sql<{
    by_account: number
    by_client: number
    last_account: Date | null
    last_client: Date | null
  }>`
    select count(*) filter (where lower(email) = ${email})::int as by_account,
           max(at) filter (where lower(email) = ${email}) as last_account,
           count(*)::int as by_client, max(at) as last_client
    from iam.sign_in_attempt where ip = ${ip} and not ok and not forgiven
      and at > now() - make_interval(mins => ${THROTTLE.WINDOW_MINUTES})`.execute(tables(db))
  const f = failures.rows[0]!
  const now = Date.now()
  const waitAccount = f.last_account
    ? new Date(f.last_account).getTime() + backoff(f.by_account, THROTTLE.ACCOUNT_FREE_FAILURES) * 1000 - now
    : 0
  const waitClient = f.last_client
    ? new Date(f.last_client).getTime() + backoff(f.by_client, THROTTLE.CLIENT_FREE_FAILURES) * 1000 - now
    : 0
  const wait = Math.max(waitAccount, waitClient)
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000)
    throw new RateLimitedError({
      message: `too many failed sign-ins from this client; try again in ${seconds} s`,
      retryAfterSeconds: seconds,
      code: "signInThrottled",
      params: { seconds },
    })
  }
}

const recordAttempt = async (db: Database, email: string, ip: string, ok: boolean, userAgent?: string) =>
  tables(db)
    .insertInto("iam.sign_in_attempt")
    .values({ email, ip, ok, user_agent: userAgent?.slice(0, 300) ?? null })
    .execute()

/** A hash to verify against when the account does not exist (the answer takes as long either way). */
let dummyHash: Promise<string> | undefined
const DUMMY = () => (dummyHash ??= argonHash(randomBytes(16).toString("hex")))

export const signIn = async (
  db: Database,
  input: {
    email: string
    password: string
    ip: string
    userAgent?: string | undefined
    /** The session cookie sent with the sign-in, if any: it is ended (the session is rotated). */
    previousSession?: string | undefined
  },
) => {
  const email = input.email.trim().toLowerCase()
  await assertNotThrottled(db, email, input.ip)
  const t = tables(db)
  const row = await t.selectFrom("iam.user").selectAll().where(lowerEmail, "=", email).executeTakeFirst()
  const ok = row
    ? await argonVerify(row.password_hash, input.password)
    : await argonVerify(await DUMMY(), input.password).then(() => false)
  if (ok) {
    // a success forgives this client's failures for the account (they stay in the log)
    await t
      .updateTable("iam.sign_in_attempt")
      .set({ forgiven: true })
      .where("ip", "=", input.ip)
      .where(lowerEmail, "=", email)
      .where("ok", "=", false)
      .where("forgiven", "=", false)
      .execute()
  }
  await recordAttempt(db, email, input.ip, ok, input.userAgent)
  if (!ok || !row)
    throw new UnauthorizedError({ message: "email or password is wrong", code: "wrongCredentials" })
  if (!(await passwordSignInAllowed(db, row.id)))
    throw new ValidationError({
      message: "an organisation of yours signs in through its identity provider",
      issues: [{ path: ["password"], message: "sign in with single sign-on", code: "passwordSignInOff" }],
    })
  if (input.previousSession) await signOut(db, input.previousSession)
  const session = await newSession(db, row.id, input)
  return { ...session, user: toUser(row) }
}

/** The session a token names (id and user), or undefined. */
export const sessionOf = async (
  db: Database,
  sessionToken: string,
): Promise<{ id: string; user: User } | undefined> => {
  const r = await tables(db)
    .selectFrom("iam.session as s")
    .innerJoin("iam.user as u", "u.id", "s.user_id")
    .select(["s.id as session_id", "u.id", "u.email", "u.name", "u.locale", "u.created_at"])
    .where("s.token_hash", "=", digest(await instanceSecret(db), sessionToken))
    .where("s.expires_at", ">", sql<Date>`now()`)
    .executeTakeFirst()
  return r ? { id: r.session_id, user: toUser(r) } : undefined
}

export const userFromSession = async (db: Database, sessionToken: string): Promise<User | undefined> =>
  (await sessionOf(db, sessionToken))?.user

export const signOut = async (db: Database, sessionToken: string) => {
  await tables(db)
    .deleteFrom("iam.session")
    .where("token_hash", "=", digest(await instanceSecret(db), sessionToken))
    .execute()
  forgetSessions(db)
}

/** End every session of a user except the one `keepToken` names; returns how many ended. */
export const signOutOthers = async (db: Database, userId: string, keepToken: string | undefined) => {
  const keep = keepToken ? digest(await instanceSecret(db), keepToken) : ""
  const r = await tables(db)
    .deleteFrom("iam.session")
    .where("user_id", "=", userId)
    .where("token_hash", "<>", keep)
    .executeTakeFirst()
  forgetSessions(db)
  return Number(r.numDeletedRows)
}

/**
 * Change a user's password (the current one must be given): every session of the user ends,
 * and a new one is returned for the client that made the change.
 */
export const changePassword = async (
  db: Database,
  userId: string,
  input: { currentPassword: string; newPassword: string; ip: string; userAgent?: string | undefined },
) => {
  const row = await tables(db)
    .selectFrom("iam.user")
    .select(["email", "password_hash"])
    .where("id", "=", userId)
    .executeTakeFirst()
  // guessing the current password through a stolen session is throttled like sign-in
  const email = String(row?.email ?? "").toLowerCase()
  await assertNotThrottled(db, email, input.ip)
  if (!row || !(await argonVerify(row.password_hash, input.currentPassword))) {
    await recordAttempt(db, email, input.ip, false, input.userAgent)
    throw new ValidationError({
      message: "the current password is wrong",
      issues: [{ path: ["currentPassword"], message: "is wrong", code: "passwordWrong" }],
    })
  }
  const issues = checkPassword(input.newPassword, "newPassword")
  if (issues.length) throw new ValidationError({ message: "invalid password", issues })
  const passwordHash = await argonHash(input.newPassword)
  await instanceSecret(db)
  const session = await tables(db)
    .transaction()
    .execute(async (tx) => {
      await tx
        .updateTable("iam.user")
        .set({ password_hash: passwordHash, updated_at: sql<Date>`now()` })
        .where("id", "=", userId)
        .execute()
      await tx.deleteFrom("iam.session").where("user_id", "=", userId).execute()
      return newSession(db, userId, input, tx)
    })
  forgetSessions(db)
  return session
}
