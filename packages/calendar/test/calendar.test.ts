import { readFileSync } from "node:fs"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  addBusinessTime,
  businessSecondsBetween,
  CalendarSpecError,
  explainAddBusinessTime,
  isOpen,
  makeCalendar,
  nextOpening,
  openPeriods,
  parseIcs,
  subtractBusinessTime,
  toSpec,
  withHolidays,
} from "../src/index"
import { chinaHolidays, chinaMainland } from "../src/presets/cn"

const H = 3600
const OFFICE = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
] as const
const week = { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE }
const shanghai = makeCalendar({ timeZone: "Asia/Shanghai", hours: week })
const china = makeCalendar(chinaMainland())
const iso = (d: Date) => d.toISOString()

describe("weekday slots and lunch breaks (Asia/Shanghai, 09–12 and 13–18)", () => {
  it("skips the lunch break", () => {
    // Monday 2025-03-03 11:30 +08:00 plus 1 h: 30 min before lunch, 30 min after → 13:30
    expect(iso(addBusinessTime(shanghai, "2025-03-03T11:30:00+08:00", H))).toBe("2025-03-03T05:30:00.000Z")
  })
  it("a full day ends at 18:00 the same day, not the next morning", () => {
    expect(iso(addBusinessTime(shanghai, "2025-03-03T09:00:00+08:00", 8 * H))).toBe(
      "2025-03-03T10:00:00.000Z",
    )
  })
  it("carries over the weekend", () => {
    // Friday 2025-03-07 17:00 + 2 h: 1 h on Friday, 1 h on Monday → Monday 10:00
    expect(iso(addBusinessTime(shanghai, "2025-03-07T17:00:00+08:00", 2 * H))).toBe(
      "2025-03-10T02:00:00.000Z",
    )
  })
  it("starts counting at the next opening when received while closed", () => {
    // Saturday night + 15 min → Monday 09:15
    expect(iso(addBusinessTime(shanghai, "2025-03-08T22:00:00+08:00", 15 * 60))).toBe(
      "2025-03-10T01:15:00.000Z",
    )
    // received during lunch
    expect(iso(addBusinessTime(shanghai, "2025-03-03T12:20:00+08:00", 30 * 60))).toBe(
      "2025-03-03T05:30:00.000Z",
    )
  })
  it("measures open seconds in [a, b)", () => {
    expect(businessSecondsBetween(shanghai, "2025-03-03T08:00:00+08:00", "2025-03-04T10:00:00+08:00")).toBe(
      9 * H,
    )
    expect(businessSecondsBetween(shanghai, "2025-03-04T10:00:00+08:00", "2025-03-03T08:00:00+08:00")).toBe(0)
  })
  it("answers isOpen, nextOpening and openPeriods", () => {
    expect(isOpen(shanghai, "2025-03-03T09:00:00+08:00")).toBe(true)
    expect(isOpen(shanghai, "2025-03-03T12:00:00+08:00")).toBe(false)
    expect(iso(nextOpening(shanghai, "2025-03-03T12:00:00+08:00"))).toBe("2025-03-03T05:00:00.000Z")
    expect(iso(nextOpening(shanghai, "2025-03-03T10:00:00+08:00"))).toBe("2025-03-03T02:00:00.000Z")
    expect(
      openPeriods(shanghai, "2025-03-03T10:00:00+08:00", "2025-03-04T10:00:00+08:00").map((p) => [
        iso(p.start),
        iso(p.end),
      ]),
    ).toEqual([
      ["2025-03-03T02:00:00.000Z", "2025-03-03T04:00:00.000Z"],
      ["2025-03-03T05:00:00.000Z", "2025-03-03T10:00:00.000Z"],
      ["2025-03-04T01:00:00.000Z", "2025-03-04T02:00:00.000Z"],
    ])
  })
})

