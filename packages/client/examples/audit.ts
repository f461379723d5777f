/**
 * An example of @tenet/client against a started server (CI runs it: packages/client/test/example.test.ts).
 *   TENET_URL=http://localhost:3000 TENET_EMAIL=… TENET_PASSWORD=… node examples/audit.ts
 * Signs in, makes an API key, reads the organisation with it, pages through the audit log and shows a
 * problem answer. One line per outcome.
 */
import { collect, createTenetClient, isProblem, TenetProblem, unwrap } from "@tenet/client"

const baseUrl = process.env.TENET_URL ?? "http://localhost:3000"
const email = process.env.TENET_EMAIL ?? "owner@demo.tenet.local"
const password = process.env.TENET_PASSWORD ?? "tenet-demo-2026"

// 1. sign in with a password: the session token is the tenet_session cookie
const anonymous = createTenetClient({ baseUrl, headers: { origin: baseUrl } })
const signIn = await anonymous.POST("/api/v1/auth/sign-in", { body: { email, password } })
if (signIn.error) throw new TenetProblem(signIn.response.status, signIn.error)
const session = /tenet_session=([^;]+)/.exec(signIn.response.headers.get("set-cookie") ?? "")?.[1]
if (!session) throw new Error("the sign-in set no session cookie")
const me = await unwrap(createTenetClient({ baseUrl, session }).GET("/api/v1/auth/me"))
if (!("user" in me)) throw new Error("a session answers a person")
console.log(`signed in as ${me.user.email} (${me.memberships.length} organisation(s))`)

// 2. an API key for scripts (Settings → API keys does the same)
const asOwner = createTenetClient({ baseUrl, session, org: me.memberships[0]?.orgId })
const created = await unwrap(
  asOwner.POST("/api/v1/api-keys", { body: { name: "client example", role: "auditor" } }),
)
console.log(`created API key ${created.key.prefix}… with role ${created.key.role}`)

// 3. the typed client with the API key
const client = createTenetClient({ baseUrl, apiKey: created.secret })
const org = await unwrap(client.GET("/api/v1/org"))
console.log(`organisation ${org.name} (${org.slug}), time zone ${org.timeZone}`)

// 4. every page of the audit log, 2 records a page
const records = await collect((cursor) =>
  unwrap(client.GET("/api/v1/audit", { params: { query: { limit: "2", ...(cursor ? { cursor } : {}) } } })),
)
console.log(`read ${records.length} audit records, the last: ${records.at(-1)?.action ?? "none"}`)

// 5. a problem answer as a typed value (an auditor may not create API keys)
const refused = await client.POST("/api/v1/api-keys", { body: { name: "not allowed", role: "owner" } })
if (isProblem(refused.error))
  console.log(`refused as expected: ${refused.error.status} ${refused.error.title}`)
else throw new Error("an auditor created an API key")
