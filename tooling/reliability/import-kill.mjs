// kill -9 during import: a Tenet server imports a file of cases over HTTP (the admin's upload) and
// is killed with SIGKILL part-way, 20 times (fast: 3), each time on a new file. After each restart:
// no import is left `running` (the killed one is `interrupted`), then the same file is imported
// again, which completes it. At the end every row is there exactly once (0 lost, 0 doubled: counted
// by external id through the case export) and case numbers are unique.
// On the embedded database; also on PostgreSQL when TENET_TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { FAST, postgres, request, signIn, startServer, suite } from "./lib.mjs"

const ROUNDS = FAST ? 3 : 20
const ROWS = FAST ? 2_000 : 3_000
const s = suite("import-kill")

const rowsOf = (round) =>
  Array.from({ length: ROWS }, (_, i) => {
    const id = `KILL-${String(round).padStart(2, "0")}-${String(i).padStart(5, "0")}`
    return JSON.stringify({
      external_id: id,
      subject: `killrow ${id}`,
      type: i % 3 ? "inquiry" : "problem",
      channel: ["email", "chat", "phone"][i % 3],
      received_at: new Date(Date.UTC(2025, 4, 1 + (i % 28), 2 + (i % 8))).toISOString(),
      customer_id: `KC-${i % 97}`,
      customer_name: `Customer ${i % 97}`,
    })
  })
const fileOf = (round) => `${rowsOf(round).join("\n")}\n`

/**
 * The file as a request body sent at about 1,000 rows a second (100-row chunks): the import then
 * waits on its input between batches, so the suite can see it under way and kill it part-way
 * whatever the machine's load.
 */
const slowBody = (round) => {
  const rows = rowsOf(round)
  let i = 0
  return new ReadableStream({
    async pull(controller) {
      if (i >= rows.length) return controller.close()
      await new Promise((r) => setTimeout(r, 100))
      controller.enqueue(new TextEncoder().encode(`${rows.slice(i, i + 100).join("\n")}\n`))
      i += 100
    },
  })
}

