import { type Db, Organizations, Tenancy } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { cultureMigrations } from "@tenet/culture"
import { feedbackMigrations } from "@tenet/feedback"
import a3 from "@tenet/plugin-a3"
import capa from "@tenet/plugin-capa"
import copc from "@tenet/plugin-copc-baseline"
import dmaic from "@tenet/plugin-dmaic"
import eightD from "@tenet/plugin-eight-d"
import example from "@tenet/plugin-example-standard"
import pdca from "@tenet/plugin-pdca"
import { loadPlugins } from "@tenet/plugin-sdk/host"
import { processMigrations } from "@tenet/process"
import { riskMigrations } from "@tenet/risk"
import { standardsMigrations } from "@tenet/standards"
import { createApp } from "../src/app"
import { iamMigrations } from "../src/iam/migrations"
import * as Iam from "../src/iam/service"
import { notifyMigrations } from "../src/notify/migrations"
import { reportsMigrations } from "../src/reports/migrations"

export const ORIGIN = "http://localhost"

export interface Harness {
  db: Db.Database
  app: ReturnType<typeof createApp>
  request: (
    path: string,
    init?: {
      method?: string
      body?: unknown
      key?: string
      cookie?: string
      org?: string
      headers?: Record<string, string>
    },
  ) => Promise<{ status: number; body: any; headers: Headers }>
  signIn: (email: string, password: string) => Promise<string>
  plugins: Awaited<ReturnType<typeof loadPlugins>>
}

export const makeHarness = async (): Promise<Harness> => {
  const db = await makeTestDatabase([
    iamMigrations,
    processMigrations,
    standardsMigrations,
    cultureMigrations,
    notifyMigrations,
    reportsMigrations,
    riskMigrations,
    feedbackMigrations,
  ])
  const plugins = await loadPlugins(
    [pdca, eightD, dmaic, a3, capa, copc, example].map((p) => ({ source: p.id, load: async () => p })),
  )
  const app = createApp({ db, logError: () => {}, plugins })
  const request: Harness["request"] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) }
    if (init.body !== undefined) headers["content-type"] = "application/json"
    if (init.key) headers.authorization = `Bearer ${init.key}`
    if (init.cookie) {
      headers.cookie = init.cookie
      headers.origin ??= ORIGIN
    }
    if (init.org) headers["x-tenet-org"] = init.org
    const res = await app.request(`${ORIGIN}${path}`, {
      method: init.method ?? "GET",
      headers,
      ...(init.body !== undefined
        ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }
        : {}),
    })
    const text = await res.text()
    let body: any = text
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {}
    return { status: res.status, body, headers: res.headers }
  }
  const signIn = async (email: string, password: string) => {
    const res = await app.request(`${ORIGIN}/api/v1/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    })
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!
    return cookie
  }
  return { db, app, request, signIn, plugins }
}

/** Two organisations, each with an owner and an agent, and an admin API key each. */
export const seedTwoOrgs = async (h: Harness) => {
  const make = async (slug: string) => {
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: slug.toUpperCase(), slug },
    )
    const owner = await Iam.createUser(h.db, {
      email: `owner@${slug}.test`,
      name: `Owner ${slug}`,
      password: "password-1",
    })
    const agent = await Iam.createUser(h.db, {
      email: `agent@${slug}.test`,
      name: `Agent ${slug}`,
      password: "password-1",
    })
    await Iam.addMember(h.db, Tenancy.system(org.id), { userId: owner.id, role: "owner" })
    await Iam.addMember(h.db, Tenancy.system(org.id), { userId: agent.id, role: "agent" })
    const adminKey = await Iam.createApiKey(h.db, Tenancy.system(org.id), {
      name: "admin key",
      role: "admin",
    })
    const agentKey = await Iam.createApiKey(h.db, Tenancy.system(org.id), {
      name: "agent key",
      role: "agent",
    })
    return {
      org,
      owner,
      agent,
      adminKey: adminKey.secret,
      adminKeyId: adminKey.key.id,
      agentKey: agentKey.secret,
    }
  }
  return { a: await make("acme"), b: await make("globex") }
}
