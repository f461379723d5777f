import { endpoint } from "../http/endpoint"
import * as Iam from "../iam/service"
import * as S from "./schemas"

export const memberEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/members",
    exportable: true,
    operationId: "listMembers",
    summary: "Members of the organisation and their roles",
    tag: "Members",
    access: "members:read",
    response: S.MemberList,
    handler: async (c, { ctx }) => ({ items: await Iam.listMembers(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/members/{userId}",
    operationId: "changeMemberRole",
    summary: "Change a member's role",
    tag: "Members",
    access: "members:manage",
    body: S.ChangeRole,
    status: 204,
    handler: async (c, { ctx, params, body }) => {
      await Iam.changeRole(c.get("db"), ctx, params.userId!, body.role)
    },
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/members/{userId}",
    operationId: "removeMember",
    summary: "Remove a member from the organisation",
    tag: "Members",
    access: "members:manage",
    status: 204,
    handler: async (c, { ctx, params }) => {
      await Iam.removeMember(c.get("db"), ctx, params.userId!)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/invitations",
    exportable: true,
    operationId: "listInvitations",
    summary: "Open invitations",
    tag: "Members",
    access: "members:manage",
    response: S.InvitationList,
    handler: async (c, { ctx }) => ({ items: await Iam.listInvitations(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/invitations",
    operationId: "createInvitation",
    summary: "Invite someone by email with a role; returns the invitation link once",
    tag: "Members",
    access: "members:manage",
    body: S.CreateInvitation,
    status: 201,
    response: S.CreatedInvitation,
    handler: async (c, { ctx, body }) => {
      const { invitation, token } = await Iam.invite(c.get("db"), ctx, body)
      const origin = new URL(c.req.url).origin
      return { invitation, token, url: `${origin}/accept-invitation?token=${encodeURIComponent(token)}` }
    },
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/invitations/{id}",
    operationId: "revokeInvitation",
    summary: "Revoke an invitation",
    tag: "Members",
    access: "members:manage",
    status: 204,
    handler: async (c, { ctx, params }) => {
      await Iam.revokeInvitation(c.get("db"), ctx, params.id!)
    },
  }),
]
