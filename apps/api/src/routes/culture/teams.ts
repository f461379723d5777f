/** Teams and roster, and the eligibility gate's setting. */
import { Eligibility, Teams } from "@tenet/core"
import { Roster } from "@tenet/culture"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { requireMember } from "../../iam/members"
import { NonEmptyShort, ShortText } from "../schemas"
import { Day, Ids, oneOf, Text2 } from "./schemas"

const TeamBody = Schema.Struct({
  name: Text2,
  leaderId: Schema.optionalKey(Schema.NullOr(ShortText)),
  channels: Schema.optionalKey(Ids),
  queues: Schema.optionalKey(Ids),
  active: Schema.optionalKey(Schema.Boolean),
}).annotate({ identifier: "TeamInput" })
const MemberBody = Schema.Struct({
  userId: NonEmptyShort,
  level: oneOf(Teams.LEVELS),
  joinedOn: Schema.optionalKey(Day),
  leftOn: Schema.optionalKey(Schema.NullOr(Day)),
}).annotate({ identifier: "TeamMemberInput" })
const PersonBody = Schema.Struct({
  displayName: NonEmptyShort,
  startedOn: Day,
  leftOn: Schema.optionalKey(Schema.NullOr(Day)),
  languages: Schema.optionalKey(Ids),
  rankingsVisible: Schema.optionalKey(Schema.Boolean),
}).annotate({ identifier: "PersonInput" })

export const teamEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/teams",
    exportable: true,
    operationId: "listTeams",
    summary: "Teams (the queues cases are routed to) with their members",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => {
      const db = c.get("db")
      const members = await Teams.members(db, ctx.orgId)
      return {
        items: (await Teams.list(db, ctx.orgId)).map((t) => ({
          ...t,
          members: members.filter((m) => m.teamId === t.id),
        })),
      }
    },
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/teams/{id}",
    operationId: "saveTeam",
    summary: "Create or change a team (its id is its stable key)",
    tag: "Culture",
    access: "culture:write",
    body: TeamBody,
    handler: async (c, { ctx, params, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.leaderId, ["leaderId"])
      return Teams.save(c.get("db"), ctx, { id: params.id!, ...body })
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/teams/{id}/members",
    operationId: "setTeamMember",
    summary: "Put a person in a team at a level, or record that they left",
    tag: "Culture",
    access: "culture:write",
    body: MemberBody,
    handler: async (c, { ctx, params, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.userId, ["userId"])
      return Teams.setMember(c.get("db"), ctx, { teamId: params.id!, ...body })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/roster",
    exportable: true,
    operationId: "listRoster",
    summary: "The roster: start and leave dates, languages, teams",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({ items: await Roster.roster(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/roster/{userId}",
    operationId: "savePerson",
    summary: "Add or change a person on the roster",
    tag: "Culture",
    access: "culture:write",
    body: PersonBody,
    handler: async (c, { ctx, params, body }) => {
      await requireMember(c.get("db"), ctx.orgId, params.userId, ["userId"])
      return Roster.savePerson(c.get("db"), ctx, { userId: params.userId!, ...body })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/eligibility",
    operationId: "getEligibilityGate",
    summary: "Whether cases may only be assigned to people certified for them",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({
      gateEnabled: await Eligibility.gateEnabled(c.get("db").kysely, ctx.orgId),
      provider: Eligibility.providerId() ?? null,
    }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/eligibility",
    operationId: "setEligibilityGate",
    summary: "Turn the certification gate on or off for the organisation",
    tag: "Culture",
    access: "culture:manage",
    body: Schema.Struct({ gateEnabled: Schema.Boolean }).annotate({ identifier: "EligibilityGate" }),
    handler: async (c, { ctx, body }) => {
      await Eligibility.setGate(c.get("db"), ctx, body.gateEnabled)
      return { gateEnabled: body.gateEnabled }
    },
  }),
]
