/**
 * The iam module's tables (schema `iam`) as Kysely interfaces, matching `migrations.ts` beside
 * this file; a drift test compares them with `information_schema` after migrating.
 */
import type { Tenancy } from "@tenet/core"
import type { GeneratedTimestamp as CreatedAt, Json, Timestamp } from "@tenet/core/schema"
import type { Generated, Selectable } from "kysely"

type Role = Tenancy.Role

export interface UserTable {
  id: string
  email: string
  name: string
  password_hash: string
  locale: string | null
  created_at: CreatedAt
  updated_at: CreatedAt
}

export interface MembershipTable {
  org_id: string
  user_id: string
  role: Role
  created_at: CreatedAt
}

export interface InvitationTable {
  org_id: string
  id: string
  email: string
  role: Role
  token_hash: string
  invited_by: string
  expires_at: Timestamp
  accepted_at: Timestamp | null
  revoked_at: Timestamp | null
  created_at: CreatedAt
}

export interface ApiKeyTable {
  org_id: string
  id: string
  name: string
  role: Role
  prefix: string
  secret_hash: string
  created_by: string
  created_at: CreatedAt
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface SessionTable {
  id: string
  user_id: string
  token_hash: string
  created_at: CreatedAt
  expires_at: Timestamp
  ip: string | null
  user_agent: string | null
}

export interface SignInAttemptTable {
  email: string
  ip: string
  ok: boolean
  at: Generated<Date>
  /** A later success from the same client forgave this failure (it no longer counts for throttling). */
  forgiven: Generated<boolean>
  user_agent: string | null
}

export interface InstanceSecretTable {
  name: string
  value: string
}

/** A role given when the role claim holds `value`. */
export interface SsoRoleRule {
  readonly value: string
  readonly role: Role
}

export interface SsoProviderTable {
  org_id: string
  display_name: string
  /** The issuer (discovery) URL. */
  issuer: string
  client_id: string
  /** AES-256-GCM sealed with a key derived from the instance secret (see `sso/secret.ts`). */
  client_secret: string
  scopes: string
  allowed_domains: ReadonlyArray<string>
  role_claim: string
  role_map: ReadonlyArray<SsoRoleRule>
  default_role: Role
  enabled: boolean
  password_sign_in: boolean
  created_at: CreatedAt
  updated_at: CreatedAt
}

export interface SsoFlowTable {
  state_hash: string
  org_id: string
  code_verifier: string
  nonce: string
  expires_at: Timestamp
}

export interface SsoIdentityTable {
  org_id: string
  issuer: string
  subject: string
  user_id: string
  created_at: CreatedAt
}

/** A create's or import's first answer, kept for retries with the same `Idempotency-Key`. */
export interface IdempotencyTable {
  org_id: string
  /** "user:<id>" or "api_key:<id>" */
  principal: string
  key: string
  /** sha-256 of method, path and body: a key reused for another request is refused */
  request_hash: string
  /** null while the first request runs */
  status: number | null
  body: Json<unknown> | null
  created_at: CreatedAt
  expires_at: Timestamp
}

/** The iam tables by qualified name: `db.as<IamTables>()`. */
export interface IamTables {
  "iam.user": UserTable
  "iam.membership": MembershipTable
  "iam.invitation": InvitationTable
  "iam.api_key": ApiKeyTable
  "iam.session": SessionTable
  "iam.sign_in_attempt": SignInAttemptTable
  "iam.instance_secret": InstanceSecretTable
  "iam.sso_provider": SsoProviderTable
  "iam.sso_flow": SsoFlowTable
  "iam.sso_identity": SsoIdentityTable
  "iam.idempotency": IdempotencyTable
}

export type UserRow = Selectable<UserTable>
export type InvitationRow = Selectable<InvitationTable>
export type ApiKeyRow = Selectable<ApiKeyTable>
