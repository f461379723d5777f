/**
 * The agent's home: my cases and SLA risks, my QA scores, my satisfaction, training due and
 * coaching, certifications, kudos. The API joins the modules here: culture does not read feedback.
 */
import { Certification, LowScore, Recognition, Training } from "@tenet/culture"
import { Results } from "@tenet/feedback"
import { Cases } from "@tenet/process"
import { QualityService } from "@tenet/standards"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"

/**
 * The person's own CSAT over the last `days` (responses to surveys of the cases they worked): the
 * satisfied share (4–5 of 5) with its Wilson interval and n, and the change from the period before.
 */
export const mySatisfaction = async (
  db: Parameters<typeof Results.results>[0],
  orgId: string,
  userId: string,
  days: number,
  now = new Date(),
) => {
  const from = new Date(now.getTime() - days * 86_400_000)
  const r = await Results.results(db, orgId, { kind: "csat", from, to: now, agentId: userId })
  return {
    kind: "csat" as const,
    days,
    from,
    to: now,
    value: r.score.value,
    lower: r.score.lower,
    upper: r.score.upper,
    satisfied: r.score.numerator ?? 0,
    n: r.score.n,
    minN: r.minN,
    warning: r.warning,
    previous: {
      value: r.previous.score.value,
      n: r.previous.score.n,
      difference: r.previous.difference,
      pValue: r.previous.pValue,
      significant: r.previous.significant,
    },
  }
}

export const homeEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/home",
    operationId: "agentHome",
    summary:
      "For the signed-in person: open cases and SLA risks, QA scores, satisfaction (CSAT with its interval and n), training due, coaching, certifications and kudos",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({
      days: Schema.optionalKey(
        Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 7, maximum: 365 })),
      ),
    }),
    handler: async (c, { ctx, query }) => {
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
        satisfaction: await mySatisfaction(db, ctx.orgId, me, query.days ?? 90),
        trainingDue: training.filter((t) => t.status !== "passed"),
        coaching: await LowScore.coachingTasks(db, ctx.orgId, { userId: me, status: "open" }),
        trainingDone: training.filter((t) => t.status === "passed"),
        certifications: await Certification.grantsOf(db, ctx.orgId, { userId: me }),
        kudos: await Recognition.wall(db, ctx.orgId, { toUser: me, limit: 20 }),
      }
    },
  }),
]
