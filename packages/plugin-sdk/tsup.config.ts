import { copyFileSync } from "node:fs"
import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/host.ts", "src/testing.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  target: "node22",
  sourcemap: true,
  // the worker plugin handlers run in: plain JavaScript, the same file from src and dist
  onSuccess: async () => copyFileSync("src/plugin-worker.mjs", "dist/plugin-worker.mjs"),
})
