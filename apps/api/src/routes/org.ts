import { Organizations, Tenancy } from "@tenet/core"
import { endpoint } from "../http/endpoint"
import { forgetOrgTimeZone } from "../http/org-zone"
import * as Iam from "../iam/service"
import * as S from "./schemas"

export const orgEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/org",
    operationId: "getOrganization",
    summary: "The current organisation",
    tag: "Organisation",
    access: "org:read",
    response: S.Organization,
    handler: async (c, { ctx }) => Organizations.get(c.get("db"), ctx.orgId),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/org",
    operationId: "updateOrganization",
    summary: "Rename the organisation or set its time zone and default language",
    tag: "Organisation",
    access: "settings:manage",
    body: S.UpdateOrganization,
    response: S.Organization,
    handler: async (c, { ctx, body }) => {
      const org = await Organizations.update(c.get("db"), ctx.actor, ctx.orgId, body)
      forgetOrgTimeZone(ctx.orgId)
      return org
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/orgs",
    operationId: "createOrganization",
    summary: "Create an organisation; you become its owner",
    tag: "Organisation",
    access: "signed_in",
    body: S.CreateOrganization,
    status: 201,
    response: S.Organization,
    handler: async (c, { auth, body }) => {
      const db = c.get("db")
      const userId = auth.user?.id
      if (!userId)
        throw new (await import("@tenet/core")).Errors.ForbiddenError({
          message: "only a person can create an organisation",
        })
      const org = await Organizations.create(db, { type: "user", id: userId }, body)
      await Iam.addMember(db, Tenancy.system(org.id), { userId, role: "owner" })
      return org
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/meta/roles",
    operationId: "listRoles",
    summary: "Roles and the permissions each grants",
    tag: "Organisation",
    access: "signed_in",
    response: S.RolesMeta,
    handler: async () => ({
      modules: Tenancy.MODULES,
      roles: Tenancy.ROLES.map((r) => ({ role: r, permissions: [...Tenancy.PERMISSIONS[r]] })),
    }),
  }),
]
