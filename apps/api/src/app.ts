/**
 * The HTTP app: health, auth, organisations, members, API keys, audit, OpenAPI and docs,
 * and (in production) the built admin app on the same port. Export `createApp` so tests
 * drive it with `app.request()`; `server.ts` binds it to a port.
 */
import { existsSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { serveStatic } from "@hono/node-server/serve-static"
import { DataClasses, type Db, Db as DbModule, Errors } from "@tenet/core"
import { loadPlugins, type PluginHost } from "@tenet/plugin-sdk/host"
import { type Context, Hono } from "hono"
import { getCookie } from "hono/cookie"
import { requestId } from "hono/request-id"
import { secureHeaders } from "hono/secure-headers"
import type { AuditSigner } from "./audit/checkpoints"
import { type Endpoint, register } from "./http/endpoint"
import type { AppEnv, Auth } from "./http/env"
import { openApiDocument } from "./http/openapi"
import { hstsMaxAge, isHttps, type OriginPolicy, sameOrigin } from "./http/origin"
import { type InputLimits, inputPolicy, limitsFromEnv } from "./http/policy"
import { problemResponse, toProblem } from "./http/problem"
import { registerReadRouting, registerReportBound } from "./http/reads"
import { cachedSession, forgetSessions } from "./iam/authCache"
import * as Iam from "./iam/service"
import { wireContracts } from "./modules"
import { apiKeyEndpoints } from "./routes/apikeys"
import { auditEndpoints } from "./routes/audit"
import { authEndpoints, SESSION_COOKIE } from "./routes/auth"
import { cultureEndpoints } from "./routes/culture/index"
import { feedbackEndpoints } from "./routes/feedback"
import { improvementEndpoints } from "./routes/improvements"
import { memberEndpoints } from "./routes/members"
import { notificationEndpoints } from "./routes/notifications"
import { orgEndpoints } from "./routes/org"
import { piEndpoints } from "./routes/pi"
import { pluginEndpoints } from "./routes/plugins"
import { privacyEndpoints } from "./routes/privacy"
import { processEndpoints, processStreamDocs, registerProcessStreams } from "./routes/process"
import { qualityEndpoints } from "./routes/quality"
import { registerReportStreams, reportEndpoints, reportStreamDocs } from "./routes/reports"
import { riskEndpoints } from "./routes/risk"
import { ssoEndpoints } from "./routes/sso"
import { registerStandardsStreams, standardsEndpoints } from "./routes/standards"
import { webhookEndpoints } from "./routes/webhooks"
import { workforceEndpoints } from "./routes/workforce"
import { VERSION } from "./version"
import { openApiWebhooks } from "./webhooks/catalogue"

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
  /** The input limits (default: from the environment, see `limitsFromEnv`). */
  readonly limits?: InputLimits
  /** Extra endpoints contributed by modules. */
  readonly endpoints?: ReadonlyArray<Endpoint>
  /** The public URL, trusted proxies and listening address (own origin, Secure cookies, client address). */
  readonly origin?: OriginPolicy
  /** The audit checkpoint signer (the server's key), for the checkpoint endpoints. */
  readonly auditSigner?: AuditSigner | undefined
  /** On PostgreSQL, each statement of a report is cancelled after this (default 30 s; 0: no bound). */
  readonly reportTimeoutMs?: number | undefined
}

export const ENDPOINTS: ReadonlyArray<Endpoint> = [
  ...authEndpoints,
  ...orgEndpoints,
  ...memberEndpoints,
  ...apiKeyEndpoints,
  ...auditEndpoints,
  // before the process routes: /customers/lookup is not a customer id
  ...piEndpoints,
  ...processEndpoints,
  ...standardsEndpoints,
  ...qualityEndpoints,
  ...pluginEndpoints,
  ...improvementEndpoints,
  ...reportEndpoints,
  ...notificationEndpoints,
  ...webhookEndpoints,
  ...riskEndpoints,
  ...privacyEndpoints,
  ...workforceEndpoints,
  ...cultureEndpoints,
  ...feedbackEndpoints,
  ...ssoEndpoints,
]

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"])
/** Changes under these paths never touch who a person is or may be (no session is forgotten). */
const DOMAIN_PATHS =
  /^\/api\/v1\/(process|standards|quality|improvements|metrics|dashboard|compliance|risk|culture|feedback|public\/surveys)\//

