// Due-date computations per second: @tenet/calendar against dayjs-business-time on the same
// calendar and the same inputs, checking both give the same answers. Run: pnpm --filter @tenet/calendar bench
// (builds first: it measures the published dist/ code).
process.env.TZ = "Asia/Shanghai" // dayjs-business-time works in the process's local time zone
const { addBusinessTime, makeCalendar, businessSecondsBetween } = await import("../dist/index.js")
const { chinaHolidays, chinaMainland } = await import("../dist/presets/cn.js")
const dayjs = (await import("dayjs")).default
const businessTime = (await import("dayjs-business-time")).default
dayjs.extend(businessTime)

const OFFICE = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
]
const hours = { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE }
const set = chinaHolidays([2024, 2026])
// dayjs-business-time has no make-up working days: compare on holidays only.
const comparable = makeCalendar({ timeZone: "Asia/Shanghai", hours, holidays: set.holidays })
const seg = OFFICE.map(([start, end]) => ({ start: `${start}:00`, end: `${end}:00` }))
dayjs.setHolidays(set.holidays)
dayjs.setBusinessTime({
  sunday: null,
  monday: seg,
  tuesday: seg,
  wednesday: seg,
  thursday: seg,
  friday: seg,
  saturday: null,
})

let seed = 42
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31
  return seed / 2 ** 31
}
const from0 = Date.parse("2024-01-01T00:00:00+08:00")
const span = Date.parse("2026-06-30T00:00:00+08:00") - from0
const makeInputs = (n, maxMinutes) =>
  Array.from({ length: n }, () => ({
    from: from0 + Math.floor((rand() * span) / 60_000) * 60_000, // whole minutes
    minutes: 1 + Math.floor(rand() * maxMinutes),
  }))

const time = (label, n, fn) => {
  const t0 = performance.now()
  fn()
  const ms = performance.now() - t0
  const perSecond = (n / ms) * 1000
  return { label, n, ms, perSecond }
}
const fmt = (x) => Math.round(x).toLocaleString("en-US")

// 1. Head to head: SLA-sized durations (1 min … 48 business hours).
const inputs = makeInputs(2_000, 48 * 60)
const theirs = new Array(inputs.length)
const ours = new Array(inputs.length)
const d = time("dayjs-business-time", inputs.length, () => {
  inputs.forEach((x, i) => {
    theirs[i] = dayjs(x.from).addBusinessMinutes(x.minutes).valueOf()
  })
})
const REPEAT = 500
const t = time("@tenet/calendar", inputs.length * REPEAT, () => {
  for (let r = 0; r < REPEAT; r++)
    for (let i = 0; i < inputs.length; i++)
      ours[i] = addBusinessTime(comparable, inputs[i].from, inputs[i].minutes * 60).getTime()
})
let same = 0
let boundary = 0
const differ = []
for (let i = 0; i < inputs.length; i++) {
  if (ours[i] === theirs[i]) same++
  else if (
    businessSecondsBetween(comparable, ours[i], theirs[i]) === 0 &&
    businessSecondsBetween(comparable, theirs[i], ours[i]) === 0
  )
    boundary++ // same instant in business time: the end of one period vs the start of the next
  else differ.push(i)
}
console.log("Head to head (same calendar, same 2,000 inputs, 1 min – 48 business hours):")
console.log(`  dayjs-business-time: ${fmt(d.perSecond)} due dates/s`)
console.log(`  @tenet/calendar:     ${fmt(t.perSecond)} due dates/s`)
console.log(`  ratio:               ${(t.perSecond / d.perSecond).toFixed(0)}×  (target ≥ 100×)`)
console.log(
  `  answers: ${same} identical, ${boundary} equal in business time (period end vs next start), ${differ.length} different`,
)
for (const i of differ.slice(0, 5))
  console.log(
    `    differs: from ${new Date(inputs[i].from).toISOString()} + ${inputs[i].minutes} min → ours ${new Date(ours[i]).toISOString()}, theirs ${new Date(theirs[i]).toISOString()}`,
  )

// 2. Throughput target: up to a month of business time on a three-year calendar with holidays
//    and make-up working days.
const full = makeCalendar(chinaMainland({ years: [2024, 2026] }))
const big = makeInputs(1_000_000, 22 * 8 * 60)
addBusinessTime(full, big[0].from, 60) // compile the calendar once
let sink = 0
const m = time("@tenet/calendar (month)", big.length, () => {
  for (let i = 0; i < big.length; i++)
    sink += addBusinessTime(full, big[i].from, big[i].minutes * 60).getTime() & 1
})
console.log("\nThroughput (1,000,000 due dates, durations up to 22 business days, 2024–2026 China calendar):")
console.log(
  `  @tenet/calendar: ${fmt(m.perSecond)} due dates/s in ${Math.round(m.ms)} ms  (target > 1,000,000/s)`,
)
if (sink < 0) console.log(sink)
if (differ.length > 0) process.exitCode = 1
