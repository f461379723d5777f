/** Scorecards as the admin app reads them, answer ranges and agreement bands. */
type L10n = Record<string, string>
interface Criterion {
  id: string
  name: L10n
  weight: number
  scale: "binary" | "3" | "4" | "5"
  critical?: string
  naAllowed?: boolean
}
export interface Scorecard {
  id: string
  version: number
  name: string
  definition: { passMark: number; sections: Array<{ id: string; name: L10n; criteria: Criterion[] }> }
}
export const RANGE = { binary: [0, 1], "3": [1, 3], "4": [1, 4], "5": [1, 5] } as const
export const band = (k: number) =>
  k < 0
    ? "poor"
    : k <= 0.2
      ? "slight"
      : k <= 0.4
        ? "fair"
        : k <= 0.6
          ? "moderate"
          : k <= 0.8
            ? "substantial"
            : "almost_perfect"
