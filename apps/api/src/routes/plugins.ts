/**
 * Plugin handlers' isolation state: failures, quarantine and errors (persisted by the plugin
 * host), and an admin's release of a quarantined handler or skip of the event that poisons it.
 * Quarantine is shared by every organisation (a plugin runs for all of them); the errors and the
 * held event shown are those of the caller's organisation, and only its own events can be skipped.
 */
import { Change, Errors } from "@tenet/core"
import { handlerKey, releaseHandler, skipEvent } from "@tenet/plugin-sdk/host"
import { Schema } from "effect"
import type { Context } from "hono"
import { sql } from "kysely"
import { endpoint } from "../http/endpoint"
import type { AppEnv } from "../http/env"
import { NonEmpty } from "./schemas"

const SkipBody = Schema.Struct({ eventId: NonEmpty }).annotate({ identifier: "PluginEventSkip" })

const find = (c: Context<AppEnv>, id: string, name: string) => {
  const p = c.get("plugins").plugins.find((x) => x.id === id && x.status === "loaded")
  const h = p?.plugin?.handlers?.find((x) => x.name === name)
  if (!h) throw new Errors.NotFoundError({ entity: "plugin handler", id: `${id}/${name}` })
  return { key: handlerKey(id, name), events: h.events as ReadonlyArray<string> }
}

const reportOf = async (c: Context<AppEnv>, orgId: string, key: string) =>
  (await c.get("plugins").handlerReports(c.get("db"), orgId)).find((r) => r.key === key)

export const pluginEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/plugins/handlers",
    exportable: true,
    operationId: "listPluginHandlers",
    summary:
      "Each plugin handler's isolation state: calls, failures, quarantine, events waiting, and the recent errors on this organisation's events",
    tag: "Plugins",
    access: "plugins:manage",
    handler: async (c, { ctx }) => ({ items: await c.get("plugins").handlerReports(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/plugins/{id}/handlers/{name}/release",
    operationId: "releasePluginHandler",
    summary:
      "Release a quarantined handler: the events held for it are delivered in order, starting with the one it failed on",
    tag: "Plugins",
    access: "plugins:manage",
    handler: async (c, { ctx, params }) => {
      const { key } = find(c, params.id!, params.name!)
      const before = await reportOf(c, ctx.orgId, key)
      await Change.change(c.get("db"), ctx, async ({ tx, audit }) => {
        await releaseHandler({ ...c.get("db"), kysely: tx }, key)
        await audit({
          action: "plugin.handler.released",
          entityType: "plugin_handler",
          entityId: key,
          before: {
            quarantined: before?.quarantined ?? false,
            consecutiveFailures: before?.consecutiveFailures ?? 0,
          },
          after: { quarantined: false, consecutiveFailures: 0 },
        })
      })
      return reportOf(c, ctx.orgId, key)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/plugins/{id}/handlers/{name}/skip",
    operationId: "skipPluginEvent",
    summary:
      "Skip one event of this organisation for a handler (a poison event): it is passed over, recorded in the audit log, and the handler is released",
    tag: "Plugins",
    access: "plugins:manage",
    body: SkipBody,
    handler: async (c, { ctx, params, body }) => {
      const { key } = find(c, params.id!, params.name!)
      const db = c.get("db")
      const event = (
        await sql<{ id: string; position: number; type: string }>`select id, position, type
          from core.outbox_event where id = ${body.eventId} and org_id = ${ctx.orgId}`.execute(db.kysely)
      ).rows[0]
      if (!event) throw new Errors.NotFoundError({ entity: "event", id: body.eventId })
      await Change.change(db, ctx, async ({ tx, audit }) => {
        await skipEvent(
          { ...db, kysely: tx },
          key,
          { position: Number(event.position), orgId: ctx.orgId, id: event.id },
          `${ctx.actor.type}:${ctx.actor.id}`,
        )
        await audit({
          action: "plugin.event.skipped",
          entityType: "plugin_handler",
          entityId: key,
          after: { eventId: event.id, eventType: event.type },
        })
      })
      return reportOf(c, ctx.orgId, key)
    },
  }),
]
