import { describe, expect, it } from "vitest"
import { fastTimestamptz, parseTimestamptz } from "../src/internal/types"

// PostgreSQL's text output of timestamptz (DateStyle ISO) and the instant it means.
const worked: ReadonlyArray<readonly [string, string]> = [
  ["2025-01-26 09:00:00+08", "2025-01-26T01:00:00.000Z"],
  ["2025-01-26 09:00:00.123456+08", "2025-01-26T01:00:00.123Z"],
  ["2025-01-26 09:00:00.5+00", "2025-01-26T09:00:00.500Z"],
  ["2025-01-26 09:00:00.999999-03:30", "2025-01-26T12:30:00.999Z"],
  ["2024-02-29 23:59:59+05:45", "2024-02-29T18:14:59.000Z"],
  ["1970-01-01 00:00:00+00", "1970-01-01T00:00:00.000Z"],
  ["2026-10-01 00:00:00.000001+08", "2026-09-30T16:00:00.000Z"],
]

describe("parseTimestamptz", () => {
  it("reads PostgreSQL's output to the millisecond (microseconds truncated)", () => {
    for (const [text, iso] of worked) expect(parseTimestamptz(text).toISOString(), text).toBe(iso)
  })
  it("takes the general path for what the fast one does not read", () => {
    // a year below 100 (Date.UTC would read it as 19xx), seconds in the offset, infinity
    expect(fastTimestamptz("0050-03-01 12:00:00+00")).toBeUndefined()
    expect(parseTimestamptz("0050-03-01 12:00:00+00").toISOString()).toBe("0050-03-01T12:00:00.000Z")
    expect(fastTimestamptz("1890-01-01 00:00:00+08:05:43")).toBeUndefined()
    expect(parseTimestamptz("infinity").getTime()).toBe(8.64e15)
  })
  it("agrees with Date's own ISO reading on many instants and offsets", () => {
    const offsets = [0, 480, -180, 330, 345, -570, 840]
    let t = Date.UTC(1999, 11, 31, 23, 0, 0, 0)
    for (let i = 0; i < 2000; i++) {
      t += 3_600_000 * 7 + 61_001 * i
      const off = offsets[i % offsets.length]!
      const local = new Date(t + off * 60_000).toISOString() // the wall time at that offset
      const sign = off >= 0 ? "+" : "-"
      const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, "0")
      const mm = String(Math.abs(off) % 60).padStart(2, "0")
      const frac = i % 3 === 0 ? "" : `.${local.slice(20, 23)}${i % 3 === 2 ? "456" : ""}`
      const text = `${local.slice(0, 10)} ${local.slice(11, 19)}${frac}${sign}${hh}${mm === "00" ? "" : `:${mm}`}`
      const expected = frac === "" ? Math.floor(t / 1000) * 1000 : t
      expect(parseTimestamptz(text).getTime(), text).toBe(expected)
    }
  })
})
