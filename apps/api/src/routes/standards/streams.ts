import { Standards } from "@tenet/standards"
import type { Hono } from "hono"
import { authorize } from "../../http/endpoint"
import type { AppEnv } from "../../http/env"
import { version } from "./schemas"

/** A standard version exported as YAML or JSON (the compliance report's CSV and XLSX: routes/reports/streams.ts). */
export const registerStandardsStreams = (app: Hono<AppEnv>) => {
  app.get("/api/v1/standards/:id/versions/:version/export", async (c) => {
    const auth = authorize(c, "standards:read")
    const format = c.req.query("format") === "json" ? "json" : "yaml"
    const text = await Standards.exportVersion(
      c.get("db"),
      auth.orgId,
      c.req.param("id"),
      version(c.req.param()),
      format,
    )
    c.header(
      "content-type",
      format === "json" ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8",
    )
    return c.body(text)
  })
}
