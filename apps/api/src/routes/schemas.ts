import { Tenancy } from "@tenet/core"
import { Schema } from "effect"

export const Email = Schema.String.check(
  Schema.isMaxLength(254, { message: "must be at most 254 characters" }),
  Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: "must be an email address", code: "email" }),
).annotate({ description: "An email address", examples: ["owner@demo.tenet.local"] })
/** Strings that land in indexed columns (names, ids from other systems, teams, tags, slugs): at most this long. */
export const SHORT_TEXT = 200
const atMost = (n: number) => Schema.isMaxLength(n, { message: `must be at most ${n} characters` })
/** A short string (a name, a team, a tag, an external id): at most 200 characters. */
export const ShortText = Schema.String.check(atMost(SHORT_TEXT))
/** A non-empty string of any length the input policy allows (content, descriptions). */
export const NonEmpty = Schema.String.check(Schema.isMinLength(1, { message: "must not be empty" }))
/** A non-empty short string: a name, a title, a type. */
export const NonEmptyShort = NonEmpty.check(atMost(SHORT_TEXT))

/**
 * An ISO 8601 date-time in a sane range (years 1900–9999): the one DateTime every route uses, so
 * no extreme date (e.g. +275760-09-13) reaches the calendar or the database.
 */
export const DateTime = Schema.String.check(
  Schema.makeFilter((s: string) => {
    const t = Date.parse(s)
    if (Number.isNaN(t)) return "must be an ISO 8601 date-time"
    const year = new Date(t).getUTCFullYear()
    return (year >= 1900 && year <= 9999) || "must be a date-time between the years 1900 and 9999"
  }),
).annotate({ description: "ISO 8601 date-time (years 1900–9999)", examples: ["2025-01-24T17:00:00+08:00"] })

const ZONES = new Set<string>([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"])
/** Whether a name is an IANA time zone this runtime knows (offsets such as "+08:00" are not zones). */
export const isTimeZone = (tz: string) => {
  if (ZONES.has(tz)) return true
  if (tz.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false
  try {
    // aliases (Asia/Calcutta, US/Eastern…) are zones too
    new Intl.DateTimeFormat("en-US", { timeZone: tz })
    return true
  } catch {
    return false
  }
}
export const Password = Schema.String.check(
  Schema.isMinLength(8, { message: "must be at least 8 characters" }),
  Schema.isMaxLength(1024, { message: "must be at most 1024 characters" }),
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
export const TimeZone = Schema.String.check(
  Schema.makeFilter((tz: string) => isTimeZone(tz) || `unknown time zone: ${tz}`),
).annotate({ description: "An IANA time zone, e.g. Asia/Shanghai" })

export const SignIn = Schema.Struct({ email: Email, password: Schema.String.check(atMost(1024)) }).annotate({
  identifier: "SignIn",
})
export const UpdateMe = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
  locale: Schema.optionalKey(Locale),
}).annotate({
  identifier: "UpdateMe",
})
export const ChangePassword = Schema.Struct({
  currentPassword: Schema.String,
  newPassword: Schema.String,
}).annotate({ identifier: "ChangePassword" })
export const AcceptInvitation = Schema.Struct({
  token: NonEmptyShort,
  name: Schema.optionalKey(NonEmptyShort),
  password: Schema.optionalKey(Password),
}).annotate({ identifier: "AcceptInvitation" })

export const Organization = Schema.Struct({
  id: Schema.String,
  slug: Schema.String,
  name: Schema.String,
  timeZone: Schema.String,
  locale: Locale,
  createdAt: Schema.String,
}).annotate({ identifier: "Organization" })
export const CreateOrganization = Schema.Struct({
  name: NonEmptyShort,
  slug: Slug,
  timeZone: Schema.optionalKey(TimeZone),
}).annotate({
  identifier: "CreateOrganization",
})
export const UpdateOrganization = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
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

export const CreateApiKey = Schema.Struct({ name: NonEmptyShort, role: Role }).annotate({
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
  action: Schema.optionalKey(ShortText),
  entityType: Schema.optionalKey(ShortText),
  entityId: Schema.optionalKey(ShortText),
  actorId: Schema.optionalKey(ShortText),
  q: Schema.optionalKey(ShortText),
  from: Schema.optionalKey(DateTime),
  to: Schema.optionalKey(DateTime),
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

// The answers the admin app (through @tenet/client) reads: documented so the generated types are the truth.
export const Membership = Schema.Struct({
  orgId: Schema.String,
  slug: Schema.String,
  name: Schema.String,
  role: Role,
  timeZone: Schema.String,
  locale: Locale,
}).annotate({ identifier: "Membership" })
export const Me = Schema.Struct({
  user: Schema.Struct({
    id: Schema.String,
    email: Schema.String,
    name: Schema.String,
    locale: Schema.NullOr(Schema.String),
  }),
  memberships: Schema.Array(Membership),
  currentOrgId: Schema.NullOr(Schema.String),
}).annotate({ identifier: "Me", description: "A signed-in person: who, their organisations and roles" })
export const ApiKeyMe = Schema.Struct({
  apiKey: Schema.Struct({ id: Schema.String, role: Role }),
  organization: Organization,
}).annotate({ identifier: "ApiKeyMe", description: "An API key: its role and organisation" })
export const MeAnswer = Schema.Union([Me, ApiKeyMe])
export const InvitationList = Schema.Struct({ items: Schema.Array(Invitation) })
export const CreatedInvitation = Schema.Struct({
  invitation: Invitation,
  token: Schema.String,
  url: Schema.String.annotate({ description: "The invitation link. Shown once." }),
})
export const ApiKeyList = Schema.Struct({ items: Schema.Array(ApiKey) })
export const RolesMeta = Schema.Struct({
  modules: Schema.Array(Schema.String),
  roles: Schema.Array(Schema.Struct({ role: Role, permissions: Schema.Array(Schema.String) })),
}).annotate({ identifier: "RolesMeta" })
