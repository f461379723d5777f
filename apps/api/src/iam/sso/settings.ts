/**
 * An organisation's OpenID provider: issuer (discovery) URL, client id and secret (sealed, never
 * returned), scopes, allowed e-mail domains, the claim whose values map to roles, and whether
 * its members may still sign in with a password.
 */
import { Errors, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { change, type Database, tables } from "../db"
import type { SsoRoleRule } from "../schema"
import { instanceSecret } from "../secrets"
import { httpAllowed } from "./http"
import { seal } from "./seal"

type Role = Tenancy.Role
const { ValidationError, NotFoundError } = Errors

export interface SsoSettings {
  readonly displayName: string
  readonly issuer: string
  readonly clientId: string
  /** Whether a client secret is stored; the secret itself is never returned. */
  readonly clientSecretSet: boolean
  readonly scopes: string
  readonly allowedDomains: ReadonlyArray<string>
  readonly roleClaim: string
  readonly roleMap: ReadonlyArray<SsoRoleRule>
  readonly defaultRole: Role
  readonly enabled: boolean
  readonly passwordSignIn: boolean
  readonly updatedAt: Date
}

export interface SsoSettingsInput {
  readonly displayName: string
  readonly issuer: string
  readonly clientId: string
  /** Omitted: keep the stored one. */
  readonly clientSecret?: string | undefined
  readonly scopes: string
  readonly allowedDomains: ReadonlyArray<string>
  readonly roleClaim: string
  readonly roleMap: ReadonlyArray<SsoRoleRule>
  readonly defaultRole: Role
  readonly enabled: boolean
  readonly passwordSignIn: boolean
}

const view = (r: {
  display_name: string
  issuer: string
  client_id: string
  scopes: string
  allowed_domains: ReadonlyArray<string>
  role_claim: string
  role_map: ReadonlyArray<SsoRoleRule>
  default_role: Role
  enabled: boolean
  password_sign_in: boolean
  updated_at: Date
}): SsoSettings => ({
  displayName: r.display_name,
  issuer: r.issuer,
  clientId: r.client_id,
  clientSecretSet: true,
  scopes: r.scopes,
  allowedDomains: r.allowed_domains,
  roleClaim: r.role_claim,
  roleMap: r.role_map,
  defaultRole: r.default_role,
  enabled: r.enabled,
  passwordSignIn: r.password_sign_in,
  updatedAt: r.updated_at,
})

/** The stored row (with the sealed secret), for the flow. */
export const providerRow = (db: Database, orgId: string) =>
  tables(db).selectFrom("iam.sso_provider").selectAll().where("org_id", "=", orgId).executeTakeFirst()

export const getSsoSettings = async (db: Database, orgId: string): Promise<SsoSettings | null> => {
  const r = await providerRow(db, orgId)
  return r ? view(r) : null
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

const check = (input: SsoSettingsInput, hasSecret: boolean) => {
  const issues: Array<Errors.FieldIssue> = []
  let url: URL | undefined
  try {
    url = new URL(input.issuer)
  } catch {}
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
    issues.push({ path: ["issuer"], message: "must be an http(s) URL", code: "url" })
  else if (!httpAllowed(url))
    issues.push({
      path: ["issuer"],
      message: "must be https (or set TENET_OIDC_ALLOW_HTTP=1)",
      code: "issuerHttp",
    })
  if (!input.clientSecret && !hasSecret)
    issues.push({ path: ["clientSecret"], message: "is required", code: "required" })
  if (!input.scopes.split(/\s+/).includes("openid"))
    issues.push({ path: ["scopes"], message: 'must include "openid"', code: "scopesOpenid" })
  if (input.allowedDomains.length === 0)
    issues.push({ path: ["allowedDomains"], message: "must name at least one domain", code: "required" })
  input.allowedDomains.forEach((d, i) => {
    if (!DOMAIN.test(d.trim().toLowerCase()))
      issues.push({ path: ["allowedDomains", i], message: "must be a domain name", code: "domain" })
  })
  // owners are made in Tenet, never by a claim
  if (input.defaultRole === "owner")
    issues.push({ path: ["defaultRole"], message: "must not be owner", code: "ssoNoOwner" })
  input.roleMap.forEach((r, i) => {
    if (r.role === "owner")
      issues.push({ path: ["roleMap", i, "role"], message: "must not be owner", code: "ssoNoOwner" })
  })
  if (input.roleMap.length > 0 && !input.roleClaim.trim())
    issues.push({ path: ["roleClaim"], message: "is required when roles are mapped", code: "required" })
  if (issues.length) throw new ValidationError({ message: "invalid single sign-on settings", issues })
}

/** Create or replace the organisation's provider (audited; the secret never in the record). */
export const putSsoSettings = async (
  db: Database,
  ctx: Tenancy.OrgContext,
  input: SsoSettingsInput,
): Promise<SsoSettings> => {
  const before = await providerRow(db, ctx.orgId)
  check(input, before !== undefined)
  const secret = input.clientSecret
    ? seal(await instanceSecret(db), input.clientSecret)
    : (before?.client_secret ?? "")
  const values = {
    display_name: input.displayName.trim(),
    issuer: input.issuer.trim().replace(/\/+$/, ""),
    client_id: input.clientId.trim(),
    client_secret: secret,
    scopes: input.scopes.trim().split(/\s+/).join(" "),
    allowed_domains: JSON.stringify([...new Set(input.allowedDomains.map((d) => d.trim().toLowerCase()))]),
    role_claim: input.roleClaim.trim(),
    role_map: JSON.stringify(input.roleMap.map((r) => ({ value: r.value, role: r.role }))),
    default_role: input.defaultRole,
    enabled: input.enabled,
    password_sign_in: input.passwordSignIn,
  }
  const row = await change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .insertInto("iam.sso_provider")
      .values({ org_id: ctx.orgId, ...values } as never)
      .onConflict((oc) =>
        oc.column("org_id").doUpdateSet({ ...values, updated_at: sql<Date>`now()` } as never),
      )
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "sso.settings_changed",
      entityType: "sso_provider",
      entityId: ctx.orgId,
      before: before ? view(before) : null,
      after: { ...view(r), clientSecretChanged: Boolean(input.clientSecret) },
    })
    return r
  })
  return view(row)
}

