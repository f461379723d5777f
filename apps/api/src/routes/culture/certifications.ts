/** Certifications, the grants people hold, and their suspension or revocation. */
import { Errors } from "@tenet/core"
import { Certification } from "@tenet/culture"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { NonEmpty, NonEmptyShort, ShortText } from "../schemas"
import { Int, Key, oneOf, Score, Text2 } from "./schemas"

const CertificationBody = Schema.Struct({
  name: Text2,
  scope: Schema.Struct({ kind: oneOf(["queue", "channel", "case_type"] as const), value: NonEmptyShort }),
  requiredCourses: Schema.Array(Key).check(Schema.isMaxLength(50)),
  minScore: Schema.optionalKey(Score),
  validityDays: Int(1, 3650),
  remindDays: Schema.optionalKey(Int(0, 365)),
}).annotate({ identifier: "CertificationInput" })

export const certificationEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/certifications",
    exportable: true,
    operationId: "listCertifications",
    summary: "Certifications per queue, channel or case type, and what they require",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({
      items: await Certification.listCertifications(c.get("db"), ctx.orgId),
    }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/certifications/{id}",
    operationId: "saveCertification",
    summary: "Create or change a certification",
    tag: "Culture",
    access: "culture:manage",
    body: CertificationBody,
    handler: async (c, { ctx, params, body }) => {
      if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(params.id!))
        throw new Errors.ValidationError({
          message: "invalid certification",
          issues: [{ path: ["id"], message: "lowercase letters, digits, _ and -", code: "invalidId" }],
        })
      return Certification.saveCertification(c.get("db"), ctx, { id: params.id!, ...body })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/grants",
    exportable: true,
    operationId: "listCertificationGrants",
    summary:
      "Certifications held, with their expiry and state (valid, expiring, expired, suspended, revoked)",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({ userId: Schema.optionalKey(ShortText) }),
    handler: async (c, { ctx, query }) => ({
      items: await Certification.grantsOf(
        c.get("db"),
        ctx.orgId,
        query.userId ? { userId: query.userId } : {},
      ),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/grants/{id}/status",
    operationId: "setCertificationStatus",
    summary: "Suspend, revoke or reinstate a person's certification (with a reason, audited)",
    tag: "Culture",
    access: "culture:write",
    body: Schema.Struct({
      status: oneOf(["active", "suspended", "revoked"] as const),
      reason: NonEmpty.check(Schema.isMaxLength(2000)),
    }).annotate({ identifier: "CertificationStatusInput" }),
    handler: async (c, { ctx, params, body }) =>
      Certification.setGrantStatus(c.get("db"), ctx, params.id!, body.status, body.reason),
  }),
]
