/**
 * Eligibility: who may work what. A contract in core so that process can ask it without knowing
 * who answers: culture implements it (certifications per queue, channel and case type), the API
 * wires the implementation in (`provide`), process calls `check` when it assigns a case to a
 * person, by routing or by hand. The gate is off until an organisation turns it on
 * (`core.eligibility_setting`); on and with no provider, it refuses (it fails closed).
 *
 * @since 0.6.0
 */
import { sql } from "kysely"
import { change } from "./Change"
import { extensionPoint } from "./Contracts"
import type { Database, Executor } from "./Db"
import type { OrgContext, Role } from "./Tenancy"

/** The work a person would be given. @category models @since 0.6.0 */
export interface WorkItem {
  readonly caseId?: string | undefined
  /** The team (queue) the case is routed to. */
  readonly team: string | null
  readonly channel: string
  /** The case type. */
  readonly type: string
}

/** Why a person may not work an item. @category models @since 0.6.0 */
export interface Refusal {
  /** A stable code, e.g. `not_certified`, `certification_expired`, `certification_suspended`. */
  readonly code: string
  /** What is missing (e.g. the certification's id). */
  readonly requirement: string
  readonly message: string
}

/** @category models @since 0.6.0 */
export interface Decision {
  readonly eligible: boolean
  readonly refusals: ReadonlyArray<Refusal>
}

/** The implementation (culture's), asked inside the caller's transaction. @category models @since 0.6.0 */
export interface Provider {
  readonly id: string
  readonly check: (
    tx: Executor,
    orgId: string,
    personId: string,
    item: WorkItem,
    at: Date,
  ) => Promise<Decision>
}

/** The extension point a module implements eligibility through. @category models @since 0.6.0 */
export interface EligibilityExtensionPoint {
  readonly provide: (provider: Provider) => void
}
/** @category constructors @since 0.6.0 */
export const eligibilityExtensionPoint = extensionPoint<EligibilityExtensionPoint>({ id: "core.eligibility" })

let current: Provider | undefined

/** Install the implementation (the API does, at start). `undefined` removes it. @category constructors @since 0.6.0 */
export const provide = (provider: Provider | undefined): void => {
  current = provider
}

/** The installed implementation's id. @category getters @since 0.6.0 */
export const providerId = (): string | undefined => current?.id

const ALLOWED: Decision = { eligible: true, refusals: [] }

/** Whether the organisation's gate is on. @category getters @since 0.6.0 */
export const gateEnabled = async (ex: Executor, orgId: string): Promise<boolean> =>
  (
    await sql<{
      gate_enabled: boolean
    }>`select gate_enabled from core.eligibility_setting where org_id = ${orgId}`.execute(ex)
  ).rows[0]?.gate_enabled ?? false

/** Turn the organisation's gate on or off (audited). @category constructors @since 0.6.0 */
export const setGate = async (db: Database, ctx: OrgContext, enabled: boolean): Promise<void> =>
  change(db, ctx, async ({ tx, audit }) => {
    const before = await gateEnabled(tx, ctx.orgId)
    await tx
      .insertInto("core.eligibility_setting")
      .values({ org_id: ctx.orgId, gate_enabled: enabled })
      .onConflict((oc) => oc.column("org_id").doUpdateSet({ gate_enabled: enabled, updated_at: new Date() }))
      .execute()
    await audit({
      action: "eligibility.gate_set",
      entityType: "organization",
      entityId: ctx.orgId,
      before: { gateEnabled: before },
      after: { gateEnabled: enabled },
    })
  })

/**
 * Whether `personId` may work `item` (inside the caller's transaction). With the gate off every
 * person may; with it on and no provider installed, nobody may.
 * @category getters
 * @since 0.6.0
 */
export const check = async (
  tx: Executor,
  orgId: string,
  personId: string,
  item: WorkItem,
  at: Date = new Date(),
): Promise<Decision> => {
  if (!(await gateEnabled(tx, orgId))) return ALLOWED
  if (!current)
    return {
      eligible: false,
      refusals: [
        {
          code: "eligibilityUnavailable",
          requirement: "provider",
          message: "the gate is on and nothing answers it",
        },
      ],
    }
  return current.check(tx, orgId, personId, item, at)
}

/** The roles that may override a refusal (with a reason, audited). @category models @since 0.6.0 */
export const OVERRIDE_ROLES: ReadonlyArray<Role> = ["owner", "admin", "supervisor"]
