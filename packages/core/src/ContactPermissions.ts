/**
 * Contact permissions (PR-02): whether a customer may be contacted for a purpose — service
 * contact, surveys, marketing. A contract in core so that the modules that reach out (feedback's
 * survey dispatch, outbound messages) ask it without knowing who answers: risk's consent ledger
 * implements it, the API wires it in (`provide`). Without a provider, service contact and surveys
 * are allowed (contract necessity; surveys keep their own opt-out) and marketing is refused (it
 * needs consent).
 *
 * @since 0.7.0
 */
import type { Executor } from "./Db"
import { ConflictError } from "./Errors"

/** @category models @since 0.7.0 */
export const PURPOSES = ["service", "survey", "marketing"] as const
/** @category models @since 0.7.0 */
export type Purpose = (typeof PURPOSES)[number]

/** @category models @since 0.7.0 */
export interface Decision {
  readonly allowed: boolean
  /** `withdrawn`: the customer said no; `restricted`: processing is restricted to storage; `no_consent`: consent is needed and absent. */
  readonly reason?: "withdrawn" | "restricted" | "no_consent"
}

/** The implementation, asked inside the caller's transaction. @category models @since 0.7.0 */
export interface Provider {
  readonly id: string
  readonly check: (tx: Executor, orgId: string, customerId: string, purpose: Purpose) => Promise<Decision>
}

let current: Provider | undefined

/** Install the implementation (the API does, at start); `undefined` removes it. @category constructors @since 0.7.0 */
export const provide = (provider: Provider | undefined): void => {
  current = provider
}

/** The installed implementation's id. @category getters @since 0.7.0 */
export const providerId = (): string | undefined => current?.id

/**
 * May this customer be contacted for this purpose?
 * @category getters
 * @since 0.7.0
 */
export const check = async (
  tx: Executor,
  orgId: string,
  customerId: string,
  purpose: Purpose,
): Promise<Decision> =>
  current
    ? current.check(tx, orgId, customerId, purpose)
    : purpose === "marketing"
      ? { allowed: false, reason: "no_consent" }
      : { allowed: true }

/**
 * Refuse an outbound contact the customer's preferences do not allow: a `ConflictError` (409) with
 * code `contactRefused` naming the purpose and the reason, for `field`. For the modules that reach a
 * customer (outbound replies, call-backs, return visits).
 * @category constructors
 * @since 0.8.0
 */
export const assertAllowed = async (
  tx: Executor,
  orgId: string,
  customerId: string,
  purpose: Purpose,
  field: string,
): Promise<void> => {
  const d = await check(tx, orgId, customerId, purpose)
  if (d.allowed) return
  throw new ConflictError({
    message: `the customer may not be contacted for ${purpose} (${d.reason ?? "refused"})`,
    field,
    code: "contactRefused",
    params: { purpose, reason: d.reason ?? "refused" },
  })
}
