import { describe, expect, it } from "vitest"
import { Matrix } from "../src/index"

describe("standard matrices", () => {
  it.each([3, 4, 5] as const)("the %i×%i matrix is valid and every cell has exactly one band", (size) => {
    const m = Matrix.standard(size)
    expect(Matrix.validate(m)).toEqual([])
    expect(m.likelihood).toHaveLength(size)
    expect(m.impact).toHaveLength(size)
    for (let l = 1; l <= size; l++) for (let i = 1; i <= size; i++) expect(Matrix.band(m, l, i)).toBeDefined()
  })

  // worked values: score = likelihood × impact, banded by the ranges of each size
  it.each([
    [3, 1, 1, 1, "low"],
    [3, 1, 2, 2, "low"],
    [3, 1, 3, 3, "medium"],
    [3, 2, 2, 4, "medium"],
    [3, 2, 3, 6, "high"],
    [3, 3, 3, 9, "very_high"],
    [4, 1, 3, 3, "low"],
    [4, 2, 2, 4, "medium"],
    [4, 2, 3, 6, "medium"],
    [4, 2, 4, 8, "high"],
    [4, 3, 3, 9, "high"],
    [4, 3, 4, 12, "very_high"],
    [4, 4, 4, 16, "very_high"],
    [5, 2, 2, 4, "low"],
    [5, 1, 5, 5, "medium"],
    [5, 3, 3, 9, "medium"],
    [5, 2, 5, 10, "high"],
    [5, 4, 4, 16, "high"],
    [5, 4, 5, 20, "very_high"],
    [5, 5, 5, 25, "very_high"],
  ] as const)("%i×%i: likelihood %i, impact %i → score %i, %s", (size, l, i, score, band) => {
    const r = Matrix.rate(Matrix.standard(size), l, i)
    expect(r.score).toBe(score)
    expect(r.band).toBe(band)
    expect(r.severity).toBe(band)
  })

  it("heat map cells: rows from the highest likelihood down, risks placed on their cells", () => {
    const m = Matrix.standard(3)
    const cells = Matrix.heatMap(m, [
      { id: "a", inherent: { likelihood: 3, impact: 3 }, residual: { likelihood: 2, impact: 3 } },
      { id: "b", inherent: { likelihood: 3, impact: 3 }, residual: { likelihood: 1, impact: 1 } },
    ])
    expect(cells).toHaveLength(9)
    expect(cells[0]).toMatchObject({ likelihood: 3, impact: 1 })
    expect(cells.find((c) => c.likelihood === 3 && c.impact === 3)).toMatchObject({
      inherent: ["a", "b"],
      residual: [],
      band: "very_high",
    })
    expect(cells.find((c) => c.likelihood === 2 && c.impact === 3)?.residual).toEqual(["a"])
    expect(cells.find((c) => c.likelihood === 1 && c.impact === 1)?.residual).toEqual(["b"])
  })

  it("raise stops at the top level; cells off the matrix are refused", () => {
    const m = Matrix.standard(4)
    expect(Matrix.raise(m, 2)).toBe(3)
    expect(Matrix.raise(m, 4)).toBe(4)
    expect(() => Matrix.band(m, 5, 1)).toThrow(RangeError)
    expect(Matrix.onMatrix(m, 0, 1)).toBe(false)
  })
})

describe("matrix validation", () => {
  it("names gaps, overlaps, sizes, colours and missing languages with their paths", () => {
    const base = Matrix.standard(3)
    const bad: Matrix.MatrixDefinition = {
      ...base,
      likelihood: [...base.likelihood, ...base.likelihood],
      bands: [
        { ...base.bands[0]!, max: 3 },
        { ...base.bands[1]!, colour: "red", name: { "zh-CN": "中", en: "" } },
        base.bands[3]!,
      ],
    }
    expect(Matrix.validate(bad).map((i) => [i.path.join("."), i.code])).toEqual([
      ["likelihood", "size"],
      ["bands.1.name", "localized"],
      ["bands.1.colour", "colour"],
    ])
    const gaps: Matrix.MatrixDefinition = {
      ...base,
      bands: [{ ...base.bands[0]!, max: 3 }, base.bands[1]!, base.bands[3]!],
    }
    expect(Matrix.validate(gaps).map((i) => i.message)).toEqual([
      "score 3 is in 2 bands",
      "no band covers score 6",
    ])
  })
})
