import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/cli.ts", "src/index.ts"],
  format: ["esm"],
  dts: false,
  clean: true,
  target: "node22",
  sourcemap: true,
  banner: { js: "#!/usr/bin/env node" },
})
