// A cycle's stage rules: field checks, and why a move is refused (transitions, required fields, approver role).
import type { Contracts, Errors } from "@tenet/core"
import type { Cycle } from "./cycle"

const ROLE_RANK: Record<string, number> = {
  agent: 1,
  qa_analyst: 2,
  auditor: 0,
  supervisor: 3,
  admin: 4,
  owner: 5,
}
/** Check stage values against the stage's JSON Schema properties (types and enums). @category constructors @since 0.1.0 */
export const checkFields = (
  schema: Contracts.JsonSchema | undefined,
  values: Record<string, unknown>,
): Errors.FieldIssue[] => {
  const props = ((schema as { properties?: Record<string, { type?: string; enum?: unknown[] }> })
    ?.properties ?? {}) as Record<string, { type?: string; enum?: unknown[] }>
  const issues: Errors.FieldIssue[] = []
  for (const [k, v] of Object.entries(values)) {
    const p = Object.hasOwn(props, k) ? props[k] : undefined
    if (!p) {
      issues.push({ path: ["values", k], message: "is not a field of this stage", code: "notAStageField" })
      continue
    }
    if (v === null || v === "") continue
    if (p.type === "number" && typeof v !== "number")
      issues.push({ path: ["values", k], message: "must be a number", code: "number" })
    if (p.type === "string" && typeof v !== "string")
      issues.push({ path: ["values", k], message: "must be text", code: "text" })
    if (p.enum && !p.enum.includes(v))
      issues.push({
        path: ["values", k],
        message: `must be one of ${p.enum.join(", ")}`,
        code: "oneOf",
        params: { values: p.enum.join(", ") },
      })
  }
  return issues
}
/** Why moving to `to` is refused (text, code and values), or undefined. @category constructors @since 0.3.0 */
export const moveRefusal = (
  c: Cycle,
  to: string,
  role: string | undefined,
  note?: string,
): { message: string; code: string; params: Record<string, string> } | undefined => {
  // a stage by its names in both languages, as the admin labels workflow parts ("计划 · Plan")
  const stageTitle = (id: string) => {
    const name = c.workflow.stages.find((x) => x.id === id)?.name
    return name ? [...new Set([name["zh-CN"], name.en].filter(Boolean))].join(" · ") || id : id
  }
  if (c.status !== "active")
    return {
      message: `the cycle is ${c.status}${c.statusReason ? ` (${c.statusReason})` : ""}`,
      code: "cycleStatus",
      params: { status: c.status },
    }
  if (!c.workflow.transitions.some((t) => t.from === c.stage && t.to === to))
    return {
      message: `a ${c.workflowId} cycle cannot go from ${c.stage} to ${to}`,
      code: "stageMoveNotAllowed",
      params: { from: stageTitle(c.stage), to: stageTitle(to) },
    }
  const stage = c.workflow.stages.find((s) => s.id === c.stage)!
  const forward =
    c.workflow.stages.findIndex((s) => s.id === to) > c.workflow.stages.findIndex((s) => s.id === c.stage)
  if (forward) {
    const missing = (stage.guard?.required ?? []).filter((f) => {
      const v = c.fields[c.stage]?.[f]
      return v === undefined || v === null || v === ""
    })
    if (missing.length)
      return {
        message: `fill in ${missing.join(", ")} before leaving ${c.stage}`,
        code: "stageFieldsMissing",
        params: { fields: missing.join(", "), stage: stageTitle(c.stage) },
      }
    const need = stage.guard?.approverRole
    if (need && (ROLE_RANK[role ?? ""] ?? 0) < (ROLE_RANK[need] ?? 0))
      return {
        message: `leaving ${c.stage} needs approval by a ${need} or above`,
        code: "stageNeedsApproval",
        params: { stage: stageTitle(c.stage), role: need },
      }
  }
  // a cycle with a metric to re-measure closes on data after the change, or with a stated reason
  if (c.workflow.stages.find((s) => s.id === to)?.terminal && c.trigger?.metric && !note?.trim()) {
    const verdict = (c.check as { verdict?: unknown } | null)?.verdict
    if (!c.check || verdict === "no_data")
      return {
        message: c.check
          ? "the re-measurement found no data after the change: say why the cycle closes anyway (note)"
          : "the metric was not re-measured after the change: run Check, or say why the cycle closes anyway (note)",
        code: c.check ? "closeNoDataAfter" : "closeNotRemeasured",
        params: { stage: stageTitle(to) },
      }
  }
  return undefined
}

/** Why moving to `to` is refused (its text), or undefined. @category constructors @since 0.1.0 */
export const refuseMove = (
  c: Cycle,
  to: string,
  role: string | undefined,
  note?: string,
): string | undefined => moveRefusal(c, to, role, note)?.message
