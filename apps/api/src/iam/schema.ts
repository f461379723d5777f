/**
 * The iam module's tables (schema `iam`) as Kysely interfaces, matching `migrations.ts` beside
 * this file; a drift test compares them with `information_schema` after migrating.
 */
import type { Tenancy } from "@tenet/core"
import type { GeneratedTimestamp as CreatedAt, Timestamp } from "@tenet/core/schema"
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
}

export interface InstanceSecretTable {
  name: string
  value: string
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
}

export type UserRow = Selectable<UserTable>
export type InvitationRow = Selectable<InvitationTable>
export type ApiKeyRow = Selectable<ApiKeyTable>
