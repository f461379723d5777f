import { copyFileSync } from "node:fs"
import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/host.ts", "src/testing.ts"],
  format: ["esm"],
  // type declarations are for publishing (`pnpm build:publish`); in the repository every package is read from its source
  dts: process.env.TENET_DTS === "1",
  clean: true,
  target: "node22",
  sourcemap: true,
  // the worker plugin handlers run in: plain JavaScript, the same file from src and dist
  onSuccess: async () => copyFileSync("src/plugin-worker.mjs", "dist/plugin-worker.mjs"),
})
