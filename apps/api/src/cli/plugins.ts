/** Plugins: validate one, scaffold a new one. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { loadPlugins } from "@tenet/plugin-sdk/host"
import { registry } from "../registry"
import { count, out, program, UsageError } from "./shared"

export const registerPluginCommands = () => {
  const plugin = program.command("plugin").description("plugins")

  plugin
    .command("validate")
    .description("check a plugin (a folder with package.json, or a module file) without starting the server")
    .argument("<path>", "the plugin's folder or entry file (built: dist/index.js)")
    .action(async (path: string) => {
      const host = await loadPlugins([path], { knownMetric: (id) => registry.get(id) !== undefined })
      const p = host.plugins[0]!
      if (p.status === "loaded") {
        const c = p.contributions
        out(
          `plugin ${p.id} ${p.version} is valid: ${[
            count(c.standards, "standard"),
            count(c.workflows.length, "workflow"),
            count(c.metrics.length, "metric"),
            count(c.scorecards, "scorecard"),
            count(c.calendars, "calendar"),
            count(c.handlers, "handler"),
          ].join(", ")}`,
          { ok: true, id: p.id, version: p.version, contributions: c },
        )
      } else {
        out(p.messages.join("\n"), { ok: false, id: p.id, issues: p.issues })
        process.exitCode = 1
      }
    })

  plugin
    .command("new")
    .description("scaffold a plugin with a passing test (under ./plugins when run from the repository)")
    .argument("<name>", "kebab-case plugin id, e.g. acme-standard")
    .option("--dir <dir>", "where to create it", "plugins")
    .action(async (name: string, o: { dir: string }) => {
      if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name))
        throw new UsageError(`<name>: must be kebab-case (a-z, 0-9 and single dashes), got "${name}"`)
      const dir = resolve(o.dir, name)
      if (existsSync(dir)) throw new UsageError(`<name>: ${dir} already exists`)
      const at = `${o.dir}/${name}`
      // a new workspace package: install links it (the lockfile gains its entry, nothing else changes),
      // the build writes dist/ that the server and `plugin validate` load
      const steps = [
        `pnpm install --prefer-offline   # links the new package`,
        `pnpm --filter @tenet/plugin-${name} build`,
        `pnpm vitest run ${at}`,
        `pnpm tenet plugin validate ${at}`,
      ]
      mkdirSync(join(dir, "src"), { recursive: true })
      mkdirSync(join(dir, "test"), { recursive: true })
      const files: Record<string, string> = {
        "package.json": `${JSON.stringify(
          {
            name: `@tenet/plugin-${name}`,
            version: "0.1.0",
            private: true,
            type: "module",
            tenet: { role: "plugin", pluginId: name },
            exports: {
              ".": {
                "@tenet/source": "./src/index.ts",
                types: "./dist/index.d.ts",
                import: "./dist/index.js",
              },
            },
            scripts: { build: "tsup", typecheck: "tsc -p tsconfig.json" },
            dependencies: { "@tenet/plugin-sdk": "workspace:*" },
            devDependencies: {
              "@tenet/core": "workspace:*",
              "@tenet/tsconfig": "workspace:*",
              tsup: "catalog:",
              typescript: "catalog:",
              vitest: "catalog:",
            },
          },
          null,
          2,
        )}\n`,
        "tsconfig.json": '{ "extends": "@tenet/tsconfig/base.json", "include": ["src", "test"] }\n',
        // written as the repository's formatter writes it (biome check passes on a new plugin)
        "tsup.config.ts": `import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  target: "node22",
})
`,
        "src/index.ts": `import { definePlugin } from "@tenet/plugin-sdk"

export default definePlugin({
  id: "${name}",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "${name}", en: "${name}" },
  contributes: {
    standards: [
      {
        format: "tenet-standard/v1",
        id: "${name}",
        version: "1.0",
        title: { "zh-CN": "我的服务标准", en: "My service standard" },
        clauses: [
          {
            id: "1",
            title: { "zh-CN": "响应", en: "Response" },
            requirements: [
              {
                id: "1.1",
                title: { "zh-CN": "咨询 15 分钟内响应", en: "Inquiries answered within 15 minutes" },
                targets: [
                  {
                    id: "frt",
                    metric: "process.first_response_sla",
                    operator: ">=",
                    value: 0.9,
                    filter: { type: "inquiry" },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
})
`,
        "test/plugin.test.ts": `import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"

// the plugin's module: its handlers run in a worker with their time limit, as on the server
const t = await startTestHost({ plugins: [new URL("../src/index.ts", import.meta.url)] })
afterAll(() => t.stop())

it("loads and installs its standard", async () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "${name}", status: "loaded" })
  expect((await t.installStandard("${name}")).version).toBe(1)
})
`,
        "README.md": `# ${name}\n\nA Tenet plugin.\n\n${steps.map((x) => `- ${x}`).join("\n")}\n\nSee docs/plugins.md.\n`,
      }
      for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content)
      out(`created ${dir}\nnext:\n${steps.map((x) => `  ${x}`).join("\n")}`, {
        dir,
        files: Object.keys(files),
        next: steps,
      })
    })
}
