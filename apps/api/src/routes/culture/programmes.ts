/** Training programmes (enrolment and progress) and the sessions of courses with their attendance. */
import { Programmes, Training } from "@tenet/culture"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { requireMember } from "../../iam/members"
import { NonEmptyShort, ShortText } from "../schemas"
import { Int, Key, Text2 } from "./schemas"

export const programmeEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/sessions",
    exportable: true,
    operationId: "listTrainingSessions",
    summary:
      "Sessions of courses (for one course when given), latest first, with who registered, attended or missed each",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({ courseId: Schema.optionalKey(ShortText) }),
    handler: async (c, { ctx, query }) => ({
      items: await Training.listSessions(c.get("db"), ctx.orgId, query),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/programmes",
    exportable: true,
    operationId: "listProgrammes",
    summary: "Training programmes (ordered courses) with the people enrolled and the courses each has passed",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({ items: await Programmes.listProgrammes(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/programmes/{id}",
    operationId: "saveProgramme",
    summary:
      "Create or change a training programme: its courses in order and the days each is due after enrolment",
    tag: "Culture",
    access: "culture:write",
    body: Schema.Struct({
      name: Text2,
      courseIds: Schema.Array(Key).check(Schema.isMaxLength(50)),
      dueDays: Schema.optionalKey(Int(1, 365)),
    }).annotate({ identifier: "ProgrammeInput" }),
    handler: async (c, { ctx, params, body }) =>
      Programmes.saveProgramme(c.get("db"), ctx, { id: params.id!, ...body }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/programmes/{id}/enrolments",
    operationId: "enrolInProgramme",
    summary:
      "Enrol people in a programme: each is assigned the programme's courses they have neither passed nor open",
    tag: "Culture",
    access: "culture:write",
    body: Schema.Struct({
      userIds: Schema.Array(NonEmptyShort).check(Schema.isMinLength(1), Schema.isMaxLength(500)),
    }).annotate({ identifier: "EnrolmentInput" }),
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      for (const [i, userId] of body.userIds.entries())
        await requireMember(db, ctx.orgId, userId, ["userIds", String(i)])
      return Programmes.enrol(db, ctx, params.id!, body.userIds)
    },
  }),
]
