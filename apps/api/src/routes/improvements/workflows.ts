import { type Contracts, Errors } from "@tenet/core"
import { validateWorkflow } from "@tenet/plugin-sdk"
import { Improvement } from "@tenet/process"
import { Standards } from "@tenet/standards"
import { endpoint } from "../../http/endpoint"
import { WorkflowImportBody, workflowsOf } from "./cycles"

export const workflowEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/improvements/workflows",
    exportable: true,
    operationId: "listWorkflows",
    summary:
      "Improvement workflows: contributed by plugins (source plugin) and imported as data (source library)",
    tag: "Improvements",
    access: "improvements:read",
    handler: async (c, { ctx }) => ({ items: await workflowsOf(c.get("db"), ctx.orgId, c.get("plugins")) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/improvements/workflows/import",
    operationId: "importWorkflow",
    summary:
      "Import a workflow definition as data (JSON or YAML, no code); importing the same id again replaces it for new cycles",
    tag: "Improvements",
    access: "improvements:manage",
    body: WorkflowImportBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      const doc = Standards.parseLibrary(body.text, body.format) as Record<string, unknown>
      const issues = validateWorkflow(doc)
      if (issues.length)
        throw new Errors.ValidationError({
          message: "invalid workflow",
          issues: issues.map((i) => ({
            path: ["document", ...i.path],
            message: i.reason,
            code: "workflowDocument",
            params: { detail: i.reason },
          })),
        })
      const taken = c
        .get("plugins")
        .workflows()
        .find((w) => w.id === doc.id)
      if (taken)
        throw new Errors.ValidationError({
          message: "invalid workflow",
          issues: [
            {
              path: ["document", "id"],
              message: `"${taken.id}" is contributed by plugin ${taken.plugin}; choose another id`,
              code: "idTaken",
              params: { value: taken.id, plugin: taken.plugin },
            },
          ],
        })
      return Improvement.saveWorkflow(c.get("db"), ctx, doc as unknown as Contracts.WorkflowDefinition)
    },
  }),
]
