import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { canonicalJson, toJsonValue } from "../src/internal/canonical"

// Values of the kind the audit chain hashes, with the text it must hash (written out by hand).
const worked: ReadonlyArray<readonly [unknown, string]> = [
  [null, "null"],
  [undefined, "null"],
  ['案件 "A"\n', '"案件 \\"A\\"\\n"'],
  [12.5, "12.5"],
  [-0, "0"],
  [Number.NaN, "null"],
  [true, "true"],
  [12345678901234567890n, "12345678901234567890"],
  [new Date(Date.UTC(2026, 9, 1, 1, 2, 3, 4)), '"2026-10-01T01:02:03.004Z"'],
  [[], "[]"],
  [{}, "{}"],
  [[1, undefined, "b"], '[1,null,"b"]'],
  [
    { b: 1, a: { d: [2, { z: null, y: "x" }], c: undefined }, A: 0, 案: 1, _: 2 },
    '{"A":0,"_":2,"a":{"d":[2,{"y":"x","z":null}]},"b":1,"案":1}',
  ],
  [{ status: "new", at: new Date(0), n: 1n }, '{"at":"1970-01-01T00:00:00.000Z","n":1,"status":"new"}'],
]

describe("canonicalJson", () => {
  it("writes worked values to the expected text", () => {
    for (const [value, text] of worked) expect(canonicalJson(value), text).toBe(text)
  })
  it("is the same for a value and its jsonb round trip (keys in another order)", () => {
    const a = { x: 1, nested: { b: [1, 2], a: "é" }, list: [{ q: 1, p: 2 }] }
    const b = { list: [{ p: 2, q: 1 }], nested: { a: "é", b: [1, 2] }, x: 1 }
    expect(canonicalJson(a)).toBe(canonicalJson(b))
    // the hash of a fixed record stays what chains already written hold
    expect(createHash("sha256").update(canonicalJson(a)).digest("hex")).toBe(
      createHash("sha256")
        .update('{"list":[{"p":2,"q":1}],"nested":{"a":"é","b":[1,2]},"x":1}')
        .digest("hex"),
    )
  })
})

describe("toJsonValue", () => {
  it("gives what a JSON round trip gives", () => {
    class WithToJson {
      toJSON(key: string) {
        return { key, kind: "custom" }
      }
    }
    const samples: ReadonlyArray<unknown> = [
      null,
      "text",
      0,
      -0,
      1.5,
      Number.POSITIVE_INFINITY,
      false,
      new Date(Date.UTC(2025, 0, 26, 1)),
      new Date(Number.NaN),
      [1, undefined, () => 1, Symbol("s"), new Date(0), [null]],
      { a: undefined, b: () => 1, c: Symbol("s"), d: { e: [{ f: "g" }] }, h: new WithToJson() },
      { nested: { when: new Date(5), list: [new WithToJson()] } },
      Object.assign(Object.create(null), { x: 1 }),
      JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'),
      new Map([["k", 1]]),
    ]
    for (const value of samples) expect(toJsonValue(value)).toStrictEqual(JSON.parse(JSON.stringify(value)))
    expect(toJsonValue(undefined)).toBeNull()
    expect(toJsonValue({ big: 5n, list: [6n] })).toStrictEqual({ big: 5, list: [6] })
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  })
})
