import { endpoint } from "../http/endpoint"
import * as Iam from "../iam/service"
import * as S from "./schemas"

export const apiKeyEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/api-keys",
    exportable: true,
    operationId: "listApiKeys",
    summary: "API keys of the organisation (never the secret)",
    tag: "API keys",
    access: "apikeys:read",
    response: S.ApiKeyList,
    handler: async (c, { ctx }) => ({ items: await Iam.listApiKeys(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/api-keys",
    operationId: "createApiKey",
    summary: "Create an API key with a role; the key is returned once",
    tag: "API keys",
    access: "apikeys:manage",
    body: S.CreateApiKey,
    status: 201,
    response: S.CreatedApiKey,
    handler: async (c, { ctx, body }) => Iam.createApiKey(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/api-keys/{id}",
    operationId: "revokeApiKey",
    summary: "Revoke an API key",
    tag: "API keys",
    access: "apikeys:manage",
    status: 204,
    handler: async (c, { ctx, params }) => {
      await Iam.revokeApiKey(c.get("db"), ctx, params.id!)
    },
  }),
]
