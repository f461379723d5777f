/**
 * The HTTP app: health, auth, organisations, members, API keys, audit, OpenAPI and docs,
 * and (in production) the built admin app on the same port. Export `createApp` so tests
 * drive it with `app.request()`; `server.ts` binds it to a port.
 */
import { existsSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { serveStatic } from "@hono/node-server/serve-static"
import { type Db, Db as DbModule, Errors } from "@tenet/core"
import { loadPlugins, type PluginHost } from "@tenet/plugin-sdk/host"
import { Hono } from "hono"
import { getCookie } from "hono/cookie"
import { requestId } from "hono/request-id"
import { secureHeaders } from "hono/secure-headers"
import { type Endpoint, openApiDocument, register } from "./http/endpoint"
import type { AppEnv, Auth } from "./http/env"
import { problemResponse, toProblem } from "./http/problem"
import * as Iam from "./iam/service"
import { apiKeyEndpoints } from "./routes/apikeys"
import { auditEndpoints } from "./routes/audit"
import { authEndpoints, SESSION_COOKIE } from "./routes/auth"
import { improvementEndpoints } from "./routes/improvements"
import { memberEndpoints } from "./routes/members"
import { orgEndpoints } from "./routes/org"
import { processEndpoints, registerProcessStreams } from "./routes/process"
import { qualityEndpoints } from "./routes/quality"
import { registerStandardsStreams, standardsEndpoints } from "./routes/standards"
import { VERSION } from "./version"

/** How long /readyz waits for the database before it answers 503. */
const READY_LIMIT_MS = 5_000

export interface AppOptions {
  readonly db: Db.Database
  /** Folder of the built admin app; served at / when present. */
  readonly adminDir?: string | undefined
  /** Log unexpected errors (default: console.error). */
  readonly logError?: (error: unknown, requestId: string) => void
  /** The loaded plugins (default: none). */
  readonly plugins?: PluginHost
  /** Extra endpoints contributed by modules. */
  readonly endpoints?: ReadonlyArray<Endpoint>
}

export const ENDPOINTS: ReadonlyArray<Endpoint> = [
  ...authEndpoints,
  ...orgEndpoints,
  ...memberEndpoints,
  ...apiKeyEndpoints,
  ...auditEndpoints,
  ...processEndpoints,
  ...standardsEndpoints,
  ...qualityEndpoints,
  ...improvementEndpoints,
]

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"])

const resolveAuth = async (db: Db.Database, c: any): Promise<Auth | undefined> => {
  const header = c.req.header("authorization")
  if (header?.startsWith("Bearer ")) {
    const key = await Iam.authenticateApiKey(db, header.slice(7).trim())
    if (!key) throw new Errors.UnauthorizedError({ message: "the API key is unknown or revoked" })
    return { kind: "api_key", apiKeyId: key.id, orgId: key.orgId, role: key.role, memberships: [] }
  }
  const token = getCookie(c, SESSION_COOKIE)
  if (!token) return undefined
  const user = await Iam.userFromSession(db, token)
  if (!user) return undefined
  const memberships = await Iam.membershipsOf(db, user.id)
  const wanted = c.req.header("x-tenet-org")
  const current = wanted ? memberships.find((m) => m.orgId === wanted || m.slug === wanted) : memberships[0]
  if (wanted && !current) throw new Errors.NotFoundError({ entity: "organization", id: wanted })
  return {
    kind: "session",
    user,
    memberships,
    ...(current ? { orgId: current.orgId, role: current.role } : {}),
  }
}

export const createApp = (options: AppOptions) => {
  const { db } = options
  const endpoints = [...ENDPOINTS, ...(options.endpoints ?? [])]
  const app = new Hono<AppEnv>()

  app.use(requestId())
  // built once (it was rebuilt on every request)
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
    crossOriginEmbedderPolicy: false,
  })
  app.use(async (c, next) => (c.req.path.startsWith("/api/docs") ? next() : headers(c, next)))
  const noPlugins = loadPlugins([])
  app.use(async (c, next) => {
    c.set("db", db)
    c.set("plugins", options.plugins ?? (await noPlugins))
    await next()
  })
  app.use("/api/*", async (c, next) => {
    const auth = await resolveAuth(db, c)
    c.set("auth", auth)
    // CSRF: a cookie-authenticated change must come from our own origin.
    if (auth?.kind === "session" && UNSAFE.has(c.req.method)) {
      const origin = c.req.header("origin")
      const site = c.req.header("sec-fetch-site")
      const own = new URL(c.req.url).origin
      const sameOrigin = origin ? origin === own : site ? site === "same-origin" || site === "none" : false
      if (!sameOrigin)
        throw new Errors.ForbiddenError({
          message: "cross-site request refused (CSRF protection): send it from the Tenet app",
        })
    }
    await next()
  })

  // Liveness: the process answers; it never waits behind the database's queue.
  app.get("/healthz", (c) => c.json({ status: "ok", version: VERSION, database: { kind: db.kind } }))
  // Readiness: the database answers a query within READY_LIMIT_MS (503 otherwise).
  app.get("/readyz", async (c) => {
    const t0 = performance.now()
    let timer: NodeJS.Timeout | undefined
    try {
      const version = await Promise.race([
        DbModule.serverVersion(db),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("timeout")), READY_LIMIT_MS)
        }),
      ])
      const ms = Math.round(performance.now() - t0)
      return c.json({ status: "ok", version: VERSION, database: { kind: db.kind, version, ms } })
    } catch (e) {
      const reason = e instanceof Error && e.message === "timeout" ? "timeout" : "error"
      return c.json({ status: "error", version: VERSION, database: { kind: db.kind, reason } }, 503)
    } finally {
      clearTimeout(timer)
    }
  })

  registerProcessStreams(app)
  registerStandardsStreams(app)
  register(app, endpoints)

  const openapi = openApiDocument(endpoints, { version: VERSION })
  app.get("/api/v1/openapi.json", (c) => c.json(openapi))
  app.get("/api/docs", (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tenet API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="app"></div><script src="/api/docs/standalone.js"></script>
<script>Scalar.createApiReference('#app', { url: '/api/v1/openapi.json', hideClientButton: true, withDefaultFonts: false })</script>
</body></html>`),
  )
  let scalar: string | undefined
  app.get("/api/docs/standalone.js", (c) => {
    scalar ??= readFileSync(
      join(
        createRequire(import.meta.url)
          .resolve("@scalar/api-reference")
          .replace(/dist\/.*$/, "dist/"),
        "browser/standalone.js",
      ),
      "utf8",
    )
    return c.body(scalar, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    })
  })

  const adminDir = options.adminDir
  if (adminDir && existsSync(join(adminDir, "index.html"))) {
    const index = readFileSync(join(adminDir, "index.html"), "utf8")
    app.use("/assets/*", serveStatic({ root: adminDir }))
    app.use("/favicon.svg", serveStatic({ root: adminDir }))
    app.get("*", async (c, next) => {
      if (c.req.path.startsWith("/api/")) return next()
      return c.html(index)
    })
  }

  app.notFound((c) =>
    problemResponse(c, {
      type: "about:blank",
      title: "Not found",
      status: 404,
      detail: `no route for ${c.req.method} ${c.req.path}`,
    }),
  )
  app.onError((error, c) => {
    const { problem, headers } = toProblem(error, c.req.path)
    if (problem.status >= 500)
      (options.logError ?? ((e, id) => console.error(`[${id}]`, e)))(error, c.get("requestId"))
    return problemResponse(c, problem, headers)
  })
  return app
}
