/** The demo organisation seeded on first start (TENET_DEMO=0 disables it). */
import { type Db, Organizations, Tenancy } from "@tenet/core"
import { Demo } from "@tenet/process"
import { Baseline, Standards } from "@tenet/standards"
import { registry } from "./registry"
import * as Iam from "./iam/service"

export const DEMO = {
  slug: "demo",
  name: "演示客服中心 · Demo Service Centre",
  password: "tenet-demo-2026",
  people: [
    { email: "owner@demo.tenet.local", name: "周敏 Zhou Min", role: "owner" },
    { email: "admin@demo.tenet.local", name: "李强 Li Qiang", role: "admin" },
    { email: "supervisor@demo.tenet.local", name: "王芳 Wang Fang", role: "supervisor" },
    { email: "qa@demo.tenet.local", name: "陈静 Chen Jing", role: "qa_analyst" },
    { email: "agent@demo.tenet.local", name: "刘洋 Liu Yang", role: "agent" },
    { email: "auditor@demo.tenet.local", name: "Alex Morgan", role: "auditor" },
  ] as ReadonlyArray<{ email: string; name: string; role: Tenancy.Role }>,
} as const

/** Seed the demo organisation unless it exists. Returns whether it seeded. */
export const seedDemo = async (db: Db.Database, options: { now?: Date; days?: number } = {}): Promise<{ seeded: boolean; orgId: string; cases: number }> => {
  const existing = await Organizations.findBySlug(db, DEMO.slug)
  if (existing) return { seeded: false, orgId: existing.id, cases: 0 }
  const org = await Organizations.create(db, { type: "system", id: "demo-seed" }, {
    name: DEMO.name,
    slug: DEMO.slug,
    timeZone: "Asia/Shanghai",
    locale: "zh-CN",
  })
  for (const p of DEMO.people) {
    const user = (await Iam.findUserByEmail(db, p.email)) ?? (await Iam.createUser(db, { email: p.email, name: p.name, password: DEMO.password }))
    await Iam.addMember(db, Tenancy.system(org.id, "demo-seed"), { userId: user.id, role: p.role })
  }
  const agents = []
  for (const p of DEMO.people.filter((x) => x.role === "agent" || x.role === "supervisor"))
    agents.push((await Iam.findUserByEmail(db, p.email))!.id)
  const cases = await Demo.seedDemoCases(db, Tenancy.system(org.id, "demo-seed"), { agents, days: options.days ?? 90, ...(options.now ? { now: options.now } : {}) })
  // the COPC-aligned baseline, published, and evaluated for the last 30 days
  const qa = Tenancy.system(org.id, "demo-seed")
  const std = await Standards.importLibrary(db, qa, registry, Baseline.copcBaseline())
  for (const to of ["in_review", "approved", "published"] as const) await Standards.step(db, qa, std.standardId, std.version, to)
  const now = options.now ?? new Date()
  await Standards.evaluate(db, qa, registry, std.standardId, { from: new Date(now.getTime() - 30 * 86_400_000), to: now, timeZone: "Asia/Shanghai" })
  return { seeded: true, orgId: org.id, cases }
}
