/**
 * A survey as data: its kind (CSAT 1–5, NPS 0–10, CES 1–7 or custom), its questions (rating,
 * single or multiple choice, free text) with texts in zh-CN and en, the dimension each question
 * measures, and the "why?" follow-up asked on a low score. Pure: validation, the primary score of
 * a set of answers and its sentiment (satisfied / neutral / dissatisfied).
 *
 * @since 0.1.0
 */
import { type Contracts, Errors } from "@tenet/core"

type Localized = Contracts.Localized

/** @category models @since 0.1.0 */
export const KINDS = ["csat", "nps", "ces", "custom"] as const
/** @category models @since 0.1.0 */
export type Kind = (typeof KINDS)[number]

/** The dimensions of service quality a question may measure (seeds 000 §5.1, 002 §5.1). @category models @since 0.1.0 */
export const DIMENSIONS = [
  "response_speed",
  "attitude",
  "problem_solving",
  "accuracy",
  "professionalism",
] as const
/** @category models @since 0.1.0 */
export type Dimension = (typeof DIMENSIONS)[number]

/** @category models @since 0.1.0 */
export const QUESTION_TYPES = ["rating", "single", "multiple", "text"] as const
/** @category models @since 0.1.0 */
export type QuestionType = (typeof QUESTION_TYPES)[number]

/** The scale of each standard kind. @category models @since 0.1.0 */
export const SCALES: Readonly<Record<Exclude<Kind, "custom">, { min: number; max: number }>> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
  ces: { min: 1, max: 7 },
}

/** @category models @since 0.1.0 */
export interface Question {
  readonly id: string
  readonly type: QuestionType
  readonly text: Localized
  readonly required?: boolean | undefined
  /** Rating questions: the scale and its end labels. */
  readonly scale?:
    | { readonly min: number; readonly max: number; readonly low?: Localized; readonly high?: Localized }
    | undefined
  /** Choice questions. */
  readonly options?: ReadonlyArray<{ readonly id: string; readonly text: Localized }> | undefined
  readonly dimension?: Dimension | undefined
  /** Ask "why?" when the rating is at most `atOrBelow`. */
  readonly followUp?: { readonly atOrBelow: number; readonly text: Localized } | undefined
}

/** A survey version's content. The first rating question of a CSAT/NPS/CES survey is its score. @category models @since 0.1.0 */
export interface Definition {
  readonly kind: Kind
  readonly title: Localized
  readonly intro?: Localized | undefined
  readonly thanks?: Localized | undefined
  readonly questions: ReadonlyArray<Question>
}

/** A respondent's answers: a number (rating), an option id, option ids, or text; `why` per question. @category models @since 0.1.0 */
export interface Answers {
  readonly values: Readonly<Record<string, number | string | ReadonlyArray<string>>>
  readonly why?: Readonly<Record<string, string>> | undefined
}

/** @category models @since 0.1.0 */
export type Sentiment = "positive" | "neutral" | "negative"

const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/
const MAX_TEXT = 2000

const issue = (path: ReadonlyArray<string | number>, message: string, code: string): Errors.FieldIssue => ({
  path,
  message,
  code,
})

const localizedIssues = (
  v: Localized | undefined,
  path: ReadonlyArray<string | number>,
  required: boolean,
) => {
  if (!v) return required ? [issue(path, "must have a text in zh-CN and en", "required")] : []
  return (["zh-CN", "en"] as const)
    .filter((l) => typeof v[l] !== "string" || v[l].trim() === "" || v[l].length > 500)
    .map((l) => issue([...path, l], "must be a text of 1 to 500 characters", "required"))
}

/**
 * The problems of a definition (empty when it is valid): ids, texts in both languages, scales,
 * options, and for CSAT/NPS/CES a first rating question on the kind's scale.
 * @category guards
 * @since 0.1.0
 */
