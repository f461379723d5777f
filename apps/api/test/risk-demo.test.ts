import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import {
  Activations,
  Exercises,
  Incidents,
  Kri,
  Plans,
  PrivacyRequests,
  Register,
  type RiskTables,
  Rounds,
} from "@tenet/risk"
import { expect, it } from "vitest"
import { seedDemo } from "../src/demo"
import { MODULES } from "../src/modules"
import { requestCalendar } from "../src/privacy/clock"
import { caseLookup } from "../src/risk/cases"

it(`the demo's risks: the catalogue rated, KRIs on its real metrics (one amber, one red), a plan activated by the red KRI, two incidents, subject requests due on business days (${testEngine()})`, {
  timeout: 600_000,
}, async () => {
  const db = await makeTestDatabase(MODULES.slice(1))
  try {
    const { orgId } = await seedDemo(db, { days: 30 })
    expect((await Register.listRisks(db, orgId)).map((r) => r.categoryId).sort()).toEqual([
      "data_leakage",
      "demand_surge",
      "poor_communication",
      "quality_decline",
      "response_delay",
      "service_interruption",
      "system_failure",
    ])
    const kris = await Kri.kris(db, orgId)
    expect(kris.map((k) => [k.metricId, k.state])).toEqual([
      ["process.backlog", "red"],
      ["process.first_response_sla", "amber"],
    ])
    expect((await Register.overdueReviews(db, orgId)).length).toBe(1)
    // the amber first-response KRI (suggest mode) waits for a decision on the assessment screen
    expect(
      (await Kri.suggestions(db, orgId)).map((s) => [s.kriId, s.fromLikelihood, s.toLikelihood]),
    ).toEqual([[kris[1]!.id, 2, 3]])
    // this quarter's round is open with two risks rated and five still to rate
    const rounds = await Rounds.listRounds(db, orgId)
    expect(rounds.map((r) => [r.status, r.rated, r.notRated.length])).toEqual([["open", 2, 5]])
    const acts = await Activations.listActivations(db, orgId)
    const past = acts.find((a) => a.status === "closed")!
    const got = await Activations.getActivation(db, orgId, past.id)
    expect(got.timeline).toHaveLength(3)
    // the red backlog KRI activated the contact-surge plan bound to it, once
    const plans = await Plans.listPlans(db, orgId)
    const surge = plans.find((p) => p.scenario === "demand_surge")!
    expect(surge.triggers.find((t) => t.kind === "kri")?.kriId).toBe(kris[0]!.id)
    const byKri = acts.filter((a) => a.kriId === kris[0]!.id)
    expect(byKri.map((a) => [a.planId, a.status, a.tier])).toEqual([[surge.id, "active", "s1"]])
    expect((await Exercises.listExercises(db, orgId)).length).toBe(1)
    const incidents = await Incidents.listIncidents(db, orgId)
    expect(incidents.map((i) => [i.kind, i.status])).toEqual([
      ["data_security", "open"],
      ["service", "resolved"],
    ])
    expect(incidents[0]!.notices.find((n) => n.regime === "gdpr")!.remainingMs).toBeGreaterThan(0)
    // both incidents name real demo cases, and each case finds its incident
    for (const i of incidents) {
      expect(i.affectedCases.length).toBeGreaterThan(0)
      const found = await caseLookup(db)(orgId, i.affectedCases)
      expect(found.size).toBe(i.affectedCases.length)
      const byCase = await Incidents.listIncidents(db, orgId, new Date(), { caseId: i.affectedCases[0]! })
      expect(byCase.map((x) => x.id)).toEqual([i.id])
    }
    // the demo's subject requests count their 30 days on the organisation's business calendar (its
    // service calendar here), like requests the privacy officer records — not 30 calendar days
    const { calendar, source } = await requestCalendar(db, orgId)
    expect(source).toBe("service")
    const requests = await PrivacyRequests.queue(db.as<RiskTables>(), orgId, {})
    expect(requests.length).toBe(3)
    for (const r of requests) {
      const received = new Date(r.receivedAt)
      expect(new Date(r.dueAt).toISOString()).toBe(
        PrivacyRequests.dueDate(received, 30, calendar).toISOString(),
      )
      // a business calendar with weekends and holidays makes 30 business days longer than 30 days
      expect(new Date(r.dueAt).getTime() - received.getTime()).toBeGreaterThan(30 * 86_400_000)
    }
  } finally {
    await db.close()
  }
})