export const deleteSsoSettings = async (db: Database, ctx: Tenancy.OrgContext) => {
  await change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .deleteFrom("iam.sso_provider")
      .where("org_id", "=", ctx.orgId)
      .returningAll()
      .executeTakeFirst()
    if (!r) throw new NotFoundError({ entity: "sso_provider", id: ctx.orgId })
    await tx.deleteFrom("iam.sso_identity").where("org_id", "=", ctx.orgId).execute()
    await audit({
      action: "sso.settings_removed",
      entityType: "sso_provider",
      entityId: ctx.orgId,
      before: view(r),
    })
  })
}

/** What the sign-in page may know of an organisation by its slug (nothing when it has no provider on). */
export const publicProvider = async (db: Database, slug: string) => {
  const r = await tables(db)
    .selectFrom("iam.sso_provider as p")
    .innerJoin("core.organization as o", "o.id", "p.org_id")
    .select(["o.id", "o.slug", "o.name", "p.display_name", "p.password_sign_in"])
    .where("o.slug", "=", slug.trim().toLowerCase())
    .where("p.enabled", "=", true)
    .executeTakeFirst()
  return r
    ? {
        orgId: r.id,
        slug: r.slug,
        organization: r.name,
        displayName: r.display_name,
        passwordSignIn: r.password_sign_in,
      }
    : undefined
}

/**
 * Whether a user may sign in with a password: not while they belong, other than as owner, to an
 * organisation whose provider is on and has turned password sign-in off. Owners keep their
 * password (the break-glass way in when the provider is down or misconfigured).
 */
export const passwordSignInAllowed = async (db: Database, userId: string): Promise<boolean> =>
  (await tables(db)
    .selectFrom("iam.membership as m")
    .innerJoin("iam.sso_provider as p", "p.org_id", "m.org_id")
    .select("m.org_id")
    .where("m.user_id", "=", userId)
    .where("m.role", "<>", "owner")
    .where("p.enabled", "=", true)
    .where("p.password_sign_in", "=", false)
    .executeTakeFirst()) === undefined
