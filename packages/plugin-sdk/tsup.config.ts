import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/host.ts", "src/testing.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  target: "node22",
  sourcemap: true,
})
