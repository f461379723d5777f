import react from "@vitejs/plugin-react"
import { defineConfig } from "vite"

export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ["@tenet/source", "module", "browser", "development|production"] },
  server: { proxy: { "/api": "http://localhost:3000", "/healthz": "http://localhost:3000" } },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 1200 },
})