describe("Spring Festival 2025 with make-up Sundays (mainland China preset)", () => {
  // 2025: closed Tue 01-28 … Tue 02-04; make-up working days Sun 01-26 and Sat 02-08.
  it("works the make-up Sunday", () => {
    expect(isOpen(china, "2025-01-26T10:00:00+08:00")).toBe(true)
    expect(isOpen(china, "2025-01-25T10:00:00+08:00")).toBe(false)
  })
  it("24 business hours from Friday morning end on Monday evening, through the make-up Sunday", () => {
    // Fri 01-24 (8 h) + Sun 01-26 (8 h) + Mon 01-27 (8 h) → Mon 18:00
    expect(iso(addBusinessTime(china, "2025-01-24T09:00:00+08:00", 24 * H))).toBe("2025-01-27T10:00:00.000Z")
  })
  it("jumps the holiday run", () => {
    // Mon 01-27 10:00 + 16 h: 7 h on Monday, closed 01-28…02-04, 8 h on Wed 02-05, 1 h Thu 02-06 → 10:00
    expect(iso(addBusinessTime(china, "2025-01-27T10:00:00+08:00", 16 * H))).toBe("2025-02-06T02:00:00.000Z")
  })
  it("counts 56 h between 01-24 and 02-10 (7 working days, two of them make-up days)", () => {
    expect(businessSecondsBetween(china, "2025-01-24T09:00:00+08:00", "2025-02-10T09:00:00+08:00")).toBe(
      56 * H,
    )
  })
  it("explains a due date: periods consumed, holidays skipped, make-up days used", () => {
    const e = explainAddBusinessTime(china, "2025-01-24T17:00:00+08:00", 10 * H)
    // Fri 17–18 (1 h), Sun 01-26 make-up 09–12, 13–18 (8 h), Mon 01-27 09:00–10:00 (1 h)
    expect(iso(e.due)).toBe("2025-01-27T02:00:00.000Z")
    expect(e.periods.map((p) => p.seconds)).toEqual([H, 3 * H, 5 * H, H])
    expect(e.days).toEqual([
      { date: "2025-01-25", kind: "closed" },
      { date: "2025-01-26", kind: "makeup_workday" },
    ])
    const long = explainAddBusinessTime(china, "2025-01-27T10:00:00+08:00", 16 * H)
    expect(long.days.filter((d) => d.kind === "holiday").map((d) => d.date)).toEqual([
      "2025-01-28",
      "2025-01-29",
      "2025-01-30",
      "2025-01-31",
      "2025-02-01",
      "2025-02-02",
      "2025-02-03",
      "2025-02-04",
    ])
  })
  it("National Day 2024: 10-01…10-07 closed, make-up Sun 09-29 and Sat 10-12", () => {
    expect(isOpen(china, "2024-09-29T10:00:00+08:00")).toBe(true)
    expect(isOpen(china, "2024-10-12T10:00:00+08:00")).toBe(true)
    // Mon 09-30 17:00 + 2 h → 1 h on 09-30, then 10-08 (Tue) 10:00
    expect(iso(addBusinessTime(china, "2024-09-30T17:00:00+08:00", 2 * H))).toBe("2024-10-08T02:00:00.000Z")
  })
})

