import { Tenancy } from "@tenet/core"
import { Schema } from "effect"

export const Email = Schema.String.check(
  Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: "must be an email address", code: "email" }),
).annotate({ description: "An email address", examples: ["owner@demo.tenet.local"] })
export const NonEmpty = Schema.String.check(Schema.isMinLength(1, { message: "must not be empty" }))
export const Password = Schema.String.check(
  Schema.isMinLength(8, { message: "must be at least 8 characters" }),
)
export const Role = Schema.Literals(Tenancy.ROLES).annotate({
  identifier: "Role",
  message: `must be one of: ${Tenancy.ROLES.join(", ")}`,
})
export const Locale = Schema.Literals(["zh-CN", "en"]).annotate({
  identifier: "Locale",
  message: "must be zh-CN or en",
})
export const Slug = Schema.String.check(
  Schema.isPattern(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, {
    message: "must be 1–48 lowercase letters, digits or hyphens",
  }),
)
export const TimeZone = Schema.String.annotate({ description: "An IANA time zone, e.g. Asia/Shanghai" })

export const SignIn = Schema.Struct({ email: Email, password: Schema.String }).annotate({
  identifier: "SignIn",
})
export const UpdateMe = Schema.Struct({
  name: Schema.optionalKey(NonEmpty),
  locale: Schema.optionalKey(Locale),
}).annotate({
  identifier: "UpdateMe",
})
export const ChangePassword = Schema.Struct({
  currentPassword: Schema.String,
  newPassword: Schema.String,
}).annotate({ identifier: "ChangePassword" })
export const AcceptInvitation = Schema.Struct({
  token: NonEmpty,
  name: Schema.optionalKey(NonEmpty),
  password: Schema.optionalKey(Password),
}).annotate({ identifier: "AcceptInvitation" })

export const Organization = Schema.Struct({
  id: Schema.String,
  slug: Schema.String,
  name: Schema.String,
  timeZone: Schema.String,
  locale: Schema.String,
  createdAt: Schema.String,
}).annotate({ identifier: "Organization" })
export const CreateOrganization = Schema.Struct({
  name: NonEmpty,
  slug: Slug,
  timeZone: Schema.optionalKey(TimeZone),
}).annotate({
  identifier: "CreateOrganization",
})
export const UpdateOrganization = Schema.Struct({
  name: Schema.optionalKey(NonEmpty),
  timeZone: Schema.optionalKey(TimeZone),
  locale: Schema.optionalKey(Locale),
}).annotate({ identifier: "UpdateOrganization" })

export const Member = Schema.Struct({
  userId: Schema.String,
  email: Schema.String,
  name: Schema.String,
  role: Role,
  joinedAt: Schema.String,
}).annotate({ identifier: "Member" })
export const MemberList = Schema.Struct({ items: Schema.Array(Member) })
export const ChangeRole = Schema.Struct({ role: Role }).annotate({ identifier: "ChangeRole" })

export const CreateInvitation = Schema.Struct({ email: Email, role: Role }).annotate({
  identifier: "CreateInvitation",
})
export const Invitation = Schema.Struct({
  id: Schema.String,
  email: Schema.String,
  role: Role,
  expiresAt: Schema.String,
  createdAt: Schema.String,
}).annotate({ identifier: "Invitation" })

export const CreateApiKey = Schema.Struct({ name: NonEmpty, role: Role }).annotate({
  identifier: "CreateApiKey",
})
export const ApiKey = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: Role,
  prefix: Schema.String,
  createdBy: Schema.String,
  createdAt: Schema.String,
  lastUsedAt: Schema.NullOr(Schema.String),
  revokedAt: Schema.NullOr(Schema.String),
}).annotate({ identifier: "ApiKey" })
export const CreatedApiKey = Schema.Struct({
  key: ApiKey,
  secret: Schema.String.annotate({ description: "The key itself. Shown once; store it now." }),
})

const Int = Schema.NumberFromString.check(Schema.isInt())
export const AuditQuery = Schema.Struct({
  limit: Schema.optionalKey(Int),
  cursor: Schema.optionalKey(Schema.String),
  sort: Schema.optionalKey(
    Schema.Literals(["at", "-at", "action", "-action", "entityType", "-entityType", "actorId", "-actorId"]),
  ),
  action: Schema.optionalKey(Schema.String),
  entityType: Schema.optionalKey(Schema.String),
  entityId: Schema.optionalKey(Schema.String),
  actorId: Schema.optionalKey(Schema.String),
  q: Schema.optionalKey(Schema.String),
  from: Schema.optionalKey(Schema.String),
  to: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "AuditQuery" })
export const AuditRecord = Schema.Struct({
  seq: Schema.Finite,
  id: Schema.String,
  at: Schema.String,
  actorType: Schema.String,
  actorId: Schema.String,
  actorName: Schema.NullOr(Schema.String),
  action: Schema.String,
  entityType: Schema.String,
  entityId: Schema.String,
  before: Schema.Unknown,
  after: Schema.Unknown,
  hash: Schema.String,
}).annotate({ identifier: "AuditRecord" })
export const AuditPage = Schema.Struct({
  items: Schema.Array(AuditRecord),
  nextCursor: Schema.NullOr(Schema.String),
  total: Schema.Finite,
}).annotate({ identifier: "AuditPage" })
