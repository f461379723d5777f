import type { Db, Tenancy } from "@tenet/core"
import type { PluginHost } from "@tenet/plugin-sdk/host"
import type { AuditSigner } from "../audit/checkpoints"
import type { Membership, User } from "../iam/service"
import type { OriginPolicy } from "./origin"

export interface Auth {
  readonly kind: "session" | "api_key"
  readonly user?: User
  readonly apiKeyId?: string
  /** The organisation this request runs for (absent when a signed-in user has no membership). */
  readonly orgId?: string
  readonly role?: Tenancy.Role
  readonly memberships: ReadonlyArray<Membership>
}

export interface AppEnv {
  Variables: {
    db: Db.Database
    plugins: PluginHost
    auth: Auth | undefined
    requestId: string
    origin: OriginPolicy
    auditSigner: AuditSigner | undefined
  }
}
