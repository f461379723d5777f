/** README.md's role table and GET /api/v1/meta/roles say the same thing (they cannot drift apart). */
import { readFileSync } from "node:fs"
import { Organizations, Tenancy } from "@tenet/core"
import { afterAll, beforeAll, expect, it } from "vitest"
import * as Iam from "../src/iam/service"
import { type Harness, makeHarness } from "./helpers"

let h: Harness
beforeAll(async () => {
  h = await makeHarness()
})
afterAll(async () => {
  await h.db.close()
})

/** The table under "## Roles": module rows, role columns, cells like "read, write" or "—". */
const readmeMatrix = () => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8")
  const section = readme.slice(
    readme.indexOf("\n## Roles\n"),
    readme.indexOf("\n## ", readme.indexOf("\n## Roles\n") + 1),
  )
  const rows = section
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .slice(1, -1)
        .split("|")
        .map((c) => c.trim()),
    )
  const [header, , ...body] = rows
  const roles = header!.slice(1)
  const matrix: Record<string, string[]> = Object.fromEntries(roles.map((r) => [r, []]))
  for (const [module, ...cells] of body)
    cells.forEach((cell, i) => {
      for (const action of cell.split(",").map((a) => a.trim()))
        if (action && action !== "—") matrix[roles[i]!]!.push(`${module}:${action}`)
    })
  return { roles, modules: body.map((r) => r[0]), matrix }
}

it("README's role table is the matrix GET /api/v1/meta/roles publishes", async () => {
  const org = await Organizations.create(
    h.db,
    { type: "system", id: "test" },
    { name: "Roles", slug: "roles" },
  )
  const { secret } = await Iam.createApiKey(h.db, Tenancy.system(org.id), { name: "k", role: "auditor" })
  const meta = (await h.request("/api/v1/meta/roles", { key: secret })).body
  const readme = readmeMatrix()
  expect(readme.roles).toEqual(meta.roles.map((r: { role: string }) => r.role))
  expect(readme.modules).toEqual(meta.modules)
  for (const r of meta.roles as Array<{ role: string; permissions: string[] }>)
    expect([...readme.matrix[r.role]!].sort(), r.role).toEqual([...r.permissions].sort())
})
