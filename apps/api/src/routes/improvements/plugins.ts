import { Errors, Tenancy } from "@tenet/core"
import { Config } from "@tenet/process"
import { type Quality, QualityService, type Standard, Standards } from "@tenet/standards"
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
      const db = c.get("db")
      const installed = new Set((await Standards.listStandards(db, ctx.orgId)).map((s) => s.key))
      // a plugin's scorecard or calendar is installed when the organisation has one of its name
      const cards = new Set((await QualityService.listScorecards(db, ctx.orgId)).map((s) => s.name))
      const calendars = new Set((await Config.listCalendars(db, ctx.orgId)).map((x) => x.name))
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
        scorecards: c
          .get("plugins")
          .scorecards()
          .map(({ plugin, name }) => ({ plugin, name, installed: cards.has(name) })),
        calendars: c
          .get("plugins")
          .calendars()
          .map(({ plugin, name }) => ({ plugin, name, installed: calendars.has(name) })),
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
  endpoint({
    method: "post",
    path: "/api/v1/plugins/{id}/scorecards/{name}/install",
    operationId: "installPluginScorecard",
    summary:
      "Create a QA scorecard contributed by a plugin in this organisation (checked like any scorecard)",
    tag: "Plugins",
    access: "quality:write",
    status: 201,
    handler: async (c, { ctx, params }) => {
      const s = c
        .get("plugins")
        .scorecards()
        .find((x) => x.plugin === params.id && x.name === params.name)
      if (!s)
        throw new Errors.NotFoundError({ entity: "plugin scorecard", id: `${params.id}/${params.name}` })
      const db = c.get("db")
      if ((await QualityService.listScorecards(db, ctx.orgId)).some((x) => x.name === s.name))
        throw new Errors.ConflictError({
          message: `a scorecard named "${s.name}" exists; change it under Quality`,
          field: "name",
          code: "pluginItemInstalled",
          params: { name: s.name },
        })
      return QualityService.saveScorecard(db, ctx, {
        name: s.name,
        definition: s.definition as Quality.ScorecardDefinition,
      })
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/plugins/{id}/calendars/{name}/install",
    operationId: "installPluginCalendar",
    summary: "Create a business calendar contributed by a plugin in this organisation (its spec checked)",
    tag: "Plugins",
    access: "cases:manage",
    status: 201,
    handler: async (c, { ctx, params }) => {
      const s = c
        .get("plugins")
        .calendars()
        .find((x) => x.plugin === params.id && x.name === params.name)
      if (!s) throw new Errors.NotFoundError({ entity: "plugin calendar", id: `${params.id}/${params.name}` })
      const db = c.get("db")
      if ((await Config.listCalendars(db, ctx.orgId)).some((x) => x.name === s.name))
        throw new Errors.ConflictError({
          message: `a calendar named "${s.name}" exists; change it under Cases → Calendars`,
          field: "name",
          code: "pluginItemInstalled",
          params: { name: s.name },
        })
      return Config.createCalendar(db, ctx, { name: s.name, spec: s.spec })
    },
  }),
]
