export { apiDocument, createApp, ENDPOINTS } from "./app"
export { configFromEnv } from "./config"
export { MODULES } from "./modules"
export { start } from "./server"
