import { Case, Config, Import } from "@tenet/process"
import { endpoint } from "../../http/endpoint"
import {
  CalendarInput,
  CalendarPatch,
  ensure,
  PolicyInput,
  PolicyPatch,
  PolicyPreview,
  Preview,
  SettingsPatch,
  VocabularyInput,
} from "./schemas"

export const configEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/process/calendars",
    exportable: true,
    operationId: "listCalendars",
    summary: "Business calendars",
    tag: "Calendars",
    access: "cases:read",
    handler: async (c, { ctx }) => {
      await ensure(c, ctx.orgId)
      return { items: await Config.listCalendars(c.get("db"), ctx.orgId) }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/calendars",
    operationId: "createCalendar",
    summary: "Create a calendar from its JSON spec (invalid specs name the offending path)",
    tag: "Calendars",
    access: "cases:manage",
    body: CalendarInput,
    status: 201,
    handler: async (c, { ctx, body }) => Config.createCalendar(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/process/calendars/{id}",
    operationId: "updateCalendar",
    summary: "Rename a calendar or replace its spec",
    tag: "Calendars",
    access: "cases:manage",
    body: CalendarPatch,
    handler: async (c, { ctx, params, body }) => Config.updateCalendar(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/calendars/preview",
    operationId: "previewDue",
    summary: "A case received at `from` (default now) would be due at …, because …",
    tag: "Calendars",
    access: "cases:read",
    body: Preview,
    handler: async (c, { ctx, body }) =>
      Config.previewDue(c.get("db"), ctx.orgId, {
        calendarId: body.calendarId,
        spec: body.spec,
        from: body.from ? new Date(body.from) : new Date(),
        seconds: body.seconds,
      }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/calendars/presets",
    operationId: "listCalendarPresets",
    summary: "Calendar presets (mainland China 2015–2026 with official holidays and make-up days)",
    tag: "Calendars",
    access: "cases:read",
    handler: async () => {
      const { chinaMainland, CN_YEARS } = await import("@tenet/calendar/presets/cn")
      return {
        items: [
          {
            id: "cn-mainland",
            name: {
              "zh-CN": "中国大陆法定节假日与调休",
              en: "Mainland China public holidays and make-up days",
            },
            years: CN_YEARS,
            spec: chinaMainland(),
            attribution: "holiday-cn (MIT), NateScarlet",
          },
        ],
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/sla-policies",
    exportable: true,
    operationId: "listSlaPolicies",
    summary: "SLA policies in the order they are matched",
    tag: "SLA policies",
    access: "cases:read",
    handler: async (c, { ctx }) => {
      await ensure(c, ctx.orgId)
      return { items: await Config.listPolicies(c.get("db"), ctx.orgId) }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/sla-policies",
    operationId: "createSlaPolicy",
    summary: "Create an SLA policy",
    tag: "SLA policies",
    access: "cases:manage",
    body: PolicyInput,
    status: 201,
    handler: async (c, { ctx, body }) => Config.createPolicy(c.get("db"), ctx, body as never),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/process/sla-policies/{id}",
    operationId: "updateSlaPolicy",
    summary:
      "Change a policy: a new version for new cases (send expectedVersion to avoid overwriting another editor)",
    tag: "SLA policies",
    access: "cases:manage",
    body: PolicyPatch,
    handler: async (c, { ctx, params, body }) =>
      Config.updatePolicy(c.get("db"), ctx, params.id!, body as never),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/sla-policies/preview",
    operationId: "previewSlaPolicy",
    summary: "Which policy a case would get, and its due times",
    tag: "SLA policies",
    access: "cases:read",
    body: PolicyPreview,
    handler: async (c, { ctx, body }) => {
      await ensure(c, ctx.orgId)
      const settings = await Config.getSettings(c.get("db"), ctx.orgId)
      return Config.previewPolicy(
        c.get("db"),
        ctx.orgId,
        {
          type: body.type,
          channel: body.channel,
          segment: body.segment ?? null,
          priority: body.priority ?? Case.priorityOf(settings.priorityMatrix, "medium", "medium"),
          category: body.category ?? null,
          team: body.team ?? null,
          tier: body.tier ?? "L1",
        },
        body.receivedAt ? new Date(body.receivedAt) : new Date(),
      )
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/settings",
    operationId: "getProcessSettings",
    summary:
      "Priority matrix, reopen and repeat windows, the default SLA policy, what completes an intake record, the return-visit schedule",
    tag: "SLA policies",
    access: "cases:read",
    handler: async (c, { ctx }) => {
      await ensure(c, ctx.orgId)
      return Config.getSettings(c.get("db"), ctx.orgId)
    },
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/process/settings",
    operationId: "updateProcessSettings",
    summary:
      "Change the priority matrix, the windows, the default SLA policy, what completes an intake record or the return-visit schedule",
    tag: "SLA policies",
    access: "cases:manage",
    body: SettingsPatch,
    handler: async (c, { ctx, body }) => Config.updateSettings(c.get("db"), ctx, body as never),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/vocabulary",
    exportable: true,
    operationId: "listCaseVocabulary",
    summary: "The organisation's case types and categories, each with its label in both languages",
    tag: "SLA policies",
    access: "cases:read",
    handler: async (c, { ctx }) => {
      await ensure(c, ctx.orgId)
      return { items: await Config.listVocabulary(c.get("db"), ctx.orgId) }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/vocabulary",
    operationId: "saveCaseVocabulary",
    summary: "Add a case type or category, or change its labels, position or whether it is in use",
    tag: "SLA policies",
    access: "cases:manage",
    body: VocabularyInput,
    handler: async (c, { ctx, body }) => {
      await ensure(c, ctx.orgId)
      return Config.saveVocabularyEntry(c.get("db"), ctx, body)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/imports",
    exportable: true,
    operationId: "listImports",
    summary: "Past and running imports with their row errors",
    tag: "Import",
    access: "cases:read",
    handler: async (c, { ctx }) => ({ items: await Import.listImports(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/imports/{id}",
    // the run's row errors as a table
    exportable: { rows: (a) => (a as { errors: ReadonlyArray<unknown> | null }).errors ?? [] },
    operationId: "getImport",
    summary: "One import with its row errors (`export`: the errors as CSV or XLSX)",
    tag: "Import",
    access: "cases:read",
    handler: async (c, { ctx, params }) => Import.getImport(c.get("db"), ctx.orgId, params.id!),
  }),
]