export const check = (d: Definition): Errors.FieldIssue[] => {
  const out: Errors.FieldIssue[] = [...localizedIssues(d.title, ["title"], true)]
  out.push(...localizedIssues(d.intro, ["intro"], false), ...localizedIssues(d.thanks, ["thanks"], false))
  if (d.questions.length === 0)
    out.push(issue(["questions"], "a survey needs at least one question", "required"))
  if (d.questions.length > 30) out.push(issue(["questions"], "at most 30 questions", "tooMany"))
  const seen = new Set<string>()
  d.questions.forEach((q, i) => {
    const p = ["questions", i]
    if (!ID.test(q.id))
      out.push(issue([...p, "id"], "must be 1–40 lowercase letters, digits, _ or -", "invalidId"))
    if (seen.has(q.id)) out.push(issue([...p, "id"], "is used by another question", "duplicate"))
    seen.add(q.id)
    out.push(...localizedIssues(q.text, [...p, "text"], true))
    if (q.type === "rating") {
      const s = q.scale
      if (
        !s ||
        !Number.isInteger(s.min) ||
        !Number.isInteger(s.max) ||
        s.min < 0 ||
        s.max > 10 ||
        s.max - s.min < 1
      )
        out.push(issue([...p, "scale"], "a rating needs an integer scale within 0–10", "invalidScale"))
      if (q.followUp) {
        out.push(...localizedIssues(q.followUp.text, [...p, "followUp", "text"], true))
        if (s && (q.followUp.atOrBelow < s.min || q.followUp.atOrBelow >= s.max))
          out.push(
            issue([...p, "followUp", "atOrBelow"], "must lie on the scale, below its top", "invalidScale"),
          )
      }
    } else if (q.followUp) out.push(issue([...p, "followUp"], "only rating questions ask why", "invalid"))
    if (q.type === "single" || q.type === "multiple") {
      const opts = q.options ?? []
      if (opts.length < 2 || opts.length > 20)
        out.push(issue([...p, "options"], "a choice needs 2 to 20 options", "invalidOptions"))
      const ids = new Set<string>()
      opts.forEach((o, j) => {
        if (!ID.test(o.id) || ids.has(o.id))
          out.push(issue([...p, "options", j, "id"], "must be a unique id", "invalidId"))
        ids.add(o.id)
        out.push(...localizedIssues(o.text, [...p, "options", j, "text"], true))
      })
    } else if (q.options?.length)
      out.push(issue([...p, "options"], "only choice questions have options", "invalid"))
    if (q.dimension && q.type !== "rating")
      out.push(issue([...p, "dimension"], "only rating questions measure a dimension", "invalid"))
  })
  if (d.kind !== "custom") {
    const first = d.questions[0]
    const scale = SCALES[d.kind]
    if (first?.type !== "rating" || first.scale?.min !== scale.min || first.scale?.max !== scale.max)
      out.push(
        issue(
          ["questions", 0],
          `a ${d.kind.toUpperCase()} survey starts with a ${scale.min}–${scale.max} rating`,
          "invalidScale",
        ),
      )
  }
  return out
}

/** Throw a ValidationError when the definition is invalid. @category guards @since 0.1.0 */
export const assertValid = (d: Definition, prefix: ReadonlyArray<string> = ["definition"]): void => {
  const issues = check(d)
  if (issues.length)
    throw new Errors.ValidationError({
      message: "invalid survey",
      issues: issues.map((i) => ({ ...i, path: [...prefix, ...i.path] })),
    })
}

/**
 * Check a respondent's answers against the version they answer: required questions, values on the
 * scale, known options, text lengths. Returns the problems (paths under `answers`).
 * @category guards
 * @since 0.1.0
 */
export const checkAnswers = (d: Definition, a: Answers): Errors.FieldIssue[] => {
  const out: Errors.FieldIssue[] = []
  const known = new Set(d.questions.map((q) => q.id))
  for (const k of Object.keys(a.values))
    if (!known.has(k)) out.push(issue(["values", k], "is not a question of this survey", "unknown"))
  for (const q of d.questions) {
    const v = a.values[q.id]
    const p = ["values", q.id]
    if (
      v === undefined ||
      (typeof v === "string" && v.trim() === "") ||
      (Array.isArray(v) && v.length === 0)
    ) {
      if (q.required !== false && q.type !== "text") out.push(issue(p, "is required", "required"))
      continue
    }
    if (q.type === "rating") {
      if (typeof v !== "number" || !Number.isInteger(v) || v < q.scale!.min || v > q.scale!.max)
        out.push(issue(p, `must be a whole number from ${q.scale!.min} to ${q.scale!.max}`, "outOfRange"))
    } else if (q.type === "single") {
      if (typeof v !== "string" || !q.options!.some((o) => o.id === v))
        out.push(issue(p, "is not an option", "unknown"))
    } else if (q.type === "multiple") {
      if (
        !Array.isArray(v) ||
        v.some((x) => !q.options!.some((o) => o.id === x)) ||
        new Set(v).size !== v.length
      )
        out.push(issue(p, "must be distinct options", "unknown"))
    } else if (typeof v !== "string" || v.length > MAX_TEXT)
      out.push(issue(p, `must be a text of at most ${MAX_TEXT} characters`, "tooLong"))
  }
  for (const [k, why] of Object.entries(a.why ?? {})) {
    if (!known.has(k)) out.push(issue(["why", k], "is not a question of this survey", "unknown"))
    else if (typeof why !== "string" || why.length > MAX_TEXT)
      out.push(issue(["why", k], `must be a text of at most ${MAX_TEXT} characters`, "tooLong"))
  }
  return out
}

