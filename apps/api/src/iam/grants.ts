/** Who may grant which role: the owner rule and the order of roles by their permissions. */
import { Errors, Tenancy } from "@tenet/core"

type OrgContext = Tenancy.OrgContext
type Role = Tenancy.Role

/** Only an owner grants or takes away the owner role. */
export const assertMayGrant = (ctx: OrgContext, role: Role) => {
  if (role === "owner" && ctx.actor.role !== "owner" && ctx.actor.type !== "system")
    throw new Errors.ForbiddenError({
      message: "only an owner can make someone an owner",
      permission: "org:manage",
    })
}

/**
 * The lower of two roles: the one whose permissions are a subset of the other's. Roles that
 * do not compare (an agent's key made by someone now only an auditor) give undefined: the key
 * stops rather than guess.
 */
export const lowerRole = (a: Role | undefined, b: Role): Role | undefined => {
  if (!a) return undefined
  const pa = Tenancy.PERMISSIONS[a]
  const pb = Tenancy.PERMISSIONS[b]
  if ([...pa].every((p) => pb.has(p))) return a
  if ([...pb].every((p) => pa.has(p))) return b
  return undefined
}
