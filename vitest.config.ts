import { defineConfig } from "vitest/config"

// Workspace packages resolve to their TypeScript sources in tests (no build needed).
const conditions = ["@tenet/source", "module", "node", "development|production"]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "core", include: ["packages/core/test/**/*.test.ts"] } },
      { extends: true, test: { name: "calendar", include: ["packages/calendar/test/**/*.test.ts"] } },
      { extends: true, test: { name: "stats", include: ["packages/stats/test/**/*.test.ts"] } },
      { extends: true, test: { name: "workforce", include: ["packages/workforce/test/**/*.test.ts"] } },
      { extends: true, test: { name: "process", include: ["packages/process/test/**/*.test.ts"] } },
      { extends: true, test: { name: "standards", include: ["packages/standards/test/**/*.test.ts"] } },
      { extends: true, test: { name: "risk", include: ["packages/risk/test/**/*.test.ts"] } },
      { extends: true, test: { name: "culture", include: ["packages/culture/test/**/*.test.ts"] } },
      { extends: true, test: { name: "feedback", include: ["packages/feedback/test/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "plugins",
          include: ["packages/plugin-sdk/test/**/*.test.ts", "plugins/*/test/**/*.test.ts"],
        },
      },
      { extends: true, test: { name: "api", include: ["apps/api/test/**/*.test.ts"] } },
      { extends: true, test: { name: "client", include: ["packages/client/test/**/*.test.ts"] } },
      // The browser test needs Chromium: `pnpm test:e2e` (TENET_E2E=1) runs it.
      ...(process.env.TENET_E2E
        ? [
            {
              extends: true as const,
              test: { name: "e2e", include: ["apps/api/e2e/**/*.test.ts"], fileParallelism: false },
            },
          ]
        : []),
    ],
  },
})