describe("daylight saving time", () => {
  const allDay = [["00:00", "24:00"]] as const
  const la = makeCalendar({ timeZone: "America/Los_Angeles", hours: { sun: allDay, mon: allDay } })
  it("a spring-forward Sunday in Los Angeles is 23 hours long", () => {
    expect(businessSecondsBetween(la, "2025-03-09T00:00:00-08:00", "2025-03-10T00:00:00-07:00")).toBe(23 * H)
  })
  it("a fall-back Sunday in Los Angeles is 25 hours long", () => {
    expect(businessSecondsBetween(la, "2025-11-02T00:00:00-07:00", "2025-11-03T00:00:00-08:00")).toBe(25 * H)
  })
  it("a slot boundary inside the spring-forward gap moves forward", () => {
    const c = makeCalendar({ timeZone: "America/Los_Angeles", hours: { sun: [["02:30", "05:00"]] } })
    // 02:30 does not exist on 2025-03-09; read with the offset before the gap it is 03:30 PDT (10:30Z)
    const p = openPeriods(c, "2025-03-09T00:00:00-08:00", "2025-03-10T00:00:00-07:00")
    expect(p.map((x) => [iso(x.start), iso(x.end)])).toEqual([
      ["2025-03-09T10:30:00.000Z", "2025-03-09T12:00:00.000Z"],
    ])
  })
  it("an ambiguous boundary takes the first occurrence", () => {
    const c = makeCalendar({ timeZone: "America/Los_Angeles", hours: { sun: [["01:30", "03:00"]] } })
    // 01:30 happens twice on 2025-11-02; the first is 01:30 PDT (08:30Z); 03:00 PST is 11:00Z → 2.5 h
    const p = openPeriods(c, "2025-11-02T00:00:00-07:00", "2025-11-03T00:00:00-08:00")
    expect(p.map((x) => [iso(x.start), iso(x.end)])).toEqual([
      ["2025-11-02T08:30:00.000Z", "2025-11-02T11:00:00.000Z"],
    ])
  })
  it("Europe/Berlin: 23 h and 25 h Sundays, and due dates across the change", () => {
    const berlinAll = makeCalendar({ timeZone: "Europe/Berlin", hours: { sun: allDay } })
    expect(businessSecondsBetween(berlinAll, "2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00")).toBe(
      23 * H,
    )
    expect(businessSecondsBetween(berlinAll, "2025-10-26T00:00:00+02:00", "2025-10-27T00:00:00+01:00")).toBe(
      25 * H,
    )
    const berlin = makeCalendar({
      timeZone: "Europe/Berlin",
      hours: {
        mon: [["09:00", "17:00"]],
        tue: [["09:00", "17:00"]],
        wed: [["09:00", "17:00"]],
        thu: [["09:00", "17:00"]],
        fri: [["09:00", "17:00"]],
      },
    })
    // Fri 2025-03-28 16:00 CET + 2 h → Mon 2025-03-31 10:00 CEST (08:00Z)
    expect(iso(addBusinessTime(berlin, "2025-03-28T16:00:00+01:00", 2 * H))).toBe("2025-03-31T08:00:00.000Z")
  })
})

describe("slots ending at 24:00", () => {
  const night = makeCalendar({
    timeZone: "Asia/Shanghai",
    hours: { mon: [["18:00", "24:00"]], tue: [["00:00", "06:00"]] },
  })
  it("run on past midnight as one period", () => {
    expect(iso(addBusinessTime(night, "2025-03-03T23:00:00+08:00", 2 * H))).toBe("2025-03-03T17:00:00.000Z")
    expect(
      openPeriods(night, "2025-03-03T00:00:00+08:00", "2025-03-05T00:00:00+08:00").map((p) => [
        iso(p.start),
        iso(p.end),
      ]),
    ).toEqual([["2025-03-03T10:00:00.000Z", "2025-03-03T22:00:00.000Z"]])
  })
})

describe("zero and huge durations", () => {
  it("zero seconds returns the start instant, open or not", () => {
    expect(iso(addBusinessTime(shanghai, "2025-03-08T22:00:00+08:00", 0))).toBe("2025-03-08T14:00:00.000Z")
    expect(iso(subtractBusinessTime(shanghai, "2025-03-08T22:00:00+08:00", 0))).toBe(
      "2025-03-08T14:00:00.000Z",
    )
  })
  it("a 24/7 calendar adds exactly 365 days", () => {
    const all = [["00:00", "24:00"]] as const
    const always = makeCalendar({
      timeZone: "UTC",
      hours: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all },
    })
    expect(iso(addBusinessTime(always, "2025-01-01T00:00:00Z", 365 * 24 * H))).toBe(
      "2026-01-01T00:00:00.000Z",
    )
  })
  it("ten years of office hours round-trip", () => {
    const s = 10 * 250 * 8 * H
    const due = addBusinessTime(shanghai, "2025-03-03T09:00:00+08:00", s)
    expect(due.getUTCFullYear()).toBeGreaterThanOrEqual(2034)
    expect(businessSecondsBetween(shanghai, "2025-03-03T09:00:00+08:00", due)).toBe(s)
    expect(iso(subtractBusinessTime(shanghai, due, s))).toBe("2025-03-03T01:00:00.000Z")
  })
  it("a calendar that never opens again says so", () => {
    const once = makeCalendar({
      timeZone: "UTC",
      hours: {},
      workdays: [{ date: "2025-03-03", hours: [["09:00", "10:00"]] }],
    })
    expect(iso(addBusinessTime(once, "2025-03-01T00:00:00Z", 1800))).toBe("2025-03-03T09:30:00.000Z")
    expect(() => addBusinessTime(once, "2025-03-01T00:00:00Z", 2 * H)).toThrow(RangeError)
  })
})

