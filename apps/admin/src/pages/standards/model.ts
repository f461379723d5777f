/** Standards as the admin app reads them, and the lifecycle's next steps and tones. */
interface VersionSummary {
  version: number
  label: string
  status: string
  requirements: number
  nextReviewAt: string | null
  history: Array<{ status: string; by: string; at: string; note?: string }>
  basedOn: number | null
  sourceCycleId: string | null
}
export interface StandardSummary {
  id: string
  key: string
  title: Record<string, string>
  provider: string | null
  licence: string | null
  versions: VersionSummary[]
}
export const NEXT: Record<string, string[]> = {
  draft: ["in_review", "retired"],
  in_review: ["approved", "draft"],
  approved: ["published", "draft"],
  published: ["retired"],
  superseded: ["retired"],
  retired: [],
}
export const TONE: Record<string, "ok" | "warn" | "accent" | undefined> = {
  published: "ok",
  draft: "accent",
  in_review: "warn",
  approved: "warn",
}
