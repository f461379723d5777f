// fuzz: property-based fuzzing of EVERY operation of the live OpenAPI document. For each operation,
// fast-check generates inputs from its schemas — valid-ish ones and malformed ones (wrong types, NUL,
// lone surrogates, 1 MB strings, extreme dates, prototype names as keys and values, fractions and huge
// numbers for integers, deep JSON, wrong content types, unknown ids, ids of another organisation) — and
// sends them as the owner (some unauthenticated). Every request is bounded by a timeout; after every
// operation /healthz must still answer. No answer may be a 500, no request may hang.
//
//   node tooling/reliability/fuzz.mjs [--fast] [--seed N] [--only operationId] [--url http://…]
import fc from "fast-check"
import { FAST, request, signIn, startServer, suite } from "./lib.mjs"

const arg = (name) => {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const SEED = Number(arg("--seed") ?? 20261202)
const ONLY = arg("--only")
const PER_OP = FAST ? 4 : 72 // generated requests per operation (plus the fixed probes)
const TIMEOUT_MS = FAST ? 8_000 : 15_000

const s = suite("fuzz")
const t0 = performance.now()
const server = arg("--url")
  ? undefined
  : await startServer({ demoDays: FAST ? 1 : 14, startTimeoutMs: 300_000 })
const url = arg("--url") ?? server.url
const startMs = performance.now() - t0
let owner = await signIn(url, "owner@demo.tenet.local")

// ---------------------------------------------------------------------------------------------
// the document and the ids to aim at
// ---------------------------------------------------------------------------------------------
const doc = (await request(`${url}/api/v1/openapi.json`)).body
const components = doc.components?.schemas ?? {}
const resolve = (schema) => {
  let s = schema
  for (let i = 0; i < 10 && s && typeof s.$ref === "string"; i++)
    s = components[s.$ref.replace("#/components/schemas/", "")] ?? {}
  return s ?? {}
}
const operations = []
for (const [path, methods] of Object.entries(doc.paths))
  for (const [method, op] of Object.entries(methods)) operations.push({ path, method, ...op })
// operations that would end the fuzzer's own session or identity: sent only unauthenticated
const SELF_ENDING = new Set(["signOut"])

// ids by collection: every `id` (and `key`) the list operations return, keyed by the path before `{`
const ids = new Map()
const collectIds = (collection, value, depth = 0) => {
  if (depth > 4 || !value || typeof value !== "object") return
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 50)) collectIds(collection, v, depth + 1)
    return
  }
  for (const k of ["id", "key"])
    if (typeof value[k] === "string") {
      const set = ids.get(collection) ?? new Set()
      set.add(value[k])
      ids.set(collection, set)
    }
  for (const v of Object.values(value)) if (typeof v === "object") collectIds(collection, v, depth + 1)
}
const collectionOf = (path) => path.split("/{")[0]
for (const op of operations)
  if (op.method === "get" && !op.path.includes("{") && !op.path.endsWith(".csv")) {
    const r = await request(`${url}${op.path}`, { headers: owner.headers }, TIMEOUT_MS)
    if (r.status === 200) collectIds(op.path, r.body)
  }
const ownId = owner.me?.user?.id ?? owner.me?.id
// another organisation with a case and a customer of its own: its ids must be 404 here
const other = await request(
  `${url}/api/v1/orgs`,
  {
    method: "POST",
    headers: { ...owner.headers, "content-type": "application/json" },
    body: JSON.stringify({ name: "Fuzz other org", slug: `fuzz-${Date.now().toString(36)}` }),
  },
  TIMEOUT_MS,
)
const otherIds = []
if (other.status === 201 || other.status === 200) {
  const orgHeaders = { ...owner.headers, "content-type": "application/json", "x-tenet-org": other.body.id }
  const c = await request(
    `${url}/api/v1/process/cases`,
    {
      method: "POST",
      headers: orgHeaders,
      body: JSON.stringify({
        type: "inquiry",
        channel: "email",
        subject: "other org",
        customer: { name: "Other" },
      }),
    },
    TIMEOUT_MS,
  )
  if (typeof c.body?.id === "string") otherIds.push(c.body.id)
  if (typeof c.body?.customerId === "string") otherIds.push(c.body.customerId)
}
const someId = [...ids.values()].flatMap((set) => [...set])[0] ?? "case_0000"
const prefix = someId.includes("_") ? someId.split("_")[0] : "case"

