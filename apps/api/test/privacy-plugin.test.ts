// A plugin declares the personal data it stores through its contributions; the host marks the class with the
// plugin's id and drops any raw SQL filter; a class not namespaced by the plugin makes the plugin fail to load.
import { DataClasses } from "@tenet/core"
import { definePlugin } from "@tenet/plugin-sdk"
import { loadPlugins } from "@tenet/plugin-sdk/host"
import { expect, it } from "vitest"

const notes = {
  module: "callbacks",
  name: { "zh-CN": "回电记录", en: "Callback notes" },
  description: { "zh-CN": "回电时记下的内容", en: "What was noted on a callback" },
  table: "callbacks.note",
  key: ["id"],
  columns: ["text"],
  category: "general" as const,
  subjects: "customer" as const,
  purposes: [{ "zh-CN": "回电", en: "callbacks" }],
  basis: "contract" as const,
  retention: { minDays: DataClasses.MINIMUM.communication, maxDays: 1095 },
  ageColumn: "created_at",
  customer: { column: "customer_id" },
  purge: { kind: "delete" as const },
}

it("a plugin's data classes join the registry, marked with the plugin", async () => {
  const good = definePlugin({
    id: "callbacks",
    version: "0.1.0",
    engines: { tenet: "^0.1" },
    contributes: { dataClasses: [{ id: "callbacks.notes", ...notes, where: "true; drop table x" } as never] },
  })
  const bad = definePlugin({
    id: "sloppy",
    version: "0.1.0",
    engines: { tenet: "^0.1" },
    contributes: { dataClasses: [{ id: "process.notes", ...notes }] },
  })
  const host = await loadPlugins([
    { source: "callbacks", load: async () => good },
    { source: "sloppy", load: async () => bad },
  ])
  const classes = host.dataClasses()
  expect(classes.map((c) => [c.id, c.plugin, c.where])).toEqual([["callbacks.notes", "callbacks", undefined]])
  expect(host.problems().join("\n")).toContain("contributes.dataClasses[0].id")
  DataClasses.register(classes)
  expect(DataClasses.get("callbacks.notes")?.plugin).toBe("callbacks")
  DataClasses.unregisterPlugin("callbacks")
  expect(DataClasses.get("callbacks.notes")).toBeUndefined()
})