describe("one-off closures and openings", () => {
  it("a closure removes its time, an opening adds it", () => {
    const c = makeCalendar({
      timeZone: "Asia/Shanghai",
      hours: week,
      closures: [{ start: "2025-03-04T14:00:00+08:00", end: "2025-03-04T16:00:00+08:00" }],
      openings: [{ start: "2025-03-08T10:00:00+08:00", end: "2025-03-08T12:00:00+08:00" }],
    })
    expect(businessSecondsBetween(c, "2025-03-04T00:00:00+08:00", "2025-03-05T00:00:00+08:00")).toBe(6 * H)
    expect(businessSecondsBetween(c, "2025-03-08T00:00:00+08:00", "2025-03-09T00:00:00+08:00")).toBe(2 * H)
    expect(iso(addBusinessTime(c, "2025-03-04T13:30:00+08:00", H))).toBe("2025-03-04T08:30:00.000Z")
  })
})

describe("validation names the offending path", () => {
  const bad = (spec: unknown) => {
    try {
      makeCalendar(spec as never)
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarSpecError)
      return (e as Error).message
    }
    throw new Error("expected a CalendarSpecError")
  }
  it("overlapping slots", () => {
    expect(
      bad({
        timeZone: "UTC",
        hours: {
          mon: [
            ["09:00", "12:00"],
            ["11:00", "13:00"],
          ],
        },
      }),
    ).toBe("hours.mon[1]: overlaps hours.mon[0]")
  })
  it("end before start and times out of range", () => {
    expect(bad({ timeZone: "UTC", hours: { tue: [["18:00", "09:00"]] } })).toMatch(
      /^hours\.tue\[0\]: the slot ends/,
    )
    expect(bad({ timeZone: "UTC", hours: { wed: [["09:00", "25:00"]] } })).toBe(
      'hours.wed[0][1]: "25:00" is not a time of day',
    )
    expect(bad({ timeZone: "UTC", hours: { wed: [["24:00", "24:00"]] } })).toBe(
      'hours.wed[0][0]: "24:00" can only end a slot',
    )
  })
  it("unknown time zone, weekday and malformed dates", () => {
    expect(bad({ timeZone: "Mars/Olympus", hours: {} })).toBe('timeZone: unknown time zone "Mars/Olympus"')
    expect(bad({ timeZone: "UTC", hours: { monday: [] } })).toMatch(/^hours\.monday: unknown weekday/)
    expect(bad({ timeZone: "UTC", hours: {}, holidays: ["2025-02-30"] })).toBe(
      'holidays[0]: "2025-02-30" is not a calendar date',
    )
    expect(bad({ timeZone: "UTC", hours: {}, holidays: ["2025-1-1"] })).toMatch(
      /^holidays\[0\]: expected a date/,
    )
    expect(
      bad({
        timeZone: "UTC",
        hours: {},
        holidays: ["2025-01-26"],
        workdays: [{ date: "2025-01-26", hours: [] }],
      }),
    ).toBe("workdays[0].date: 2025-01-26 is also listed as a holiday")
    expect(
      bad({
        timeZone: "UTC",
        hours: {},
        closures: [{ start: "2025-01-02T00:00:00Z", end: "2025-01-01T00:00:00Z" }],
      }),
    ).toBe("closures[0]: ends before or when it starts")
  })
  it("exports the spec it was made from", () => {
    expect(toSpec(shanghai)).toEqual({ timeZone: "Asia/Shanghai", hours: week })
  })
})

