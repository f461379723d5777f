/** Which issuers may be reached over plain http. */
const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"])

/**
 * Whether an issuer may be used: https always; http on loopback (a provider on this machine, as in
 * the tests); http elsewhere only when the operator says so with TENET_OIDC_ALLOW_HTTP=1.
 */
export const httpAllowed = (issuer: URL) =>
  issuer.protocol === "https:" || LOOPBACK.has(issuer.hostname) || process.env.TENET_OIDC_ALLOW_HTTP === "1"
