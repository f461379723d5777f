/**
 * Why a single sign-on did not end in a session. The callback sends the browser back to the
 * sign-in page with the code (`?ssoError=`), which the admin translates (`apiErrors.<code>`).
 */
export type SsoRefusal =
  | "ssoNotConfigured"
  | "ssoStateInvalid"
  | "ssoProviderError"
  | "ssoEmailMissing"
  | "ssoEmailUnverified"
  | "ssoDomainNotAllowed"

export class SsoRefused extends Error {
  constructor(
    readonly code: SsoRefusal,
    detail: string,
  ) {
    super(detail)
  }
}
