/**
 * Standards in the database: libraries imported from JSON or YAML (a newer version of an
 * imported library becomes a draft upgrade with its diff), drafts, the review lifecycle with
 * who and when, immutable published versions, due reviews, mappings between requirements, and
 * compliance evaluation against the metric registry with stored evaluations and breaches.
 *
 * One file per concept under `./standards/`; this module is their public face.
 *
 * @since 0.1.0
 */
export {
  answerBreach,
  breachEvidence,
  evaluate,
  getEvaluation,
  listBreaches,
  listEvaluations,
} from "./standards/compliance"
export { exportVersion, importLibrary, parseLibrary } from "./standards/library"
export { createMapping, listMappings, RELATIONS, requirementsOfStandard } from "./standards/mappings"
export type { Registry, TargetResult } from "./standards/types"
export {
  createDraft,
  diffVersions,
  dueReviews,
  getVersion,
  listStandards,
  publishedVersion,
  step,
  updateDraft,
  type VersionRecord,
} from "./standards/versions"
