import { defineConfig } from "vitest/config"

const conditions = ["@tenet/source", "module", "node", "import", "default"]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@tenet/source"] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "core", include: ["packages/core/test/**/*.test.ts"] } },
      { extends: true, test: { name: "calendar", include: ["packages/calendar/test/**/*.test.ts"] } },
      { extends: true, test: { name: "api", include: ["apps/api/test/**/*.test.ts"] } },
      { extends: true, test: { name: "e2e", include: ["apps/api/e2e/**/*.test.ts"], fileParallelism: false } },
    ],
  },
})
