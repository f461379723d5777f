/**
 * The authorisation-code flow with PKCE, through openid-client (v6): discovery, the
 * authorisation URL (state, nonce, S256 challenge), and the code exchange with every check the
 * library makes (state, issuer, ID token signature, audience, nonce, PKCE). The state, nonce and
 * verifier wait in `iam.sso_flow` for ten minutes, keyed by the state's digest; the state itself is
 * also in a cookie of the browser that started, so a callback from another browser is refused.
 */
import { sql } from "kysely"
import * as oidc from "openid-client"
import { type Database, tables } from "../db"
import { digest, instanceSecret } from "../secrets"
import { httpAllowed } from "./http"
import { SsoRefused } from "./refused"
import { unseal } from "./seal"
import { providerRow } from "./settings"

export const FLOW_MINUTES = 10

// discovery documents kept a few minutes per (issuer, client, secret)
const configs = new Map<string, { at: number; config: Promise<oidc.Configuration> }>()
const CONFIG_MS = 5 * 60_000

const configOf = async (issuer: string, clientId: string, clientSecret: string) => {
  const key = `${issuer}\n${clientId}\n${clientSecret}`
  const hit = configs.get(key)
  if (hit && Date.now() - hit.at < CONFIG_MS) return hit.config
  const url = new URL(issuer)
  if (!httpAllowed(url))
    throw new SsoRefused("ssoProviderError", "the issuer is http and TENET_OIDC_ALLOW_HTTP is not 1")
  const config = oidc.discovery(
    url,
    clientId,
    clientSecret,
    undefined,
    url.protocol === "http:" ? { execute: [oidc.allowInsecureRequests] } : undefined,
  )
  configs.set(key, { at: Date.now(), config })
  config.catch(() => configs.delete(key))
  return config
}

const providerConfig = async (db: Database, orgId: string) => {
  const row = await providerRow(db, orgId)
  if (!row?.enabled) throw new SsoRefused("ssoNotConfigured", "this organisation has no single sign-on")
  const secret = unseal(await instanceSecret(db), row.client_secret)
  if (secret === undefined)
    throw new SsoRefused("ssoProviderError", "the client secret cannot be read: enter it again")
  try {
    return { row, config: await configOf(row.issuer, row.client_id, secret) }
  } catch (e) {
    if (e instanceof SsoRefused) throw e
    throw new SsoRefused("ssoProviderError", `discovery failed: ${(e as Error).message}`)
  }
}

/** Start: the URL to send the browser to, and the state to keep in its cookie. */
export const startFlow = async (db: Database, orgId: string, redirectUri: string) => {
  const { row, config } = await providerConfig(db, orgId)
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const t = tables(db)
  await t.deleteFrom("iam.sso_flow").where("expires_at", "<", sql<Date>`now()`).execute()
  await t
    .insertInto("iam.sso_flow")
    .values({
      state_hash: digest(await instanceSecret(db), state),
      org_id: orgId,
      code_verifier: codeVerifier,
      nonce,
      expires_at: new Date(Date.now() + FLOW_MINUTES * 60_000),
    })
    .execute()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: row.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  })
  return { url: url.href, state }
}

export type Claims = Record<string, unknown> & { sub: string }

/**
 * Finish: the state in the callback must be the one in the browser's cookie and a flow we started
 * (used once); then the code is exchanged and the claims of the ID token and userinfo returned.
 */
export const finishFlow = async (
  db: Database,
  input: { cookieState: string | undefined; callbackUrl: URL; redirectUri: string },
): Promise<{ orgId: string; issuer: string; claims: Claims; idToken: string | undefined }> => {
  const state = input.callbackUrl.searchParams.get("state")
  if (!state || !input.cookieState || state !== input.cookieState)
    throw new SsoRefused("ssoStateInvalid", "the state does not match this browser's sign-in")
  const flow = await tables(db)
    .deleteFrom("iam.sso_flow")
    .where("state_hash", "=", digest(await instanceSecret(db), state))
    .returningAll()
    .executeTakeFirst()
  if (!flow || new Date(flow.expires_at).getTime() < Date.now())
    throw new SsoRefused("ssoStateInvalid", "the sign-in was not started here or took too long")
  const { row, config } = await providerConfig(db, flow.org_id)
  try {
    const tokens = await oidc.authorizationCodeGrant(
      config,
      input.callbackUrl,
      {
        pkceCodeVerifier: flow.code_verifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      },
      { redirect_uri: input.redirectUri },
    )
    const idClaims = tokens.claims()!
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
    return {
      orgId: flow.org_id,
      issuer: config.serverMetadata().issuer ?? row.issuer,
      claims: { ...info, ...idClaims } as Claims,
      idToken: tokens.id_token,
    }
  } catch (e) {
    throw new SsoRefused("ssoProviderError", `the provider's answer was refused: ${(e as Error).message}`)
  }
}

/**
 * Signing out of the provider too (OpenID Connect RP-initiated logout): the provider's end-session
 * URL with the ID token the sign-in received as a hint and where to send the browser afterwards, or
 * null when the provider has no end-session endpoint or cannot be reached (then only Tenet's session ends).
 */
export const endSessionUrl = async (
  db: Database,
  orgId: string,
  input: { idToken: string | undefined; postLogoutRedirectUri: string },
): Promise<string | null> => {
  try {
    const { config } = await providerConfig(db, orgId)
    if (!config.serverMetadata().end_session_endpoint) return null
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: input.postLogoutRedirectUri,
      ...(input.idToken ? { id_token_hint: input.idToken } : {}),
    }).href
  } catch {
    return null
  }
}