describe("import", () => {
  // holiday-cn's 2025 feed (MIT, NateScarlet; see NOTICE)
  const fixture = new URL("fixtures/holiday-cn-2025.ics", import.meta.url)
  it("reads a Chinese iCalendar feed like the JSON data (上班 = make-up day)", () => {
    const ics = parseIcs(readFileSync(fixture, "utf8"))
    const json = chinaHolidays([2025, 2025])
    expect(ics.holidays).toEqual(json.holidays)
    expect(ics.makeupWorkdays).toEqual(json.makeupWorkdays)
    expect(ics.makeupWorkdays).toEqual(["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"])
  })
  it("expands recurring all-day events and ignores timed ones", () => {
    const feed = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "BEGIN:VEVENT",
      "UID:xmas",
      "SUMMARY:Christmas Day",
      "DTSTART;VALUE=DATE:20230101",
      "RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:meeting",
      "SUMMARY:Meeting",
      "DTSTART:20250310T100000Z",
      "DTEND:20250310T110000Z",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:trip",
      "SUMMARY:Company retreat",
      "DTSTART;VALUE=DATE:20250602",
      "DTEND;VALUE=DATE:20250604",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n")
    const set = parseIcs(feed, { years: [2024, 2025] })
    expect(set.holidays).toEqual(["2024-12-25", "2025-06-02", "2025-06-03", "2025-12-25"])
  })
  it("ships 2015–2026 and combines with the organisation's hours", () => {
    const set = chinaHolidays()
    expect(set.holidays[0]!.startsWith("2015")).toBe(true)
    expect(set.holidays.at(-1)!.startsWith("2026")).toBe(true)
    const spec = withHolidays(
      { timeZone: "Asia/Shanghai", hours: { mon: [["08:30", "17:30"]] } },
      chinaHolidays([2025, 2025]),
    )
    expect(spec.workdays?.find((w) => w.date === "2025-01-26")?.hours).toEqual([["08:30", "17:30"]])
  })
})

describe("properties", () => {
  const instants = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) })
  const durations = fc.integer({ min: 0, max: 31 * 24 * H })
  it("add then measure returns the same seconds", () => {
    fc.assert(
      fc.property(
        instants,
        durations,
        (t, s) => businessSecondsBetween(china, t, addBusinessTime(china, t, s)) === s,
      ),
      { numRuns: 500 },
    )
  })
  it("is monotonic in the duration", () => {
    fc.assert(
      fc.property(instants, durations, durations, (t, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        return addBusinessTime(china, t, lo).getTime() <= addBusinessTime(china, t, hi).getTime()
      }),
      { numRuns: 500 },
    )
  })
  it("subtract inverts add where defined (from an instant strictly inside open time)", () => {
    // At the very start of a period, add(sub(t)) returns the previous period's end: the same
    // amount of open time has elapsed there, and add returns the earliest such instant.
    fc.assert(
      fc.property(instants, durations, (t0, s) => {
        const t = nextOpening(china, t0).getTime() + 1000
        fc.pre(isOpen(china, t - 1000) && isOpen(china, t))
        return (
          addBusinessTime(china, subtractBusinessTime(china, t, s), s).getTime() === t &&
          subtractBusinessTime(china, addBusinessTime(china, t, s), s).getTime() === t
        )
      }),
      { numRuns: 500 },
    )
  })
  it("the result is never before the start and is open time or its end", () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 31 * 24 * H }), (t, s) => {
        const due = addBusinessTime(china, t, s).getTime()
        return due > t && (isOpen(china, due - 1) || isOpen(china, due))
      }),
      { numRuns: 300 },
    )
  })
})
