import { defineConfig } from "tsup"

export default defineConfig({
  entry: {
    index: "src/index.ts",
    testing: "src/testing.ts",
    // the PGlite worker thread's entry (Db.open with worker: true), loaded beside index.js
    "pglite-worker": "src/internal/pgliteWorker.ts",
  },
  format: ["esm"],
  dts: true,
  clean: true,
  target: "node22",
  sourcemap: true,
})