const run = async (label, serverOptions) => {
  const dataDir = serverOptions.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), "tenet-kill-"))
  // the same port after each restart: the session's origin stays the server's
  const port = 20000 + Math.floor(Math.random() * 5000)
  const start = () => startServer({ ...serverOptions, dataDir, demoDays: 1, port, startTimeoutMs: 300_000 })
  let server = await start()
  const { headers } = await signIn(server.url, "admin@demo.tenet.local")
  const upload = (url, round, { slow = false, timeoutMs = 300_000 } = {}) =>
    request(
      `${url}/api/v1/process/imports?format=ndjson&name=kill-${round}.ndjson`,
      {
        method: "POST",
        headers: { ...headers, "content-type": "application/x-ndjson" },
        body: slow ? slowBody(round) : fileOf(round),
        ...(slow ? { duplex: "half" } : {}),
      },
      timeoutMs,
    )
  const imports = async (url, tries = 3) => {
    for (let i = 1; ; i++) {
      const r = await request(`${url}/api/v1/process/imports`, { headers }, 60_000)
      if (r.status === 200 && Array.isArray(r.body.items)) return r.body.items
      if (i >= tries) throw new Error(`imports list: ${r.status} ${r.body}`)
    }
  }

  // one whole file first (its time is a figure)
  const t0 = performance.now()
  const first = await upload(server.url, 0)
  const importMs = performance.now() - t0
  s.check(`${label}: a whole import`, first.status === 201 && first.body.imported === ROWS, `${first.status}`)

  let midway = 0
  let finishedFirst = 0
  let stuck = 0
  let interrupted = 0
  const restartMs = []
  for (let round = 1; round <= ROUNDS; round++) {
    // once a batch of the run is committed (the list shows it running with rows imported), kill
    // at a random later point while the rest of the file is still arriving
    const pending = upload(server.url, round, { slow: true })
    const t = Date.now()
    while (Date.now() - t < 120_000) {
      const mine = (await imports(server.url, 1).catch(() => [])).find(
        (i) => i.source === `kill-${round}.ndjson`,
      )
      if (mine && mine.imported > 0) break
      await new Promise((r) => setTimeout(r, 100))
    }
    await new Promise((r) => setTimeout(r, Math.random() * 100))
    await server.kill()
    const answer = await pending
    const r0 = performance.now()
    server = await start()
    restartMs.push(performance.now() - r0)
    const after = await imports(server.url)
    stuck += after.filter((i) => i.status === "running").length
    // a run of this file exists if the kill came after the import started (before, only the upload died)
    const killed = after.find((i) => i.source === `kill-${round}.ndjson`)
    // a run marked done had finished before the kill, even when its answer was lost with the server
    const finished = answer.status === 201 || killed?.status === "done"
    if (killed && !finished) midway++
    if (killed && !finished && killed.status === "interrupted") interrupted++
    if (finished) finishedFirst++
    if (process.argv.includes("--verbose"))
      console.log(
        round,
        answer.status,
        after.filter((i) => i.source.startsWith("kill-")).map((i) => `${i.source}:${i.status}:${i.imported}`),
      )
    // the same import again completes it
    const again = await upload(server.url, round)
    if (again.status !== 201 || again.body.imported + again.body.skipped !== ROWS || again.body.failed)
      s.check(
        `${label}: round ${round} re-run`,
        false,
        `${again.status} ${JSON.stringify(again.body).slice(0, 200)}`,
      )
  }

  // every row of every file exactly once, and unique case numbers
  const csv = await request(`${server.url}/api/v1/process/cases/export.csv?q=killrow`, { headers }, 120_000)
  const lines = String(csv.body).trim().split("\n").slice(1)
  const byId = new Map()
  const numbers = new Set()
  let duplicateNumbers = 0
  for (const line of lines) {
    const [number, subject] = line.split(",")
    const id = subject.replace(/^killrow /, "")
    byId.set(id, (byId.get(id) ?? 0) + 1)
    if (numbers.has(number)) duplicateNumbers++
    numbers.add(number)
  }
  let lost = 0
  let doubled = 0
  for (let round = 0; round <= ROUNDS; round++)
    for (let i = 0; i < ROWS; i++) {
      const n = byId.get(`KILL-${String(round).padStart(2, "0")}-${String(i).padStart(5, "0")}`) ?? 0
      if (n === 0) lost++
      if (n > 1) doubled += n - 1
    }
  const finalRunning = (await imports(server.url)).filter((i) => i.status === "running").length
  await server.stop({ keepData: true })
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })

  s.figure(`${label}: rows per file`, ROWS)
  s.figure(`${label}: one import`, `${Math.round(importMs)} ms`)
  s.figure(`${label}: kills (SIGKILL)`, ROUNDS)
  s.figure(
    `${label}: kills mid-import / before it started / after it finished`,
    `${midway} / ${ROUNDS - midway - finishedFirst} / ${finishedFirst}`,
  )
  s.figure(`${label}: killed imports marked interrupted on restart`, `${interrupted} of ${ROUNDS}`)
  s.figure(
    `${label}: restart to ready`,
    `median ${Math.round(restartMs.sort((a, b) => a - b)[restartMs.length >> 1])} ms`,
  )
  s.figure(`${label}: cases expected / found`, `${(ROUNDS + 1) * ROWS} / ${lines.length}`)
  s.figure(`${label}: lost, doubled, duplicate numbers`, `${lost}, ${doubled}, ${duplicateNumbers}`)
  // the timing is the machine's: a kill may come before the run starts or after it ends; at least
  // one must land inside a run for the suite to prove anything
  s.check(`${label}: kills landed mid-import`, midway >= 1, `${midway} of ${ROUNDS}`)
  s.check(
    `${label}: every import killed mid-way is marked interrupted at restart`,
    interrupted === midway,
    `${interrupted} of ${midway}`,
  )
  s.check(`${label}: no import left running after a restart`, stuck === 0 && finalRunning === 0, `${stuck}`)
  s.check(`${label}: 0 lost`, lost === 0, `${lost}`)
  s.check(`${label}: 0 doubled`, doubled === 0 && lines.length === (ROUNDS + 1) * ROWS, `${doubled}`)
  s.check(`${label}: case numbers unique`, duplicateNumbers === 0, `${duplicateNumbers}`)
}

await run("embedded", {})
if (process.env.TENET_TEST_DATABASE_URL) {
  const pg = await postgres("kill")
  try {
    await run("PostgreSQL", { databaseUrl: pg.url })
  } finally {
    await pg.stop()
  }
}
s.done()