// ---------------------------------------------------------------------------------------------
// arbitraries
// ---------------------------------------------------------------------------------------------
const MB = "x".repeat(1024 * 1024)
const deep = (n) => `${"[".repeat(n)}${"]".repeat(n)}`
const PROTO = ["__proto__", "toString", "constructor", "hasOwnProperty", "valueOf"]
const nastyString = fc.constantFrom(
  "a\u0000b",
  "\u0000",
  "\ud800",
  "x\udc00y",
  "",
  " ",
  ...PROTO,
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999Z",
  "1.5",
  "1e309",
  "-1",
  "99999999999999999999",
  "Mars/Phobos",
  "+08:00",
  "'; drop table x; --",
  "%00",
  "<script>alert(1)</script>",
  "a".repeat(300),
  "𠜎".repeat(50),
)
const nastyValue = fc.oneof(
  { weight: 6, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constant(MB) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(1.5, -1, 0, 2 ** 53, 1e308, -1e308, 2 ** 31, null, true, [], {}, [[[[]]]]),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom(...PROTO), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
  },
)
// import files: CSV and NDJSON rows, valid-ish and broken (unclosed quotes, bad JSON lines)
const fileArb = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.string({ maxLength: 12 }),
        fc.constantFrom("email", "chat", "phone"),
        fc.constantFrom("inquiry", "problem"),
      ),
      {
        maxLength: 5,
      },
    )
    .map(
      (rows) =>
        `subject,channel,type\n${rows.map((r) => r.map((c) => JSON.stringify(c)).join(",")).join("\n")}\n`,
    ),
  fc
    .array(
      fc.record({
        subject: fc.string({ maxLength: 12 }),
        channel: fc.constantFrom("email", "chat"),
        type: fc.constant("inquiry"),
      }),
      {
        maxLength: 5,
      },
    )
    .map((rows) => rows.map((r) => JSON.stringify(r)).join("\n")),
  fc.constantFrom('subject,channel\n"unclosed,email\n', "{not json\n", "\u0000\u0000", ""),
)
const date = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2035-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString())

/** An arbitrary for a JSON schema: valid-ish values, and (when `nasty`) malformed ones anywhere. */
const arbOf = (schema, nasty, depth = 0) => {
  const s = resolve(schema)
  const valid = validOf(s, nasty, depth)
  return nasty ? fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: nastyValue }) : valid
}
const validOf = (s, nasty, depth) => {
  if (depth > 6) return fc.constant(null)
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...s.enum)
  if ("const" in s) return fc.constant(s.const)
  const alts = s.anyOf ?? s.oneOf
  if (Array.isArray(alts) && alts.length) return fc.oneof(...alts.map((a) => arbOf(a, nasty, depth + 1)))
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  switch (type) {
    case "string":
      if (s.format === "date-time" || /date-time/i.test(s.description ?? "")) return date
      if (s.pattern === "^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$" || /email/i.test(s.description ?? ""))
        return fc.emailAddress()
      if (Array.isArray(s.examples) && s.examples.length)
        return fc.oneof(fc.constantFrom(...s.examples), fc.string({ minLength: 1, maxLength: 12 }))
      return fc.string({ minLength: s.minLength ?? 1, maxLength: Math.min(s.maxLength ?? 24, 24) })
    case "integer":
      return fc.integer({ min: -5, max: 1000 })
    case "number":
      return fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }))
    case "boolean":
      return fc.boolean()
    case "null":
      return fc.constant(null)
    case "array":
      return fc.array(arbOf(s.items ?? {}, nasty, depth + 1), { maxLength: 3 })
    case "object": {
      const props = s.properties ?? {}
      const required = s.required ?? []
      const shape = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbOf(v, nasty, depth + 1)]))
      const keys = Object.keys(shape)
      const record = keys.length
        ? fc.record(shape, { requiredKeys: required.filter((k) => keys.includes(k)) })
        : fc.constant({})
      const extra =
        s.additionalProperties && typeof s.additionalProperties === "object"
          ? fc.dictionary(
              nasty
                ? fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTO))
                : fc.string({ maxLength: 8 }),
              arbOf(s.additionalProperties, nasty, depth + 1),
              { maxKeys: 3 },
            )
          : fc.constant({})
      return fc.tuple(record, extra).map(([a, b]) => ({ ...b, ...a }))
    }
    default:
      // Unknown (a document, a spec): any JSON
      return fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      )
  }
}

const pathValue = (op, name) => {
  const known = [...(ids.get(collectionOf(op.path)) ?? [])].filter((id) => id !== ownId)
  return fc.oneof(
    { weight: known.length ? 6 : 0, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant("x") },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        `${prefix}_00000000000000000000000000`,
        "nope_1",
        "1",
        "0",
        "1.5",
        "-1",
        "1e309",
        "99999999999999999999",
        ...PROTO,
        ...otherIds,
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom("a\u0000b", "\ud800", "x".repeat(5000)) },
    { weight: name === "version" ? 3 : 0, arbitrary: fc.constantFrom("1", "2", "1.5", "2147483648", "1e3") },
  )
}

