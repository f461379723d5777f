/**
 * `@tenet/client` is generated from the committed OpenAPI document (packages/client/openapi.json).
 * This fails when the server's document and the committed one disagree; refresh the committed one with
 * `TENET_UPDATE_OPENAPI=1 npx vitest run apps/api/test/openapi-committed.test.ts` (then rebuild the client).
 */
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { apiDocument } from "../src/app"
import { wireContracts } from "../src/modules"

const COMMITTED = fileURLToPath(new URL("../../../packages/client/openapi.json", import.meta.url))

describe("the committed OpenAPI document (packages/client/openapi.json)", () => {
  it("is the server's document", () => {
    wireContracts()
    const served = JSON.parse(JSON.stringify(apiDocument()))
    if (process.env.TENET_UPDATE_OPENAPI === "1")
      writeFileSync(COMMITTED, `${JSON.stringify(served, null, 2)}\n`)
    const committed = JSON.parse(readFileSync(COMMITTED, "utf8"))
    expect(
      committed,
      "packages/client/openapi.json differs from the server's document: run TENET_UPDATE_OPENAPI=1 npx vitest run apps/api/test/openapi-committed.test.ts",
    ).toEqual(served)
  })
})
