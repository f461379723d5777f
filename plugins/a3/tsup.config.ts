import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  // type declarations are for publishing (`pnpm build:publish`); in the repository every package is read from its source
  dts: process.env.TENET_DTS === "1",
  clean: true,
  target: "node22",
})
