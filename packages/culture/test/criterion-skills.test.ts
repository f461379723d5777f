import { readFileSync } from "node:fs"
import { type Db, Errors, Organizations, type Tenancy } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CriterionSkills, cultureMigrations, Framework, FrameworkModel, Training } from "../src/index"

let db: Db.Database
let sup: Tenancy.OrgContext
const yaml = readFileSync(new URL("./fixtures/framework.yaml", import.meta.url), "utf8")
const DAY = 86_400_000
const T0 = new Date("2026-06-01T00:00:00Z")

beforeAll(async () => {
  db = await makeTestDatabase([cultureMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Map Co", slug: "map-co" })
  sup = { orgId: org.id, actor: { type: "user", id: "usr_sup", role: "supervisor" } }
})
afterAll(async () => {
  await db.close()
})

const issue = async (f: () => Promise<unknown>) => {
  try {
    await f()
    return null
  } catch (e) {
    if (!(e instanceof Errors.ValidationError)) throw e
    return [e.issues[0]!.path.join("."), e.issues[0]!.code]
  }
}

describe(`QA criteria mapped to skills (${testEngine()})`, () => {
  it("refuses a skill before a framework exists and a skill not in it; maps, changes and removes", async () => {
    expect(
      await issue(() =>
        CriterionSkills.setMapping(db, sup, { criterionId: "tone", skillId: "relationship" }),
      ),
    ).toEqual(["skillId", "unknownArea"])
    await Framework.saveFramework(db, sup, FrameworkModel.parseFramework(yaml))
    expect(
      await issue(() => CriterionSkills.setMapping(db, sup, { criterionId: "tone", skillId: "charm" })),
    ).toEqual(["skillId", "unknownArea"])
    expect(
      await issue(() => CriterionSkills.setMapping(db, sup, { criterionId: "", skillId: "relationship" })),
    ).toEqual(["criterionId", "invalidId"])
    await CriterionSkills.setMapping(db, sup, { criterionId: "tone", skillId: "communication" })
    await CriterionSkills.setMapping(db, sup, { criterionId: "tone", skillId: "relationship" })
    await CriterionSkills.setMapping(db, sup, { criterionId: "correct", skillId: "problem-solving" })
    await CriterionSkills.setMapping(db, sup, { criterionId: "greeting", skillId: "communication" })
    expect(await CriterionSkills.setMapping(db, sup, { criterionId: "greeting", skillId: null })).toBeNull()
    expect(await CriterionSkills.mappings(db, sup.orgId)).toEqual([
      { criterionId: "correct", skillId: "problem-solving" },
      { criterionId: "tone", skillId: "relationship" },
    ])
  })

  it("a course's page: only the criteria mapped to skills it teaches, results around each completion pooled (worked by hand)", async () => {
    await Training.saveCourse(db, sup, {
      id: "rapport",
      title: { "zh-CN": "亲和力", en: "Rapport" },
      format: "role_play",
      skillIds: ["relationship", "communication"],
      assessment: "quiz",
      passMark: 60,
    })
    // two people pass it, on day 0 and day 10
    for (const [user, at] of [
      ["usr_a", T0],
      ["usr_b", new Date(T0.getTime() + 10 * DAY)],
    ] as const) {
      const a = await Training.assignCourse(db, sup, {
        userId: user,
        courseId: "rapport",
        dueOn: "2026-12-31",
      })
      await Training.complete(db, { ...sup, actor: { type: "user", id: user, role: "agent" } }, a.id!, {
        score: 80,
        at,
      })
    }
    // tone results by person and day (relative to T0)
    const results: Record<string, Array<[number, number]>> = {
      usr_a: [
        [-20, 0.25],
        [-5, 0.5],
        [2, 0.75],
        [40, 0], // beyond 30 days after
      ],
      usr_b: [
        [5, 0.5], // 5 days before their completion on day 10
        [12, 1],
        [20, 1],
      ],
    }
    const asked: string[] = []
    const samples: CriterionSkills.CriterionSamples = async (_org, userId, criterionId, from, to) => {
      asked.push(criterionId)
      return (results[userId] ?? [])
        .filter(([d]) => {
          const at = T0.getTime() + d * DAY
          return at >= from.getTime() && at < to.getTime()
        })
        .map(([, v]) => v)
    }
    const out = await CriterionSkills.courseCriteriaEffectiveness(db, sup.orgId, "rapport", samples, 30)
    // `correct` maps to problem solving, which the course does not teach
    expect([...new Set(asked)]).toEqual(["tone"])
    expect(out).toHaveLength(1)
    const tone = out[0]!
    // before: 0.25, 0.5 (a) and 0.5 (b) → mean 5/12; after: 0.75 (a), 1, 1 (b) → mean 11/12
    expect([tone.criterionId, tone.skillId, tone.people, tone.before.n, tone.after.n]).toEqual([
      "tone",
      "relationship",
      2,
      3,
      3,
    ])
    expect(tone.before.mean).toBeCloseTo(5 / 12, 12)
    expect(tone.after.mean).toBeCloseTo(11 / 12, 12)
    expect(tone.difference).toBeCloseTo(0.5, 12)
    // Welch: s² = 1/48 on each side, se = √(2/144) = 0.11785, t = 0.5 / 0.11785 = 4.2426, df = 4
    expect(tone.test!.statistic).toBeCloseTo(4.2426, 4)
    expect(tone.test!.df).toBeCloseTo(4, 8)
    await expect(
      CriterionSkills.courseCriteriaEffectiveness(db, sup.orgId, "nope", samples, 30),
    ).rejects.toBeInstanceOf(Errors.NotFoundError)
  })
})
