/** The pieces of single sign-on that need no provider: the role claim, the sealed secret, http issuers. */
import { afterEach, describe, expect, it } from "vitest"
import { claimValues, mappedRole } from "../src/iam/sso/accounts"
import { httpAllowed } from "../src/iam/sso/http"
import { seal, unseal } from "../src/iam/sso/seal"

describe("the role claim", () => {
  const claims = { groups: ["a", "cs-leads"], realm_access: { roles: ["tenet-qa"] }, dept: "support", n: 3 }
  it("reads strings, arrays and dotted paths; ignores what is neither", () => {
    expect(claimValues(claims, "groups")).toEqual(["a", "cs-leads"])
    expect(claimValues(claims, "realm_access.roles")).toEqual(["tenet-qa"])
    expect(claimValues(claims, "dept")).toEqual(["support"])
    expect(claimValues(claims, "n")).toEqual([])
    expect(claimValues(claims, "missing.path")).toEqual([])
  })
  it("takes the first rule whose value the claim holds", () => {
    const rules = [
      { value: "tenet-qa", role: "qa_analyst" as const },
      { value: "cs-leads", role: "supervisor" as const },
    ]
    expect(mappedRole(claims, "groups", rules)).toBe("supervisor")
    expect(mappedRole(claims, "realm_access.roles", rules)).toBe("qa_analyst")
    expect(mappedRole(claims, "dept", rules)).toBeUndefined()
    expect(mappedRole(claims, "", rules)).toBeUndefined()
  })
})

describe("the sealed client secret", () => {
  it("opens with the same instance secret only, and not when tampered with", () => {
    const sealed = seal("instance-1", "s3cret")
    expect(sealed).not.toContain("s3cret")
    expect(seal("instance-1", "s3cret")).not.toBe(sealed) // a fresh IV each time
    expect(unseal("instance-1", sealed)).toBe("s3cret")
    expect(unseal("instance-2", sealed)).toBeUndefined()
    const parts = sealed.split(".")
    parts[3] = Buffer.from("other").toString("base64url")
    expect(unseal("instance-1", parts.join("."))).toBeUndefined()
  })
})

describe("http issuers", () => {
  afterEach(() => {
    delete process.env.TENET_OIDC_ALLOW_HTTP
  })
  it("https always, http on loopback, elsewhere only with TENET_OIDC_ALLOW_HTTP=1", () => {
    expect(httpAllowed(new URL("https://idp.example.com"))).toBe(true)
    expect(httpAllowed(new URL("http://127.0.0.1:8080"))).toBe(true)
    expect(httpAllowed(new URL("http://localhost:8080"))).toBe(true)
    expect(httpAllowed(new URL("http://idp.example.com"))).toBe(false)
    process.env.TENET_OIDC_ALLOW_HTTP = "1"
    expect(httpAllowed(new URL("http://idp.example.com"))).toBe(true)
  })
})
