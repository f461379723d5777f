// Core's correction contract: record fields (`field@recordId`), which keys a corrector takes, and the
// refusals that keep two modules from claiming one field.
import { describe, expect, it } from "vitest"
import { Corrections } from "../src/index"

const L = (s: string) => ({ "zh-CN": s, en: s })
const seen: Array<[string, Record<string, string>]> = []
const scope = {} as Corrections.CorrectionScope

Corrections.register({
  module: "a",
  classId: "a.people",
  fields: { nickname: L("Nickname") },
  apply: async (_s, _c, values) => {
    seen.push(["a.people", { ...values }])
    return Object.keys(values)
  },
})
Corrections.register({
  module: "b",
  classId: "b.notes",
  fields: {},
  recordFields: { noteText: L("Note") },
  records: async (_s, customerId) => [
    { field: "noteText", recordId: `n1-${customerId}`, at: null, current: "old words" },
  ],
  apply: async (_s, _c, values) => {
    seen.push(["b.notes", { ...values }])
    return Object.keys(values)
  },
})

describe("Corrections", () => {
  it("parses a key into its field and record", () => {
    expect(Corrections.parseKey("phone")).toEqual({ field: "phone" })
    expect(Corrections.parseKey("noteText@n1")).toEqual({ field: "noteText", recordId: "n1" })
    expect(Corrections.recordKey("noteText", "n1")).toBe("noteText@n1")
  })

  it("takes a customer field bare and a record field only with a record", () => {
    expect(
      Corrections.unknownFields({
        nickname: "x",
        "noteText@n1": "y",
        noteText: "no record",
        "noteText@": "empty record",
        "nickname@n1": "a customer field named with a record",
        shoeSize: "unknown",
      }),
    ).toEqual(["noteText", "noteText@", "nickname@n1", "shoeSize"])
    const mine = Corrections.fields().filter((f) => f.classId === "a.people" || f.classId === "b.notes")
    expect(mine.map((f) => [f.field, f.perRecord])).toEqual([
      ["nickname", false],
      ["noteText", true],
    ])
  })

  it("hands each corrector its own keys, and refuses the lot before writing when one is unknown", async () => {
    seen.length = 0
    const applied = await Corrections.apply(scope, "cus_1", {
      nickname: "Z",
      "noteText@n1-cus_1": "new words",
    })
    expect(seen).toEqual([
      ["a.people", { nickname: "Z" }],
      ["b.notes", { "noteText@n1-cus_1": "new words" }],
    ])
    expect(applied).toContainEqual({ classId: "b.notes", fields: ["noteText@n1-cus_1"] })
    seen.length = 0
    await expect(Corrections.apply(scope, "cus_1", { nickname: "Z", noteText: "?" })).rejects.toBeInstanceOf(
      Corrections.CorrectionRefused,
    )
    expect(seen).toEqual([])
  })

  it("lists the customer's correctable records with their keys and labels", async () => {
    const records = await Corrections.records({ tx: scope.tx, ctx: scope.ctx }, "cus_2")
    expect(records.filter((r) => r.classId === "b.notes")).toEqual([
      {
        field: "noteText",
        recordId: "n1-cus_2",
        at: null,
        current: "old words",
        key: "noteText@n1-cus_2",
        classId: "b.notes",
        label: L("Note"),
      },
    ])
  })

  it("refuses a field two modules claim, and an '@' in a field name", () => {
    const apply = async () => []
    expect(() =>
      Corrections.register({
        module: "c",
        classId: "c.x",
        fields: {},
        recordFields: { nickname: L("n") },
        apply,
      }),
    ).toThrow(/claimed by a.people and c.x/)
    expect(() =>
      Corrections.register({ module: "c", classId: "c.y", fields: { "a@b": L("n") }, apply }),
    ).toThrow(/contains "@"/)
  })
})
