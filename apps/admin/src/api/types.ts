/**
 * The API's types as the server's OpenAPI document states them (generated into @tenet/client): no
 * hand-written copy to drift. `ROLES` is the one runtime value kept here (the order the pages list them).
 */
import type { components } from "@tenet/client"

type Schemas = components["schemas"]

export type Role = Schemas["Role"]
export const ROLES: ReadonlyArray<Role> = ["owner", "admin", "supervisor", "qa_analyst", "agent", "auditor"]

export type Membership = Schemas["Membership"]
export type Me = Schemas["Me"]
export type Organization = Schemas["Organization"]
export type Member = Schemas["Member"]
export type Invitation = Schemas["Invitation"]
export type ApiKey = Schemas["ApiKey"]
export type AuditRecord = Schemas["AuditRecord"]
export type AuditPage = Schemas["AuditPage"]
export type RolesMeta = Schemas["RolesMeta"]
export type Locale = Schemas["Locale"]
export type UpdateOrganization = Schemas["UpdateOrganization"]
