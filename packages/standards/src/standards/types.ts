/**
 * What the standards files share: the metric registry they judge with, the typed database they
 * read and write, and the evidence of one target.
 *
 * @since 0.5.0
 */
import { Change, type Contracts, type Db, type Tenancy } from "@tenet/core"
import type { StandardsTables } from "../migrations/schema"
import type { TargetStatus } from "../Standard"

export type Database = Db.Database
export type Ctx = Tenancy.OrgContext

/** What the standards module needs from the metric registry. @category models @since 0.1.0 */
export interface Registry {
  readonly get: (id: string) => Contracts.MetricDefinition | undefined
  readonly list: () => ReadonlyArray<Contracts.MetricDefinition>
}

/** The database typed with the standards module's tables (and core's). */
export const tables = (db: Database) => db.as<StandardsTables>()
/** @category models @since 0.5.0 */
export type StandardsDb = ReturnType<typeof tables>

/** `Change.change` with the transaction typed by the standards tables (and core's). */
export const change: Change.TypedChange<StandardsTables> = Change.typed<StandardsTables>()

/** One target's evidence. @category models @since 0.1.0 */
export interface TargetResult {
  readonly clause: string
  readonly requirementId: string
  readonly requirementTitle: unknown
  readonly targetId: string
  readonly metric: string
  readonly operator: string
  readonly target: number
  readonly warningBand: number
  readonly filter: Readonly<Record<string, string>>
  readonly value: number | null
  readonly numerator?: number | undefined
  readonly denominator?: number | undefined
  readonly n: number
  readonly interval?: { lower: number; upper: number; confidence: number } | undefined
  readonly status: TargetStatus
  readonly breachId?: string
  /** A breach's cases counted against the target (their ids are stored with the breach). */
  readonly cases?: number
}
