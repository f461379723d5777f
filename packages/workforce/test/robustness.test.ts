// Extreme settings: every function either refuses the input with a WorkforceInputError naming the
// argument (the API turns it into a 400) or answers with numbers — never NaN, never a hang.
import { describe, expect, it } from "vitest"
import {
  agentsForChat,
  agentsForErlangA,
  agentsForServiceLevel,
  deferredWorkload,
  erlangA,
  erlangCPerformance,
  forecastVolume,
  WorkforceInputError,
  withShrinkage,
} from "../src"

/** Every number in a result is a number (not NaN); infinities only where named. */
const numbers = (r: object, infinite: ReadonlyArray<string> = []) => {
  for (const [k, v] of Object.entries(r)) {
    if (typeof v !== "number") continue
    expect(Number.isNaN(v), `${k} is NaN`).toBe(false)
    if (!infinite.includes(k)) expect(Number.isFinite(v), `${k} = ${v}`).toBe(true)
  }
}
const refuses = (f: () => unknown, field: string) => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(WorkforceInputError)
    expect((e as WorkforceInputError).field).toBe(field)
    return
  }
  throw new Error(`expected ${field} to be refused`)
}

describe("extreme settings", () => {
  const base = { intervalSeconds: 1800, ahtSeconds: 300 }
  it("no agents: the service level is 0 for a queue that has calls, 1 for one that has none", () => {
    const busy = erlangCPerformance({ ...base, agents: 0, arrivals: 10, targetSeconds: 20 })
    numbers(busy, ["averageSpeedOfAnswer"])
    expect(busy.serviceLevel).toBe(0)
    expect(busy.averageSpeedOfAnswer).toBe(Number.POSITIVE_INFINITY) // unstable: the queue grows
    const idle = erlangCPerformance({ ...base, agents: 0, arrivals: 0, targetSeconds: 20 })
    numbers(idle)
    expect(idle.serviceLevel).toBe(1)
    expect(idle.probabilityOfWait).toBe(0)
    const a = erlangA({ ...base, agents: 0, arrivals: 10, patienceSeconds: 120, targetSeconds: 20 })
    numbers(a)
    expect(a.serviceLevel).toBe(0)
    expect(a.probabilityOfAbandon).toBeCloseTo(1, 9)
    numbers(erlangA({ ...base, agents: 0, arrivals: 0, patienceSeconds: 120, targetSeconds: 20 }))
  })
  it("no volume: no agents needed, in every model", () => {
    const target = { level: 0.8, seconds: 20 }
    expect(agentsForServiceLevel({ ...base, arrivals: 0, target }).agents).toBe(0)
    expect(agentsForErlangA({ ...base, arrivals: 0, patienceSeconds: 120, target }).agents).toBe(0)
    expect(agentsForChat({ ...base, arrivals: 0, concurrency: 3, target }).agents).toBe(0)
    expect(deferredWorkload({ ...base, arrivals: [0, 0, 0], responseSeconds: 3600 })).toEqual([0, 0, 0])
    const f = forecastVolume({
      history: new Array(14 * 24).fill(0),
      intervalsPerDay: 24,
      startDate: "2026-01-05",
      horizonDays: 7,
      dayType: () => "workday",
    })
    for (const p of f.points) numbers(p)
    expect(f.points.every((p) => p.forecast === 0 && p.upper >= 0)).toBe(true)
  })
  it("very long intervals (a whole day) and very long handling times give finite answers", () => {
    const target = { level: 0.8, seconds: 20 }
    const day = { intervalSeconds: 86_400, ahtSeconds: 300 }
    const c = agentsForServiceLevel({ ...day, arrivals: 5000, target })
    numbers(c)
    expect(c.agents).toBeGreaterThan(5000 * (300 / 86_400))
    const a = agentsForErlangA({ ...day, arrivals: 5000, patienceSeconds: 86_400, target })
    numbers(a)
    expect(a.serviceLevel).toBeGreaterThanOrEqual(0.8)
    const long = agentsForServiceLevel({ intervalSeconds: 900, ahtSeconds: 864_000, arrivals: 1000, target })
    numbers(long)
    expect(long.agents).toBeGreaterThan(960_000)
    numbers({ v: deferredWorkload({ ...day, arrivals: [1e6], responseSeconds: 7 * 86_400 })[0] as number })
    const f = forecastVolume({
      history: Array.from({ length: 28 }, (_, d) => (d % 7 < 5 ? 100 : 20)),
      intervalsPerDay: 1,
      startDate: "2026-01-05",
      horizonDays: 14,
      dayType: (date) => (new Date(`${date}T00:00:00Z`).getUTCDay() % 6 === 0 ? "restday" : "workday"),
    })
    for (const p of f.points) numbers(p)
  })
  it("a 100 % service level cannot be promised: refused, naming the target", () => {
    const target = { level: 1, seconds: 20 }
    refuses(() => agentsForServiceLevel({ ...base, arrivals: 10, target }), "target.level")
    refuses(() => agentsForErlangA({ ...base, arrivals: 10, patienceSeconds: 120, target }), "target.level")
    refuses(() => agentsForChat({ ...base, arrivals: 10, concurrency: 2, target }), "target.level")
    // just below it is a finite number of agents
    const near = agentsForServiceLevel({ ...base, arrivals: 10, target: { level: 0.999999, seconds: 0 } })
    numbers(near)
    expect(near.serviceLevel).toBeGreaterThanOrEqual(0.999999)
  })
  it("no patience: refused, naming it; a target time of 0 s is answered", () => {
    refuses(
      () => erlangA({ ...base, agents: 3, arrivals: 10, patienceSeconds: 0, targetSeconds: 20 }),
      "patienceSeconds",
    )
    refuses(
      () =>
        agentsForErlangA({ ...base, arrivals: 10, patienceSeconds: 0, target: { level: 0.8, seconds: 20 } }),
      "patienceSeconds",
    )
    numbers(
      agentsForErlangA({ ...base, arrivals: 10, patienceSeconds: 1, target: { level: 0.8, seconds: 0 } }),
    )
    numbers(agentsForServiceLevel({ ...base, arrivals: 10, target: { level: 0.8, seconds: 0 } }))
    // deferred work due at once is done within its interval
    expect(deferredWorkload({ ...base, arrivals: [6, 0], responseSeconds: 0, occupancy: 1 })).toEqual([1, 0])
  })
  it("bad numbers are refused by name, not computed into NaN", () => {
    refuses(() => erlangCPerformance({ ...base, agents: 1.5, arrivals: 1, targetSeconds: 20 }), "agents")
    refuses(
      () => erlangCPerformance({ ...base, agents: 2, arrivals: Number.NaN, targetSeconds: 20 }),
      "arrivals",
    )
    refuses(
      () => erlangCPerformance({ ...base, agents: 2, arrivals: 1, intervalSeconds: 0, targetSeconds: 20 }),
      "intervalSeconds",
    )
    refuses(
      () =>
        agentsForServiceLevel({
          ...base,
          arrivals: Number.POSITIVE_INFINITY,
          target: { level: 0.8, seconds: 20 },
        }),
      "arrivals",
    )
    refuses(() => withShrinkage(3, 1), "shrinkage")
    refuses(() => deferredWorkload({ ...base, arrivals: [1], responseSeconds: -1 }), "responseSeconds")
  })
})
