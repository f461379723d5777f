import { Errors, Tenancy } from "@tenet/core"
import { type Standard, Standards } from "@tenet/standards"
import { endpoint } from "../../http/endpoint"
import { registry } from "../../registry"
import { withoutServerPaths } from "./cycles"

export const pluginCatalogEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/plugins",
    exportable: true,
    operationId: "listPlugins",
    summary: "Loaded and refused plugins, their contributions, handlers and errors",
    tag: "Plugins",
    access: "plugins:read",
    handler: async (c, { ctx, auth }) => {
      const installed = new Set((await Standards.listStandards(c.get("db"), ctx.orgId)).map((s) => s.key))
      // where plugins live on the server is for those who manage them: others see folder names
      const showPaths = Tenancy.can(auth.role, "plugins:manage")
      return {
        items: c
          .get("plugins")
          .plugins.map(({ plugin: _p, ...rest }) =>
            showPaths ? rest : withoutServerPaths(rest, rest.source),
          ),
        standards: c
          .get("plugins")
          .standards()
          .map(({ plugin, document }) => {
            // a plugin's standards were checked against the standard document schema when it loaded
            const doc = document as Standard.StandardDocument
            return {
              plugin,
              id: doc.id,
              version: doc.version,
              title: doc.title,
              installed: installed.has(doc.id),
            }
          }),
      }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/plugins/{id}/standards/{standard}/install",
    operationId: "installPluginStandard",
    summary: "Import a standard contributed by a plugin into this organisation (as a draft)",
    tag: "Plugins",
    access: "standards:manage",
    status: 201,
    handler: async (c, { ctx, params }) => {
      const s = c
        .get("plugins")
        .standards()
        .find(
          (x) => x.plugin === params.id && (x.document as Standard.StandardDocument).id === params.standard,
        )
      if (!s)
        throw new Errors.NotFoundError({ entity: "plugin standard", id: `${params.id}/${params.standard}` })
      return Standards.importLibrary(c.get("db"), ctx, registry, s.document)
    },
  }),
]
