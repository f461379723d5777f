/** The agent's home: my cases and SLA risks, my QA scores, training due, certifications, kudos. */
import { Certification, Recognition, Training } from "@tenet/culture"
import { Cases } from "@tenet/process"
import { QualityService } from "@tenet/standards"
import { endpoint } from "../../http/endpoint"

export const homeEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/home",
    operationId: "agentHome",
    summary:
      "For the signed-in person: open cases and SLA risks, QA scores, training due, certifications and kudos",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => {
      const db = c.get("db")
      const me = ctx.actor.id
      const cases = await Cases.listCases(db, ctx.orgId, {
        ownerId: me,
        open: true,
        limit: 50,
        sort: "-receivedAt",
      })
      const qa = (await QualityService.listEvaluations(db, ctx.orgId, { agentId: me })).slice(0, 10)
      const training = await Training.assignmentsOf(db, ctx.orgId, me)
      return {
        cases: cases.items,
        slaRisks: cases.items.filter((k) => k.slaState === "warning" || k.slaState === "breached"),
        qa: qa.map((e) => ({
          id: e.id,
          caseId: e.caseId,
          score: e.score,
          passed: e.passed,
          critical: e.critical,
          evaluatedAt: e.evaluatedAt,
        })),
        trainingDue: training.filter((t) => t.status !== "passed"),
        trainingDone: training.filter((t) => t.status === "passed"),
        certifications: await Certification.grantsOf(db, ctx.orgId, { userId: me }),
        kudos: await Recognition.wall(db, ctx.orgId, { toUser: me, limit: 20 }),
      }
    },
  }),
]
