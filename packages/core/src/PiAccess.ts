/**
 * The PI access log (`core.pi_access`): every reveal of a masked personal value, with who, when,
 * which fields and why; kept at least `MIN_RETENTION_DAYS` (6 months).
 * @since 0.6.0
 */
export { list, MIN_RETENTION_DAYS, type PiAccess, record } from "./crypto/access"
