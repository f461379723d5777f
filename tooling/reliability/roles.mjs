// The organisation × role × operation matrix, generated from the live OpenAPI document
// (`x-tenet-permission` on each operation) and GET /api/v1/meta/roles (what each role may do).
//
// A second organisation ("rival") is made with its own owner and data. Then, for every operation
// that names a permission, every role — as a signed-in demo person (session cookie) and as an API
// key of that role — calls it on its own organisation's resources and on the rival's resource ids.
// Figures: calls made, leaks (a rival resource returned or changed: a 2xx on a rival id, a rival id
// in an answer, or the rival's audit log grown — must be 0), role violations against the published
// matrix (allowed → not 403, not allowed → 403; must be 0), answers of 500.
// Own-organisation calls never destroy anything: deletions and body-less changes get an id that does
// not exist (an allowed role must get past the permission check to a 404), changes with a body get `{}`
// (an allowed role gets past the permission check to a 400).
// --fast samples about 40 % of the operations (more of those that take a resource id); the full run
// covers every operation.
import { DEMO_PASSWORD, demoEmail, FAST, ROLES, request, signIn, startServer, suite } from "./lib.mjs"

const s = suite("roles")
const t0 = performance.now()
const server = await startServer({ demoDays: 1 })
const startedIn = performance.now() - t0
try {
  const base = server.url
  const json = (headers, body) => ({
    ...headers,
    ...(body !== undefined ? { "content-type": "application/json" } : {}),
  })
  const call = (method, path, headers, body) =>
    request(`${base}${path}`, {
      method,
      headers: json(headers, body),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })

  // --- the published matrix and the document -------------------------------------------------
  const owner = await signIn(base, demoEmail("owner"))
  const demoOrg = owner.me.memberships.find((m) => m.slug === "demo").orgId
  const asOwnerOf = (org) => ({ ...owner.headers, "x-tenet-org": org })
  const doc = (await call("GET", "/api/v1/openapi.json", {})).body
  const meta = (await call("GET", "/api/v1/meta/roles", asOwnerOf(demoOrg))).body
  const allowed = new Map(meta.roles.map((r) => [r.role, new Set(r.permissions)]))
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op["x-tenet-permission"])
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        id: op.operationId,
        permission: op["x-tenet-permission"],
        hasBody: Boolean(op.requestBody),
        bodySchema: op.requestBody?.content?.["application/json"]?.schema,
      })),
  )
  // a small valid body from a JSON schema: required properties, first enum value, plausible formats
  const sampleOf = (schema, depth = 0) => {
    if (!schema || depth > 6) return undefined
    if (schema.$ref) return sampleOf(doc.components.schemas[schema.$ref.split("/").at(-1)], depth + 1)
    if (schema.const !== undefined) return schema.const
    if (schema.enum) return schema.enum[0]
    for (const k of ["anyOf", "oneOf", "allOf"]) if (schema[k]) return sampleOf(schema[k][0], depth + 1)
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type
    if (type === "object" || schema.properties) {
      const out = {}
      for (const k of schema.required ?? []) out[k] = sampleOf(schema.properties?.[k] ?? {}, depth + 1)
      return out
    }
    if (type === "array") return []
    if (type === "integer" || type === "number") return Math.max(1, schema.minimum ?? 1)
    if (type === "boolean") return true
    if (schema.format === "date-time") return new Date().toISOString()
    if (schema.format === "email") return "matrix@example.com"
    return "matrix"
  }
  s.figure("operations with a permission", operations.length)
  s.check(
    "every role of /meta/roles has demo people",
    ROLES.every((r) => allowed.has(r)),
  )

  // --- the rival organisation, its own owner and data -----------------------------------------
  const rivalOrg = (await call("POST", "/api/v1/orgs", owner.headers, { name: "Rival 对手", slug: "rival" }))
    .body.id
  const rivalEmail = "owner@rival.tenet.local"
  const inv = await call("POST", "/api/v1/invitations", asOwnerOf(rivalOrg), {
    email: rivalEmail,
    role: "owner",
  })
  await call(
    "POST",
    "/api/v1/auth/accept-invitation",
    {},
    { token: inv.body.token, name: "Rival Owner", password: DEMO_PASSWORD },
  )
  const rivalOwner = await signIn(base, rivalEmail)
  const asRival = { ...rivalOwner.headers, "x-tenet-org": rivalOrg }
  // the demo owner leaves: nobody of the demo organisation belongs to the rival one
  await call("DELETE", `/api/v1/members/${owner.me.user.id}`, asRival)
  const seeded = await Promise.all([
    call("POST", "/api/v1/process/cases", asRival, {
      type: "complaint",
      channel: "email",
      subject: "rival case",
      customer: { externalId: "rival-1", name: "Rival Customer" },
    }),
    call("POST", "/api/v1/plugins/copc-baseline/standards/copc-aligned-baseline/install", asRival),
    call("POST", "/api/v1/invitations", asRival, { email: "someone@rival.tenet.local", role: "agent" }),
    call("POST", "/api/v1/api-keys", asRival, { name: "rival key", role: "agent" }),
    call("POST", "/api/v1/process/views", asRival, { name: "rival view", query: { status: "open" } }),
  ])
  // and an improvement cycle, a QA scorecard and a calibration session (two cases, two evaluators)
  const qa = await call("POST", "/api/v1/invitations", asRival, {
    email: "qa@rival.tenet.local",
    role: "qa_analyst",
  })
  const qaUser = await call(
    "POST",
    "/api/v1/auth/accept-invitation",
    {},
    { token: qa.body?.token, name: "Rival QA", password: DEMO_PASSWORD },
  )
  const secondCase = await call("POST", "/api/v1/process/cases", asRival, {
    type: "inquiry",
    channel: "chat",
    subject: "rival case 2",
    customer: { externalId: "rival-1", name: "Rival Customer" },
  })
  const template = (await call("GET", "/api/v1/quality/scorecards", asRival)).body?.template
  const card = await call("POST", "/api/v1/quality/scorecards", asRival, {
    name: "rival QA",
    definition: template,
  })
  const more = [
    await call("POST", "/api/v1/improvements/cycles", asRival, { workflowId: "pdca", title: "rival cycle" }),
    card,
    await call("POST", "/api/v1/quality/calibrations", asRival, {
      scorecardId: card.body?.id,
      name: "rival calibration",
      caseIds: [seeded[0].body?.id, secondCase.body?.id],
      evaluators: [rivalOwner.me.user.id, qaUser.body?.userId],
    }),
    // a webhook subscription (an address literal: no name to resolve; only test events, none sent)
    await call("POST", "/api/v1/webhooks", asRival, {
      url: "https://1.1.1.1/rival-hooks",
      eventTypes: ["webhook.test"],
      description: "rival webhook",
    }),
  ]
  s.check(
    "the rival organisation has its own case, standard, invitation, key, view, cycle, scorecard, calibration and webhook",
    [...seeded, ...more].every((r) => r.status === 201 || r.status === 200),
    [...seeded, ...more].map((r) => r.status).join(", "),
  )

  // --- resolving path parameters in an organisation -------------------------------------------
  const itemsOf = (body) => (Array.isArray(body) ? body : Array.isArray(body?.items) ? body.items : [])
  const pick = (item, param) =>
    item?.[param] ??
    (param === "version"
      ? (item?.latestVersion ?? item?.currentVersion ?? item?.version ?? item?.versions?.[0]?.version)
      : undefined) ??
    (param === "userId" ? item?.userId : undefined) ??
    item?.id ??
    item?.key
  const resolve = async (path, headers) => {
    let out = path
    let lastItem
    let lastBody
    for (const m of path.matchAll(/\{(\w+)\}/g)) {
      const prefix = out.slice(0, out.indexOf(m[0]) - 1)
      const r = await call("GET", prefix, headers)
      let value
      if (r.status === 200) {
        lastBody = r.body
        lastItem = itemsOf(r.body)[0]
        value = pick(lastItem, m[1])
      } else {
        // no list there: the parent item, or a list of that name in the last answer
        const named = lastBody?.[prefix.split("/").at(-1)]
        const parentId = lastItem?.id
        const fromNamed = Array.isArray(named)
          ? (named.find((x) => Object.values(x).includes(parentId)) ?? named[0])
          : undefined
        value = fromNamed ? pick(fromNamed, m[1]) : lastItem ? pick(lastItem, m[1]) : undefined
      }
      out = out.replace(m[0], encodeURIComponent(String(value ?? "none")))
    }
    return out
  }

  // fast: a third of the operations, and a third more of those that take a resource id
  const sample = FAST
    ? operations.filter((op, i) => i % 3 === 0 || (op.path.includes("{") && i % 3 === 1))
    : operations
  const resolved = []
  for (const op of sample) {
    const own = op.path.includes("{") ? await resolve(op.path, asOwnerOf(demoOrg)) : op.path
    const rival = op.path.includes("{") ? await resolve(op.path, asRival) : op.path
    resolved.push({ ...op, own, rival })
  }
  // generated ids only (a prefix and a time-ordered random part): a key an organisation chooses, such
  // as a team's "complaints", may exist in both organisations and is no sign of a leak
  const GENERATED = /^[a-z]+_[0-9A-HJKMNP-TV-Z]{20,}$|^[0-9a-f-]{36}$/
  const rivalIds = new Set(
    resolved.flatMap((op) =>
      op.rival
        .split("/")
        .filter((seg, i) => seg !== op.own.split("/")[i] && seg !== "none")
        .map(decodeURIComponent)
        .filter((id) => GENERATED.test(id)),
    ),
  )
  // and what the rival organisation was seeded with
  for (const id of [
    rivalOrg,
    rivalOwner.me.user.id,
    seeded[0].body?.id,
    seeded[1].body?.id,
    seeded[2].body?.invitation?.id,
    seeded[3].body?.key?.id,
    seeded[4].body?.id,
    more.at(-1).body?.subscription?.id,
  ])
    if (typeof id === "string") rivalIds.add(id)
  s.figure("rival resource ids known", rivalIds.size)
  const rivalAuditBefore = (await call("GET", "/api/v1/audit?limit=1", asRival)).body.total

  // --- principals: a session and an API key per role ------------------------------------------
  const principals = []
  for (const role of ROLES) {
    const person = role === "owner" ? owner : await signIn(base, demoEmail(role))
    principals.push({ role, kind: "session", headers: { ...person.headers, "x-tenet-org": demoOrg } })
    const key = await call("POST", "/api/v1/api-keys", asOwnerOf(demoOrg), { name: `matrix ${role}`, role })
    principals.push({ role, kind: "key", headers: { authorization: `Bearer ${key.body.secret}` } })
  }

  // --- the matrix -----------------------------------------------------------------------------
  const tMatrix = performance.now()
  let calls = 0
  let crossOrgCalls = 0
  const leaks = []
  const violations = []
  const errors = []
  const probesRival = (op) =>
    op.rival
      .split("/")
      .filter((seg, i) => seg !== op.own.split("/")[i])
      .every((seg) => GENERATED.test(decodeURIComponent(seg)))
  const bogus = (path, template) =>
    template.includes("{") ? template.replace(/\{(\w+)\}/g, "zz_does_not_exist") : path
  for (const op of resolved) {
    const destructive = op.method !== "GET" && !op.hasBody
    const body = op.hasBody ? {} : undefined
    for (const p of principals) {
      const may = allowed.get(p.role).has(op.permission)
      // own organisation: the permission decides
      const ownPath = destructive ? bogus(op.own, op.path) : op.own
      const r = await call(op.method, ownPath, p.headers, body)
      calls++
      if (r.status >= 500) errors.push(`${op.method} ${ownPath} as ${p.role} ${p.kind}: ${r.status}`)
      if (r.status >= 200 && r.status < 300) {
        const text = typeof r.body === "string" ? r.body : JSON.stringify(r.body)
        const shown = [...rivalIds].find((id) => id.length > 6 && text.includes(id))
        if (shown) leaks.push(`${op.id} as ${p.role} ${p.kind} in its own organisation shows rival ${shown}`)
      }
      const ok = may ? r.status !== 403 && r.status !== 401 : r.status === 403
      if (!ok)
        violations.push(
          `${op.id} (${op.permission}) as ${p.role} ${p.kind}: ${r.status}, expected ${may ? "not 403" : "403"}`,
        )
      // the rival's ids, from the caller's own organisation, with a valid body where one is needed
      // (only generated ids probe the rival: a chosen key such as a team's "complaints", or "none"
      // where the rival has no such resource, names something in the caller's own organisation)
      if (op.rival !== op.own && probesRival(op)) {
        const x = await call(
          op.method,
          op.rival,
          p.headers,
          op.hasBody ? (sampleOf(op.bodySchema) ?? {}) : undefined,
        )
        calls++
        crossOrgCalls++
        if (x.status >= 500) errors.push(`${op.method} ${op.rival} as ${p.role} ${p.kind}: ${x.status}`)
        // a refusal may echo the id it was given; an answer of 2xx on a rival id is a leak
        if (x.status >= 200 && x.status < 300)
          leaks.push(`${op.id} as ${p.role} ${p.kind} on ${op.rival}: ${x.status}`)
        else if (may && x.status === 403)
          violations.push(`${op.id} as ${p.role} ${p.kind} on a rival id: 403 although allowed`)
      }
    }
  }
  // a session naming the rival organisation is refused; a key cannot reach it either
  for (const p of principals) {
    const r = await call("GET", "/api/v1/process/cases", { ...p.headers, "x-tenet-org": rivalOrg })
    calls++
    crossOrgCalls++
    const text = JSON.stringify(r.body)
    if (
      p.kind === "session"
        ? r.status !== 404
        : text.includes(rivalOrg) || [...rivalIds].some((id) => text.includes(id))
    )
      leaks.push(`X-Tenet-Org: rival as ${p.role} ${p.kind}: ${r.status}`)
  }
  const rivalAuditAfter = (await call("GET", "/api/v1/audit?limit=1", asRival)).body.total
  if (rivalAuditAfter !== rivalAuditBefore)
    leaks.push(`the rival's audit log grew from ${rivalAuditBefore} to ${rivalAuditAfter} records`)

  s.figure("server start (s)", (startedIn / 1000).toFixed(1))
  s.figure("matrix (s)", ((performance.now() - tMatrix) / 1000).toFixed(1))
  s.figure("operations called", `${resolved.length} of ${operations.length}`)
  const templated = resolved.filter((op) => op.path.includes("{"))
  const onRival = templated.filter((op) => op.rival !== op.own && probesRival(op))
  s.figure("operations taking an id, called with the rival's ids", `${onRival.length} of ${templated.length}`)
  const without = templated.filter((op) => op.rival === op.own || !probesRival(op)).map((op) => op.id)
  if (without.length)
    console.log(
      `    no rival resource (or a shared id such as a metric or plugin) for: ${without.join(", ")}`,
    )
  s.figure("principals", `${principals.length} (6 roles × session, API key)`)
  s.figure("calls made", calls)
  s.figure("cross-organisation calls", crossOrgCalls)
  s.figure("leaks", leaks.length)
  s.figure("role violations", violations.length)
  s.figure("answers of 500", errors.length)
  for (const l of [...leaks, ...violations, ...errors].slice(0, 20)) console.log(`    ${l}`)
  s.check("0 leaks: another organisation's data never returned or changed", leaks.length === 0)
  s.check("0 role violations against /meta/roles", violations.length === 0)
  s.check("no answer of 500", errors.length === 0)
} finally {
  await server.stop()
}
s.done()
