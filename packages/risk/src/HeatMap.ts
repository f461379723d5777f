/**
 * The heat map: the open risks of a matrix placed on its cells by their inherent and residual ratings.
 *
 * @since 0.2.0
 */
import { matrixOf } from "./Catalogue"
import * as Matrix from "./Matrix"
import { type Database, tables } from "./store"

/** The heat map of the open risks on a matrix (default: the organisation's). @category constructors @since 0.1.0 */
export const heatMap = async (db: Database, orgId: string, matrixId?: string) => {
  const m = await matrixOf(db, orgId, matrixId)
  const rows = await tables(db)
    .selectFrom("risk.risk")
    .select(["id", "inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"])
    .where("org_id", "=", orgId)
    .where("matrix_id", "=", m.id)
    .where("status", "<>", "closed")
    .execute()
  return {
    matrix: m,
    cells: Matrix.heatMap(
      m,
      rows.map((r) => ({
        id: r.id,
        inherent: { likelihood: r.inherent_likelihood, impact: r.inherent_impact },
        residual: { likelihood: r.residual_likelihood, impact: r.residual_impact },
      })),
    ),
  }
}