/** The primary score: the first rating of a CSAT/NPS/CES survey (null for custom surveys). @category constructors @since 0.1.0 */
export const primaryScore = (d: Definition, a: Answers): number | null => {
  if (d.kind === "custom") return null
  const v = a.values[d.questions[0]!.id]
  return typeof v === "number" ? v : null
}

/**
 * Sentiment of a score: CSAT 4–5 satisfied, 1–2 dissatisfied; NPS 9–10 promoter, 0–6 detractor;
 * CES 5–7 easy, 1–3 hard. Custom surveys: the mean of their ratings rescaled to 0–1 (≥ 0.75
 * positive, ≤ 0.4 negative).
 * @category constructors
 * @since 0.1.0
 */
export const sentiment = (d: Definition, a: Answers): Sentiment => {
  const s = primaryScore(d, a)
  if (d.kind === "csat" && s !== null) return s >= 4 ? "positive" : s <= 2 ? "negative" : "neutral"
  if (d.kind === "nps" && s !== null) return s >= 9 ? "positive" : s <= 6 ? "negative" : "neutral"
  if (d.kind === "ces" && s !== null) return s >= 5 ? "positive" : s <= 3 ? "negative" : "neutral"
  const rated = d.questions.filter((q) => q.type === "rating" && typeof a.values[q.id] === "number")
  if (rated.length === 0) return "neutral"
  const share =
    rated.reduce(
      (sum, q) => sum + ((a.values[q.id] as number) - q.scale!.min) / (q.scale!.max - q.scale!.min),
      0,
    ) / rated.length
  return share >= 0.75 ? "positive" : share <= 0.4 ? "negative" : "neutral"
}

/** The ratings of questions tagged with a dimension, by dimension (the mean when several). @category constructors @since 0.1.0 */
export const dimensionScores = (d: Definition, a: Answers): Partial<Record<Dimension, number>> => {
  const acc = new Map<Dimension, number[]>()
  for (const q of d.questions) {
    const v = a.values[q.id]
    if (q.dimension && typeof v === "number") acc.set(q.dimension, [...(acc.get(q.dimension) ?? []), v])
  }
  return Object.fromEntries([...acc].map(([k, vs]) => [k, vs.reduce((x, y) => x + y, 0) / vs.length]))
}

/** The free texts of a response joined (texts and the "why?" answers), for the case timeline. @category constructors @since 0.1.0 */
export const comment = (d: Definition, a: Answers): string | null => {
  const parts = [
    ...Object.values(a.why ?? {}),
    ...d.questions.filter((q) => q.type === "text").map((q) => a.values[q.id]),
  ].filter((t): t is string => typeof t === "string" && t.trim() !== "")
  return parts.length ? parts.join("\n") : null
}

/** A ready CSAT survey (with dimensions and the why follow-up), the builder's starting point. @category constructors @since 0.1.0 */
export const csatTemplate = (): Definition => ({
  kind: "csat",
  title: { "zh-CN": "服务满意度调查", en: "How did we do?" },
  intro: {
    "zh-CN": "感谢您联系我们。请花一分钟告诉我们这次服务的体验。",
    en: "Thank you for contacting us. Please take a minute to tell us how it went.",
  },
  thanks: { "zh-CN": "感谢您的反馈！", en: "Thank you for your feedback!" },
  questions: [
    {
      id: "overall",
      type: "rating",
      text: {
        "zh-CN": "您对本次服务的总体满意度如何？",
        en: "Overall, how satisfied are you with our service?",
      },
      scale: {
        min: 1,
        max: 5,
        low: { "zh-CN": "非常不满意", en: "Very dissatisfied" },
        high: { "zh-CN": "非常满意", en: "Very satisfied" },
      },
      followUp: {
        atOrBelow: 2,
        text: { "zh-CN": "很抱歉。请告诉我们哪里做得不好？", en: "We are sorry. What went wrong?" },
      },
    },
    ...(
      [
        ["speed", "response_speed", "响应速度", "Speed of response"],
        ["attitude", "attitude", "服务态度", "Friendliness of our staff"],
        ["solving", "problem_solving", "问题解决能力", "How well your problem was solved"],
      ] as const
    ).map(([id, dimension, zh, en]) => ({
      id,
      type: "rating" as const,
      required: false,
      text: { "zh-CN": `${zh}`, en },
      scale: { min: 1, max: 5 },
      dimension,
    })),
    {
      id: "comment",
      type: "text",
      required: false,
      text: { "zh-CN": "还有什么想告诉我们的吗？", en: "Anything else you would like to tell us?" },
    },
  ],
})
