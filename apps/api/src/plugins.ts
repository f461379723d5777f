/** Which plugins the server loads: tenet.plugins.json (or TENET_PLUGINS), else the built-in ones. */
import { existsSync, readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { loadPlugins, type PluginHost } from "@tenet/plugin-sdk/host"
import { registry } from "./registry"

export const BUILT_IN = ["pdca", "eight-d", "dmaic", "a3", "capa", "copc-baseline", "example-standard"]
const pluginsDir = () => fileURLToPath(new URL("../../../plugins/", import.meta.url))

export const pluginSources = (
  env: Record<string, string | undefined> = process.env,
): { sources: string[]; base: string; from: string } => {
  const file = env.TENET_PLUGINS ?? resolve(process.cwd(), "tenet.plugins.json")
  if (existsSync(file)) {
    const config = JSON.parse(readFileSync(file, "utf8")) as { plugins?: string[] }
    return { sources: config.plugins ?? [], base: dirname(file), from: file }
  }
  return {
    sources: BUILT_IN.map((p) => resolve(pluginsDir(), p)),
    base: process.cwd(),
    from: "built-in plugins",
  }
}

export const loadConfiguredPlugins = async (
  env: Record<string, string | undefined> = process.env,
): Promise<PluginHost> => {
  const { sources, base } = pluginSources(env)
  // each plugin's worker heap limit (TENET_PLUGIN_HEAP_MB, default 128)
  const heapMb = Number(env.TENET_PLUGIN_HEAP_MB)
  const host = await loadPlugins(sources, {
    base,
    knownMetric: (id) => registry.get(id) !== undefined,
    ...(Number.isInteger(heapMb) && heapMb >= 16 ? { heapMb } : {}),
  })
  for (const m of host.metrics()) if (!registry.get(m.id)) registry.addMetric(m)
  return host
}
