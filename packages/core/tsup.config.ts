import { defineConfig } from "tsup"

export default defineConfig({
  entry: {
    index: "src/index.ts",
    testing: "src/testing.ts",
    // the embedded database opened before the rest of a program loads (imports nothing heavy)
    early: "src/early.ts",
    // the table interfaces alone (types), for modules' schema files: cheap for the drift checker to read
    schema: "src/migrations/schema.ts",
    // the PGlite worker thread's entry (Db.open with worker: true), loaded beside index.js
    "pglite-worker": "src/internal/pgliteWorker.ts",
  },
  // the schema drift checker (./testing) loads the compiler when it runs; never bundle it
  external: ["typescript"],
  format: ["esm"],
  // type declarations are for publishing (`pnpm build:publish`); in the repository every package is read from its source
  dts: process.env.TENET_DTS === "1",
  clean: true,
  target: "node22",
  sourcemap: true,
})
