/**
 * Who a single sign-on makes signed in: the identity already linked (issuer, subject), else the
 * user with the same e-mail — only when the provider says it is verified — else a new user
 * (just-in-time). The membership follows the role claim: made with the mapped (or default) role,
 * and re-roled at each sign-on when a rule matches (never an owner, whom only Tenet makes).
 */
import { randomBytes } from "node:crypto"
import { hash as argonHash } from "@node-rs/argon2"
import { Id, type Tenancy } from "@tenet/core"
import { forgetVerifiedKeys } from "../apikeys"
import { forgetSessions } from "../authCache"
import { change, type Database, tables } from "../db"
import type { SsoRoleRule } from "../schema"
import { newSession } from "../sessions"
import { lowerEmail, toUser, type User } from "../users"
import type { Claims } from "./flow"
import { SsoRefused } from "./refused"
import { providerRow } from "./settings"

type Role = Tenancy.Role

/** The values of a claim at a dotted path (`realm_access.roles` for Keycloak), as strings. */
export const claimValues = (claims: Record<string, unknown>, path: string): string[] => {
  let v: unknown = claims
  for (const k of path.split("."))
    v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined
  if (typeof v === "string") return [v]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string")
  return []
}

/** The first rule whose value the claim holds, or undefined. */
export const mappedRole = (
  claims: Record<string, unknown>,
  claim: string,
  rules: ReadonlyArray<SsoRoleRule>,
) => {
  if (!claim) return undefined
  const values = new Set(claimValues(claims, claim))
  return rules.find((r) => values.has(r.value))?.role
}

const isVerified = (v: unknown) => v === true || v === "true"

export const signInWithClaims = async (
  db: Database,
  input: {
    orgId: string
    issuer: string
    claims: Claims
    client: { ip: string; userAgent?: string | undefined }
    requestId?: string | undefined
  },
): Promise<{ user: User; role: Role; token: string; expiresAt: Date }> => {
  const provider = await providerRow(db, input.orgId)
  if (!provider?.enabled) throw new SsoRefused("ssoNotConfigured", "this organisation has no single sign-on")
  const { claims } = input
  const email = typeof claims.email === "string" ? claims.email.trim() : ""
  if (!email.includes("@")) throw new SsoRefused("ssoEmailMissing", "the provider gave no e-mail address")
  const domain = email.split("@").at(-1)!.toLowerCase()
  if (!provider.allowed_domains.includes(domain))
    throw new SsoRefused(
      "ssoDomainNotAllowed",
      `e-mail domain ${domain} is not allowed for this organisation`,
    )
  const verified = isVerified(claims.email_verified)
  const mapped = mappedRole(claims, provider.role_claim, provider.role_map)
  const ctx = (userId: string | undefined): Tenancy.OrgContext => ({
    orgId: input.orgId,
    actor: userId ? { type: "user", id: userId } : { type: "system", id: "sso" },
    ...(input.requestId ? { requestId: input.requestId } : {}),
  })
  const linked = await tables(db)
    .selectFrom("iam.sso_identity")
    .select("user_id")
    .where("org_id", "=", input.orgId)
    .where("issuer", "=", input.issuer)
    .where("subject", "=", claims.sub)
    .executeTakeFirst()
  let userId = linked?.user_id
  // a new user gets a password nobody knows (they sign in through the provider)
  const unusable = userId ? "" : await argonHash(randomBytes(24).toString("hex"))
  const result = await change(db, ctx(userId), async ({ tx, audit }) => {
    let how: "linked" | "matched" | "created" = "linked"
    if (!userId) {
      if (!verified)
        throw new SsoRefused("ssoEmailUnverified", "the provider does not say the e-mail address is verified")
      const existing = await tx
        .selectFrom("iam.user")
        .select("id")
        .where(lowerEmail, "=", email.toLowerCase())
        .executeTakeFirst()
      if (existing) {
        userId = existing.id
        how = "matched"
      } else {
        const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim() : email
        userId = Id.make("usr")
        await tx.insertInto("iam.user").values({ id: userId, email, name, password_hash: unusable }).execute()
        how = "created"
      }
      await tx
        .insertInto("iam.sso_identity")
        .values({ org_id: input.orgId, issuer: input.issuer, subject: claims.sub, user_id: userId })
        .execute()
    }
    const member = await tx
      .selectFrom("iam.membership")
      .select("role")
      .where("org_id", "=", input.orgId)
      .where("user_id", "=", userId)
      .forUpdate()
      .executeTakeFirst()
    let role: Role = member?.role ?? mapped ?? provider.default_role
    if (!member) {
      await tx.insertInto("iam.membership").values({ org_id: input.orgId, user_id: userId, role }).execute()
      await audit({
        action: "member.added",
        entityType: "membership",
        entityId: userId,
        after: { role, via: "sso" },
      })
    } else if (mapped && member.role !== "owner" && mapped !== member.role) {
      role = mapped
      await tx
        .updateTable("iam.membership")
        .set({ role })
        .where("org_id", "=", input.orgId)
        .where("user_id", "=", userId)
        .execute()
      await audit({
        action: "member.role_changed",
        entityType: "membership",
        entityId: userId,
        before: { role: member.role },
        after: { role, via: "sso" },
      })
    }
    await audit({
      action: "sso.signed_in",
      entityType: "user",
      entityId: userId,
      after: { email, how, role, subject: claims.sub, issuer: input.issuer },
    })
    const user = await tx
      .selectFrom("iam.user")
      .selectAll()
      .where("id", "=", userId)
      .executeTakeFirstOrThrow()
    const session = await newSession(db, userId, input.client, tx)
    return { user: toUser(user), role, ...session }
  })
  forgetSessions(db)
  forgetVerifiedKeys(db)
  return result
}
