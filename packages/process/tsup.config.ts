import { defineConfig } from "tsup"

export default defineConfig({
  // Case: the pure rules and vocabularies, importable without the database code (the admin app uses them)
  entry: ["src/index.ts", "src/Case.ts"],
  format: ["esm"],
  // type declarations are for publishing (`pnpm build:publish`); in the repository every package is read from its source
  dts: process.env.TENET_DTS === "1",
  clean: true,
  target: "node22",
  sourcemap: true,
})
