// The feedback routes for when the customer's voice opens improvement cycles: the setting and the triggers answered.
import { Improvement } from "@tenet/feedback"
import { endpoint } from "../../http/endpoint"
import { ImprovementSettingBody } from "./schemas"

const TAG = "Feedback"

export const improvementEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/feedback/improvement",
    operationId: "getFeedbackImprovementSetting",
    summary:
      "When the customer's voice opens an improvement cycle (trigger complaint): the workflow, the complaints per cause that start one and their window, and the triggers answered so far",
    tag: TAG,
    access: "feedback:read",
    handler: async (c, { ctx }) => {
      const db = c.get("db")
      return {
        ...(await Improvement.getSettings(db, ctx.orgId)),
        satisfactionMetrics: Improvement.SATISFACTION_METRICS,
        triggers: await Improvement.listTriggers(db, ctx.orgId),
      }
    },
  }),
  endpoint({
    method: "put",
    path: "/api/v1/feedback/improvement",
    operationId: "saveFeedbackImprovementSetting",
    summary:
      "Set when a breached satisfaction target or a complaint cause crossing its threshold opens an improvement cycle",
    tag: TAG,
    access: "feedback:manage",
    body: ImprovementSettingBody,
    handler: async (c, { ctx, body }) => Improvement.saveSettings(c.get("db"), ctx, body),
  }),
]
