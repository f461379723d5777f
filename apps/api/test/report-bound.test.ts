import { describe, expect, it } from "vitest"
import { toProblem } from "../src/http/problem"

describe("a report cancelled by its statement bound", () => {
  it("is a 503 with the code reportTimeout, not a 500", () => {
    const cancelled = Object.assign(new Error("canceling statement due to statement timeout"), {
      code: "57014",
    })
    const { problem } = toProblem(cancelled, "req-1")
    expect(problem.status).toBe(503)
    expect(problem.code).toBe("reportTimeout")
    expect(problem.detail).not.toContain("canceling statement")
  })
})
