import { defineConfig } from "tsup"

export default defineConfig({
  // Case: the pure rules and vocabularies, importable without the database code (the admin app uses them)
  entry: ["src/index.ts", "src/Case.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  target: "node22",
  sourcemap: true,
})
