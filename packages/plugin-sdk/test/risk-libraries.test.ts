import { Catalogue } from "@tenet/risk"
import { describe, expect, it } from "vitest"
import { loadPlugins } from "../src/host"
import { definePlugin } from "../src/index"

describe("risk libraries contributed by plugins", () => {
  it("loads a valid library and refuses a broken one naming the path inside it", async () => {
    const lib = Catalogue.builtinLibrary()
    const broken = {
      ...lib,
      id: "broken",
      matrices: [lib.matrices![0]!, { ...lib.matrices![1]!, bands: lib.matrices![1]!.bands.slice(0, 3) }],
      categories: [{ id: "x", name: { en: "only English" } }],
    }
    const host = await loadPlugins([
      {
        source: "ok",
        load: async () =>
          definePlugin({
            id: "risk-ok",
            version: "1.0.0",
            engines: { tenet: "^0.1" },
            contributes: { riskLibraries: [lib] },
          }),
      },
      {
        source: "bad",
        load: async () =>
          definePlugin({
            id: "risk-bad",
            version: "1.0.0",
            engines: { tenet: "^0.1" },
            contributes: { riskLibraries: [broken] },
          }),
      },
    ])
    expect(host.plugins.map((p) => p.status)).toEqual(["loaded", "refused"])
    expect(host.riskLibraries().map((l) => [l.plugin, (l.document as { id: string }).id])).toEqual([
      ["risk-ok", "tenet-service-risks"],
    ])
    expect(host.problems()).toEqual([
      "plugin risk-bad: contributes.riskLibraries[0].matrices[1].bands: no band covers score 12",
      "plugin risk-bad: contributes.riskLibraries[0].matrices[1].bands: no band covers score 16",
      "plugin risk-bad: contributes.riskLibraries[0].categories[0].name: needs a name in zh-CN and en",
    ])
    await host.close()
  })
})
