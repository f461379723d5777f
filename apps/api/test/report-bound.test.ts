import { HandlerFailure } from "@tenet/plugin-sdk/host"
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

describe("a plugin's metric that fails or runs past its time limit", () => {
  it("is a 503 pluginFailed that names the plugin, not a 500", () => {
    const { problem } = toProblem(
      new HandlerFailure(
        "timeout",
        "metric faults.loop of plugin faults took longer than 300 ms; its worker was stopped",
      ),
      "req-2",
    )
    expect(problem).toMatchObject({ status: 503, code: "pluginFailed", params: { kind: "timeout" } })
    expect(problem.detail).toContain("plugin faults")
  })
})
