// The baseline for the API benchmark: a bare Hono endpoint inserting one row with pg.
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const require = createRequire(fileURLToPath(new URL("../../apps/api/package.json", import.meta.url)))
const { Hono } = await import(require.resolve("hono"))
const { serve } = await import(require.resolve("@hono/node-server"))
const pg = (
  await import(
    createRequire(fileURLToPath(new URL("../../packages/core/package.json", import.meta.url))).resolve("pg")
  )
).default
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
await pool.query(
  "create table if not exists public.bare_case (id bigserial primary key, body jsonb not null, created_at timestamptz default now())",
)
const app = new Hono()
app.get("/healthz", (c) => c.json({ ok: true }))
app.post("/cases", async (c) => {
  const body = await c.req.json()
  const r = await pool.query("insert into public.bare_case (body) values ($1) returning id", [body])
  return c.json({ id: r.rows[0].id }, 201)
})
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" })
