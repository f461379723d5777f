/** The risk register's endpoints: libraries, matrices and categories, risks and ratings, heat map, rounds, KRIs. */
import { Errors } from "@tenet/core"
import type { PluginHost } from "@tenet/plugin-sdk/host"
import { Catalogue, HeatMap, Kri, KriEvaluation, Library, Register, Rounds } from "@tenet/risk"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { registry } from "../../registry"
import { ShortText } from "../schemas"
import {
  DecisionBody,
  KriBody,
  KriPatch,
  LibraryBody,
  RatingBody,
  RiskBody,
  RiskPatch,
  RiskQuery,
  RoundBody,
  RoundRatingBody,
} from "./schemas"

const tag = "Risk"

/** The libraries an organisation can install: Tenet's own and those of loaded plugins. */
const available = (plugins: PluginHost) => [
  { source: "builtin", library: Catalogue.builtinLibrary() },
  ...plugins
    .riskLibraries()
    .map((l) => ({ source: `plugin:${l.plugin}`, library: l.document as Library.Library })),
]
export const registerEndpoints = [
  endpoint({
    method: "post",
    path: "/api/v1/risk/libraries",
    operationId: "importRiskLibrary",
    summary: "Import a risk library (tenet-risk-library/v1, JSON or YAML): matrices and categories",
    tag,
    access: "risk:manage",
    body: LibraryBody,
    status: 201,
    handler: async (c, { ctx, body }) =>
      Library.importLibrary(c.get("db"), ctx, Library.parse(body.text, body.format)),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/libraries",
    operationId: "listRiskLibraries",
    summary: "Risk libraries available to install (Tenet's own and the loaded plugins')",
    tag,
    access: "risk:read",
    handler: async (c) => ({
      items: available(c.get("plugins")).map(({ source, library }) => ({
        source,
        id: library.id,
        version: library.version,
        name: library.name,
        matrices: (library.matrices ?? []).map((m) => m.id),
        categories: (library.categories ?? []).map((k) => k.id),
      })),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/libraries/{id}/install",
    operationId: "installRiskLibrary",
    summary: "Install an available risk library by id",
    tag,
    access: "risk:manage",
    status: 201,
    handler: async (c, { ctx, params }) => {
      const found = available(c.get("plugins")).find((l) => l.library.id === params.id)
      if (!found) throw new Errors.NotFoundError({ entity: "risk_library", id: params.id! })
      return Library.importLibrary(c.get("db"), ctx, found.library, found.source)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/matrices",
    operationId: "listRiskMatrices",
    summary: "The organisation's risk matrices (levels and bands in both languages)",
    tag,
    access: "risk:read",
    handler: async (c, { ctx }) => ({ items: await Catalogue.listMatrices(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/categories",
    operationId: "listRiskCategories",
    summary: "Risk categories (the seed 000 §6.1 catalogue and imported ones)",
    tag,
    access: "risk:read",
    handler: async (c, { ctx }) => ({ items: await Catalogue.listCategories(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/risks",
    exportable: true,
    operationId: "listRisks",
    summary: "The risk register, most severe residual rating first",
    tag,
    access: "risk:read",
    query: RiskQuery,
    handler: async (c, { ctx, query }) => ({
      items: await Register.listRisks(c.get("db"), ctx.orgId, query),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/risks",
    operationId: "createRisk",
    summary:
      "Add a risk (cause, event, consequence, owner, inherent and residual rating, controls, review cadence)",
    tag,
    access: "risk:write",
    body: RiskBody,
    status: 201,
    handler: async (c, { ctx, body }) => Register.createRisk(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/heat-map",
    operationId: "riskHeatMap",
    summary:
      "The heat map: every cell of the matrix with the risks whose inherent and residual ratings sit on it",
    tag,
    access: "risk:read",
    query: Schema.Struct({ matrixId: Schema.optionalKey(ShortText) }),
    handler: async (c, { ctx, query }) => HeatMap.heatMap(c.get("db"), ctx.orgId, query.matrixId),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/reviews/overdue",
    operationId: "listOverdueRiskReviews",
    summary: "Open risks whose review date has passed",
    tag,
    access: "risk:read",
    handler: async (c, { ctx }) => ({ items: await Register.overdueReviews(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/risks/{id}",
    // the risk's history (ratings, reviews) as a table
    exportable: { rows: (a) => (a as { history: ReadonlyArray<unknown> }).history },
    operationId: "getRisk",
    etag: true,
    summary: "A risk with its matrix and rating history (who and why)",
    tag,
    access: "risk:read",
    handler: async (c, { ctx, params }) => Register.getRisk(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/risk/risks/{id}",
    operationId: "updateRisk",
    ifMatch: "getRisk",
    summary: "Change a risk's status, owner, controls or review cadence",
    tag,
    access: "risk:write",
    body: RiskPatch,
    handler: async (c, { ctx, params, body }) => Register.updateRisk(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/risks/{id}/ratings",
    operationId: "rateRisk",
    ifMatch: "getRisk",
    summary: "Rate a risk again with a rationale (counts as its review)",
    tag,
    access: "risk:write",
    body: RatingBody,
    status: 201,
    handler: async (c, { ctx, params, body }) => Register.rateRisk(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/rounds",
    operationId: "listRiskRounds",
    summary: "Assessment rounds with the open risks each has not yet rated",
    tag,
    access: "risk:read",
    handler: async (c, { ctx }) => ({ items: await Rounds.listRounds(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/rounds",
    operationId: "openRiskRound",
    summary: "Open an assessment round",
    tag,
    access: "risk:write",
    body: RoundBody,
    status: 201,
    handler: async (c, { ctx, body }) => Rounds.openRound(c.get("db"), ctx, body.title),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/rounds/{id}/ratings",
    operationId: "rateRiskInRound",
    summary: "Rate a risk in an assessment round",
    tag,
    access: "risk:write",
    body: RoundRatingBody,
    status: 201,
    handler: async (c, { ctx, params, body }) =>
      Rounds.rateInRound(c.get("db"), ctx, params.id!, body.riskId, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/rounds/{id}/close",
    operationId: "closeRiskRound",
    summary: "Close an assessment round",
    tag,
    access: "risk:write",
    handler: async (c, { ctx, params }) => Rounds.closeRound(c.get("db"), ctx, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/kris",
    exportable: true,
    operationId: "listKris",
    summary: "Key risk indicators (of one risk with riskId)",
    tag,
    access: "risk:read",
    query: Schema.Struct({ riskId: Schema.optionalKey(ShortText) }),
    handler: async (c, { ctx, query }) => ({ items: await Kri.kris(c.get("db"), ctx.orgId, query.riskId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/kris",
    operationId: "createKri",
    summary: "Bind a key risk indicator to a registry metric with amber and red thresholds",
    tag,
    access: "risk:manage",
    body: KriBody,
    status: 201,
    handler: async (c, { ctx, body }) => Kri.createKri(c.get("db"), ctx, registry, body),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/risk/kris/{id}",
    operationId: "updateKri",
    summary: "Change a KRI's green / amber / red thresholds (and its name, window, mode or workflow)",
    tag,
    access: "risk:manage",
    body: KriPatch,
    handler: async (c, { ctx, params, body }) => Kri.updateKri(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/kris/{id}/history",
    operationId: "kriHistory",
    summary: "A KRI's readings (value, n, state, crossings), oldest first",
    tag,
    access: "risk:read",
    handler: async (c, { ctx, params }) => ({ items: await Kri.history(c.get("db"), ctx.orgId, params.id!) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/kris/{id}/evaluate",
    operationId: "evaluateKri",
    summary: "Evaluate a KRI now (the scheduler does it every five minutes)",
    tag,
    access: "risk:write",
    handler: async (c, { ctx, params }) =>
      KriEvaluation.evaluate(c.get("db"), registry, ctx.orgId, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/suggestions",
    operationId: "listKriSuggestions",
    summary: "Likelihood raises suggested by KRI crossings, waiting for a decision",
    tag,
    access: "risk:read",
    handler: async (c, { ctx }) => ({ items: await Kri.suggestions(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/suggestions/{id}",
    operationId: "decideKriSuggestion",
    summary: "Apply or dismiss a suggested likelihood raise",
    tag,
    access: "risk:write",
    body: DecisionBody,
    handler: async (c, { ctx, params, body }) =>
      Kri.decideSuggestion(c.get("db"), ctx, params.id!, body.decision),
  }),
]
