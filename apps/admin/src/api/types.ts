export type Role = "owner" | "admin" | "supervisor" | "qa_analyst" | "agent" | "auditor"
export const ROLES: ReadonlyArray<Role> = ["owner", "admin", "supervisor", "qa_analyst", "agent", "auditor"]

export interface Membership {
  orgId: string
  slug: string
  name: string
  role: Role
  timeZone: string
  locale: string
}
export interface Me {
  user: { id: string; email: string; name: string; locale: string | null }
  memberships: Membership[]
  currentOrgId: string | null
}
export interface Organization {
  id: string
  slug: string
  name: string
  timeZone: string
  locale: string
  createdAt: string
}
export interface Member {
  userId: string
  email: string
  name: string
  role: Role
  joinedAt: string
}
export interface Invitation {
  id: string
  email: string
  role: Role
  expiresAt: string
  createdAt: string
}
export interface ApiKey {
  id: string
  name: string
  role: Role
  prefix: string
  createdBy: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}
export interface AuditRecord {
  seq: number
  id: string
  at: string
  actorType: string
  actorId: string
  actorName: string | null
  action: string
  entityType: string
  entityId: string
  before: unknown
  after: unknown
  hash: string
}
export interface AuditPage {
  items: AuditRecord[]
  nextCursor: string | null
  total: number
}
export interface RolesMeta {
  modules: string[]
  roles: { role: Role; permissions: string[] }[]
}