// ---------------------------------------------------------------------------------------------
// the requests of one operation
// ---------------------------------------------------------------------------------------------
const enc = (v) => encodeURIComponent(typeof v === "string" ? v : JSON.stringify(v))
const rawEnc = (v) => {
  // encodeURIComponent throws on a lone surrogate: encode its UTF-16 unit as WTF-8 bytes then
  try {
    return enc(v)
  } catch {
    return [...String(v)]
      .map((ch) => {
        try {
          return encodeURIComponent(ch)
        } catch {
          const u = ch.charCodeAt(0)
          return `%${(0xe0 | (u >> 12)).toString(16)}%${(0x80 | ((u >> 6) & 63)).toString(16)}%${(0x80 | (u & 63)).toString(16)}`
        }
      })
      .join("")
  }
}

const requestsOf = (op, seed) => {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === "path")
  const queryParams = (op.parameters ?? []).filter((p) => p.in === "query")
  // an upload (a file as the body) or a JSON body
  const binaryBody = Boolean(op.requestBody?.content?.["text/csv"])
  const bodySchema = binaryBody ? undefined : op.requestBody?.content?.["application/json"]?.schema
  const one = (nasty) =>
    fc.record({
      path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(op, p.name)]))),
      query: fc.record(
        Object.fromEntries(
          queryParams.map((p) => [
            p.name,
            nasty ? fc.oneof(arbOf(p.schema ?? {}, false), nastyString) : arbOf(p.schema ?? {}, false),
          ]),
        ),
        { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
      ),
      body: bodySchema ? arbOf(bodySchema, nasty) : fc.constant(undefined),
      file: binaryBody
        ? nasty
          ? fc.oneof(fileArb, nastyString, fc.string())
          : fileArb
        : fc.constant(undefined),
      anonymous: fc.integer({ min: 0, max: 99 }).map((n) => n < 10),
    })
  const samples = [
    ...fc.sample(one(false), { numRuns: Math.ceil(PER_OP / 3), seed }),
    ...fc.sample(one(true), { numRuns: PER_OP - Math.ceil(PER_OP / 3), seed: seed + 1 }),
  ]
  const build = (sample, extra = {}) => {
    let path = op.path
    for (const [k, v] of Object.entries(sample.path)) path = path.replace(`{${k}}`, rawEnc(v))
    const qs = Object.entries(sample.query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${rawEnc(k)}=${rawEnc(v)}`)
      .join("&")
    const headers = { ...(sample.anonymous ? {} : owner.headers) }
    let body
    if (sample.body !== undefined) {
      headers["content-type"] = "application/json"
      body = JSON.stringify(sample.body)
    } else if (binaryBody) {
      headers["content-type"] = "text/csv"
      body = sample.file ?? "subject,channel,type\nhello,email,inquiry\n"
    }
    return {
      url: `${url}${path}${qs ? `?${qs}` : ""}`,
      init: {
        method: op.method.toUpperCase(),
        headers: { ...headers, ...extra.headers },
        body: extra.body ?? body,
      },
      excerpt: `${path.slice(0, 120)}${qs ? `?${qs.slice(0, 160)}` : ""}${body ? ` body ${String(extra.body ?? body).slice(0, 160)}` : ""}`,
    }
  }
  const out = samples.map((x) => build(x))
  // fixed probes: query keys and values that once crashed, content types, sizes, depth
  const base = samples[0]
  const probeQuery = {
    sort: "toString",
    groupBy: "__proto__",
    filter: "__proto__:x,constructor:y",
    timeZone: "Mars/Phobos",
    from: "+275760-09-13T00:00:00.000Z",
    to: "2025-01-01T00:00:00Z",
    limit: "1.5",
  }
  const names = new Set(queryParams.map((p) => p.name))
  const probe = Object.fromEntries(Object.entries(probeQuery).filter(([k]) => names.has(k)))
  if (Object.keys(probe).length) {
    for (const [k, v] of Object.entries(probe))
      out.push(build({ ...base, anonymous: false, query: { ...base.query, [k]: v } }))
    out.push(build({ ...base, anonymous: false, query: { ...base.query, limit: "1e309" } }))
  }
  if (bodySchema) {
    const owned = { ...base, anonymous: false }
    const valid = JSON.stringify(base.body ?? {})
    out.push(build(owned, { headers: { "content-type": "text/plain" }, body: valid }))
    out.push(build(owned, { body: `{"a":"${MB}${MB}"}` }))
    out.push(build(owned, { body: deep(20_000) }))
    out.push(build(owned, { body: `{"x":${deep(200)}}` }))
    out.push(build(owned, { body: "{not json" }))
    out.push(build(owned, { body: '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}' }))
    out.push(build(owned, { body: `{"name":"a\\u0000b","team":"\\ud800","externalId":"x"}` }))
  }
  if (pathParams.length)
    out.push(
      build({
        ...base,
        anonymous: false,
        path: Object.fromEntries(pathParams.map((p) => [p.name, "toString"])),
      }),
    )
  return out
}

// ---------------------------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------------------------
const byClass = { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 }
const failures = new Map() // operation + status → first excerpt
let sent = 0
let hangs = 0
let unhealthy = 0
const covered = new Set()
const selected = operations.filter((op) => !ONLY || op.operationId === ONLY)
// reads first, then changes, deletions last (so the ids stay useful for longer)
const order = { get: 0, post: 1, put: 1, patch: 1, delete: 2 }
selected.sort((a, b) => order[a.method] - order[b.method])

const IN_FLIGHT = 4
let answersOf500 = 0
const tally = (op, r, res) => {
  sent++
  if (res.timedOut) {
    hangs++
    failures.set(`${op.operationId} hang`, r.excerpt)
    return
  }
  if (res.status === 0) {
    failures.set(`${op.operationId} no answer`, `${r.excerpt} — ${String(res.body).slice(0, 120)}`)
    return
  }
  const cls = `${Math.floor(res.status / 100)}xx`
  byClass[cls] = (byClass[cls] ?? 0) + 1
  if (res.status === 500) answersOf500++
  if (res.status >= 500) failures.set(`${op.operationId} ${res.status}`, r.excerpt)
}
const tFuzz = performance.now()
let seed = SEED
for (const op of selected) {
  seed += 7
  let reqs = requestsOf(op, seed)
  if (SELF_ENDING.has(op.operationId))
    reqs = reqs.map((r) => ({ ...r, init: { ...r.init, headers: { "content-type": "application/json" } } }))
  // a few in flight at once (the server is one process; this is loopback traffic, bounded)
  for (let i = 0; i < reqs.length; i += IN_FLIGHT) {
    const batch = reqs.slice(i, i + IN_FLIGHT)
    const answers = await Promise.all(batch.map((r) => request(r.url, r.init, TIMEOUT_MS)))
    for (let k = 0; k < answers.length; k++) tally(op, batch[k], answers[k])
  }
  covered.add(op.operationId)
  const health = await request(`${url}/healthz`, {}, TIMEOUT_MS)
  if (health.status !== 200) {
    unhealthy++
    failures.set(`${op.operationId} then /healthz ${health.status || "no answer"}`, "")
  }
  // a deletion or a role change may have ended the fuzzer's session: sign in again
  const me = await request(`${url}/api/v1/auth/me`, { headers: owner.headers }, TIMEOUT_MS)
  if (me.status === 401) owner = await signIn(url, "owner@demo.tenet.local")
}

s.figure("server start (s)", (startMs / 1000).toFixed(1))
s.figure("fuzzing (s)", ((performance.now() - tFuzz) / 1000).toFixed(1))
s.figure("requests sent", sent)
s.figure("operations covered", `${covered.size} of ${operations.length}`)
s.figure(
  "answers by status class",
  Object.entries(byClass)
    .map(([k, v]) => `${k} ${v}`)
    .join(", "),
)
s.figure("answers of 500", answersOf500)
s.figure("distinct failures (operation + input excerpt)", failures.size)
s.figure("hangs (timeouts)", hangs)
for (const [k, v] of failures) console.log(`    ${k}: ${v}`)
s.check(
  "every operation of the OpenAPI document covered",
  covered.size === (ONLY ? selected.length : operations.length),
  `${covered.size} of ${operations.length}`,
)
s.check(
  "no answer of 5xx",
  ![...failures.keys()].some((k) => / 5\d\d$/.test(k) || k.endsWith("no answer")),
  `${failures.size} distinct failures`,
)
s.check("no request hung", hangs === 0, `${hangs} timeouts of ${TIMEOUT_MS} ms`)
s.check("/healthz answered after every operation", unhealthy === 0, `${unhealthy} times not`)
s.check(`at least ${FAST ? 500 : 6000} requests sent`, sent >= (FAST ? 500 : 6000), String(sent))
await server?.stop()
s.done()
