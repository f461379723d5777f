/**
 * Identity and access: users (global identities), memberships with a role per organisation,
 * invitations, cookie sessions and API keys. Passwords are hashed with argon2id; session and
 * API-key secrets are stored only as HMAC-SHA-256 digests keyed by the instance secret.
 *
 * One file per concept beside this one; this module is their public face. The tables are
 * declared in `schema.ts` (`IamTables`).
 */
export {
  API_KEY_CACHE_MS,
  type ApiKey,
  authenticateApiKey,
  createApiKey,
  forgetVerifiedKeys,
  listApiKeys,
  revokeApiKey,
} from "./apikeys"
export { acceptInvitation, type Invitation, invite, listInvitations, revokeInvitation } from "./invitations"
export {
  addMember,
  changeRole,
  isMember,
  listMembers,
  type Member,
  type Membership,
  membershipsOf,
  removeMember,
  requireMember,
  roleOf,
} from "./members"
export type { IamTables } from "./schema"
export { instanceSecret } from "./secrets"
export {
  changePassword,
  SESSION_DAYS,
  sessionOf,
  signIn,
  signOut,
  signOutOthers,
  THROTTLE,
  userFromSession,
} from "./sessions"
export { checkPassword, createUser, findUserByEmail, getUser, type User, updateUser } from "./users"