const resolveAuth = async (db: Db.Database, c: Context<AppEnv>): Promise<Auth | undefined> => {
  const header = c.req.header("authorization")
  if (header?.startsWith("Bearer ")) {
    const key = await Iam.authenticateApiKey(db, header.slice(7).trim())
    if (!key) throw new Errors.UnauthorizedError({ message: "the API key is unknown or revoked" })
    return { kind: "api_key", apiKeyId: key.id, orgId: key.orgId, role: key.role, memberships: [] }
  }
  const token = getCookie(c, SESSION_COOKIE)
  if (!token) return undefined
  const who = await cachedSession(db, token, async () => {
    const user = await Iam.userFromSession(db, token)
    return user ? { user, memberships: await Iam.membershipsOf(db, user.id) } : undefined
  })
  if (!who) return undefined
  const { user, memberships } = who
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

/**
 * The OpenAPI document the server answers at /api/v1/openapi.json; `@tenet/client` is generated from
 * its committed copy (packages/client/openapi.json, kept equal by test/openapi-committed.test.ts).
 */
export const apiDocument = (endpoints: ReadonlyArray<Endpoint> = ENDPOINTS) => ({
  ...openApiDocument(endpoints, { version: VERSION }, [...processStreamDocs, ...reportStreamDocs]),
  webhooks: openApiWebhooks(),
})

export const createApp = (options: AppOptions) => {
  const { db } = options
  wireContracts()
  // the personal data loaded plugins declare joins the inventory, retention and subject requests
  if (typeof options.plugins?.dataClasses === "function") DataClasses.register(options.plugins.dataClasses())
  const endpoints = [...ENDPOINTS, ...(options.endpoints ?? [])]
  const app = new Hono<AppEnv>()
  const limits = options.limits ?? limitsFromEnv()

  const policy: OriginPolicy = options.origin ?? {}
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
    // HSTS only over TLS (below): a plain-HTTP start on a laptop must not pin the host to HTTPS
    strictTransportSecurity: false,
  })
  // the API reference (Scalar) injects styles, fonts and images as data: URLs and runs in a worker;
  // its script and set-up are our own files (no inline script)
  const docsHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:"],
      fontSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", "blob:"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      objectSrc: ["'none'"],
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
  })
  app.use(async (c, next) => (c.req.path.startsWith("/api/docs") ? docsHeaders(c, next) : headers(c, next)))
  // HSTS when served over TLS: directly, behind a trusted proxy that says X-Forwarded-Proto: https,
  // or when TENET_PUBLIC_URL is https (docs/encryption.md, "Transport")
  app.use(async (c, next) => {
    await next()
    if (isHttps(c, policy))
      c.header("Strict-Transport-Security", `max-age=${hstsMaxAge()}; includeSubDomains`)
  })
  const noPlugins = loadPlugins([])
  app.use(async (c, next) => {
    c.set("db", db)
    c.set("origin", policy)
    c.set("auditSigner", options.auditSigner)
    c.set("plugins", options.plugins ?? (await noPlugins))
    await next()
  })
  // the input policy first: no module (nor the sign-in) sees input it refuses
  app.use("/api/*", inputPolicy(limits))
  app.use("/api/*", async (c, next) => {
    const auth = await resolveAuth(db, c)
    c.set("auth", auth)
    // CSRF: a cookie-authenticated change must show it comes from our own origin, and no browser
    // request from another origin may change anything, signed in or not (a sign-in from a foreign
    // page is login CSRF). Own origin: TENET_PUBLIC_URL, else the listening address — never Host.
    if (UNSAFE.has(c.req.method) && auth?.kind !== "api_key") {
      const same = sameOrigin(c, policy)
      if (same === false || (same === undefined && auth?.kind === "session"))
        throw new Errors.ForbiddenError({
          message:
            "cross-site request refused (CSRF protection): send it from the Tenet app (behind a proxy or on another address, set TENET_PUBLIC_URL)",
        })
    }
    try {
      await next()
    } finally {
      // a change outside the domain modules (people, roles, organisations, keys, sessions) makes
      // this process resolve every session again (see iam/authCache.ts)
      if (UNSAFE.has(c.req.method) && !DOMAIN_PATHS.test(c.req.path)) forgetSessions(db)
    }
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
      return c.json({
        status: "ok",
        version: VERSION,
        database: {
          kind: db.kind,
          version,
          ms,
          ...(db.reads ? { replica: db.reads.stats().state } : {}),
        },
      })
    } catch (e) {
      const reason = e instanceof Error && e.message === "timeout" ? "timeout" : "error"
      return c.json({ status: "error", version: VERSION, database: { kind: db.kind, reason } }, 503)
    } finally {
      clearTimeout(timer)
    }
  })

  // reports from the read replica with read-your-writes (DATABASE_READ_URL only)
  registerReportBound(app, db, options.reportTimeoutMs ?? 30_000)
  registerReadRouting(app, db)
  // before the process and standards streams: their CSV routes answer format=xlsx here
  registerReportStreams(app)
  registerProcessStreams(app, limits)
  registerStandardsStreams(app)
  register(app, endpoints, limits)

  const openapi = apiDocument(endpoints)
  app.get("/api/v1/openapi.json", (c) => c.json(openapi))
  app.get("/api/docs", (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tenet API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="app" data-url="/api/v1/openapi.json"></div><script src="/api/docs/standalone.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`),
  )
  app.get("/api/docs/init.js", (c) =>
    c.body(
      "Scalar.createApiReference('#app', { url: document.getElementById('app').dataset.url, hideClientButton: true, withDefaultFonts: false })\n",
      200,
      { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
    ),
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
      // the app's routes get its page; a missing file (or API path) is a 404, not the page
      if (
        c.req.path.startsWith("/api/") ||
        c.req.path.startsWith("/assets/") ||
        c.req.path === "/favicon.svg"
      )
        return next()
      return c.html(index)
    })
  }

  app.notFound((c) =>
    problemResponse(c, {
      type: "about:blank",
      title: "Not found",
      status: 404,
      detail: `no route for ${c.req.method} ${c.req.path}`,
      code: "noRoute",
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
