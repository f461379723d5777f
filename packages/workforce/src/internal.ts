/** Thrown on invalid input; the message names the argument. */
export class WorkforceInputError extends RangeError {
  /** The discriminant every Tenet error carries (as Effect's `Data.TaggedError` does). */
  readonly _tag = "WorkforceInputError" as const
  override readonly name = "WorkforceInputError"
  constructor(
    /** The argument that was refused. */
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

export const fail = (field: string, message: string): never => {
  throw new WorkforceInputError(field, `${field} ${message}`)
}

export const checkPositive = (value: number, name: string) => {
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0))
    fail(name, `must be a number > 0, got ${value}`)
  return value
}
export const checkNonNegative = (value: number, name: string) => {
  if (!(typeof value === "number" && Number.isFinite(value) && value >= 0))
    fail(name, `must be a number ≥ 0, got ${value}`)
  return value
}
export const checkAgents = (value: number, name = "agents") => {
  if (!(Number.isInteger(value) && value >= 0)) fail(name, `must be a whole number ≥ 0, got ${value}`)
  return value
}
export const checkFraction = (value: number, name: string, { open = false } = {}) => {
  const ok = typeof value === "number" && (open ? value > 0 && value < 1 : value >= 0 && value < 1)
  if (!ok) fail(name, `must be between 0 and 1, got ${value}`)
  return value
}
export const checkProbability = (value: number, name: string) => {
  if (!(typeof value === "number" && value > 0 && value < 1))
    fail(name, `must be between 0 and 1 (exclusive), got ${value}`)
  return value
}
