/**
 * The workflow engine and improvement cycles. A cycle is an instance of a workflow (PDCA, 8D,
 * DMAIC… contributed by plugins), linked to what triggered it: a compliance breach, a
 * control-chart signal, a complaint, a QA critical error, a risk, or a person's idea. The
 * workflow definition is copied onto the cycle when it opens, so later plugin changes never
 * alter a running cycle. Stages carry fields (JSON Schema), guards (required fields, approver
 * role), due dates; on hold and cancelled need a reason.
 *
 * @since 0.1.0
 */

export { move, openCycle, record, saveFields, setStatus } from "./improvement/changes"
export { type Cycle, getCycle, listCycles, type Measurement, type Trigger } from "./improvement/cycle"
export { checkFields, moveRefusal, refuseMove } from "./improvement/rules"
export { type LibraryWorkflow, listWorkflows, saveWorkflow } from "./improvement/workflows"
