/**
 * Tenancy. Every query runs for one organisation: module functions take an `OrgContext`
 * and filter every statement by its `orgId`, and every table keys on `org_id` first.
 *
 * @since 0.1.0
 */

/** Who is acting. @category models @since 0.1.0 */
export interface Actor {
  readonly type: "user" | "api_key" | "system" | "plugin"
  readonly id: string
  /** The role in force for this organisation (absent for system actors). */
  readonly role?: Role
}

/** The organisation a request runs for, and who is acting. @category models @since 0.1.0 */
export interface OrgContext {
  readonly orgId: string
  readonly actor: Actor
  readonly requestId?: string
}

/** @category models @since 0.1.0 */
export const ROLES = ["owner", "admin", "supervisor", "qa_analyst", "agent", "auditor"] as const
/** @category models @since 0.1.0 */
export type Role = (typeof ROLES)[number]

/** The modules permissions are checked for. @category models @since 0.1.0 */
export const MODULES = [
  "org",
  "members",
  "apikeys",
  "audit",
  "cases",
  "standards",
  "quality",
  "feedback",
  "risk",
  "culture",
  "improvements",
  "plugins",
  "settings",
  "webhooks",
  "privacy",
  "workforce",
  /**
   * Personal information (since 0.6.0): `pi:read` sees names, phone numbers, e-mail addresses and
   * external ids in clear (without it they are masked: 138****1234, 张*); `pi:write` may reveal one
   * record's values, each reveal written to the PI access log (read with `audit:read`); `pi:manage` is
   * reserved (the data lifecycle lives under `privacy`).
   */
  "pi",
] as const
/** @category models @since 0.1.0 */
export type Module = (typeof MODULES)[number]
/** @category models @since 0.1.0 */
export type Action = "read" | "write" | "manage"
/** A permission such as `members:manage`. @category models @since 0.1.0 */
export type Permission = `${Module}:${Action}`

const all = (actions: ReadonlyArray<Action>, modules: ReadonlyArray<Module> = MODULES): Permission[] =>
  modules.flatMap((m) => actions.map((a) => `${m}:${a}` as Permission))

/**
 * What each role may do. `read` sees, `write` creates and changes records of the module,
 * `manage` configures the module (policies, members, keys).
 * @category models
 * @since 0.1.0
 */
export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set(all(["read", "write", "manage"])),
  admin: new Set(all(["read", "write", "manage"]).filter((p) => p !== "org:manage")),
  supervisor: new Set([
    ...all(["read"]).filter(
      (p) => p !== "audit:read" && p !== "apikeys:read" && p !== "webhooks:read" && p !== "privacy:read",
    ),
    ...all(
      ["write"],
      ["cases", "quality", "feedback", "risk", "culture", "improvements", "standards", "workforce", "pi"],
    ),
  ]),
  qa_analyst: new Set([
    ...all(
      ["read"],
      ["org", "members", "cases", "standards", "quality", "feedback", "culture", "improvements"],
    ),
    ...all(["write"], ["quality", "improvements"]),
  ]),
  agent: new Set([
    ...all(["read"], ["org", "cases", "standards", "quality", "feedback", "culture"]),
    // personal fields masked; a reveal (audited) when the work needs the full value
    ...all(["write"], ["cases", "feedback", "pi"]),
  ]),
  // reads everything but personal fields (masked)
  auditor: new Set(all(["read"]).filter((p) => p !== "pi:read")),
}

/** @category guards @since 0.1.0 */
export const can = (role: Role | undefined, permission: Permission): boolean =>
  role !== undefined && PERMISSIONS[role].has(permission)

/** @category guards @since 0.1.0 */
export const isRole = (u: unknown): u is Role =>
  typeof u === "string" && (ROLES as readonly string[]).includes(u)

/** A system context for an organisation (jobs, migrations, seeds). @category constructors @since 0.1.0 */
export const system = (orgId: string, id = "tenet"): OrgContext => ({ orgId, actor: { type: "system", id } })
