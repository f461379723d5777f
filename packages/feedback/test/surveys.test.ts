import type { Db } from "@tenet/core"
import { testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Survey, Surveys } from "../src/index"
import { ctx, ORG, openDb } from "./helpers"

let db: Db.Database
beforeAll(async () => {
  db = await openDb()
})
afterAll(async () => {
  await db.close()
})

describe(`surveys (${testEngine()})`, () => {
  it("checks a definition: both languages, the kind's scale, options, ids", () => {
    expect(Survey.check(Survey.csatTemplate())).toEqual([])
    const bad: Survey.Definition = {
      kind: "nps",
      title: { "zh-CN": "推荐意愿", en: "" },
      questions: [
        {
          id: "q",
          type: "rating",
          text: { "zh-CN": "您会推荐吗？", en: "Would you recommend us?" },
          scale: { min: 1, max: 5 },
        },
        {
          id: "q",
          type: "single",
          text: { "zh-CN": "渠道", en: "Channel" },
          options: [{ id: "a", text: { "zh-CN": "甲", en: "A" } }],
        },
      ],
    }
    expect(Survey.check(bad).map((i) => `${i.path.join(".")}:${i.code}`)).toEqual([
      "title.en:required",
      "questions.1.id:duplicate",
      "questions.1.options:invalidOptions",
      "questions.0:invalidScale",
    ])
  })

  it("scores and classifies answers (CSAT top-2 / bottom-2 box)", () => {
    const d = Survey.csatTemplate()
    const a = { values: { overall: 2, speed: 1, attitude: 3 }, why: { overall: "等了三天才回复" } }
    expect(Survey.checkAnswers(d, a)).toEqual([])
    expect(Survey.primaryScore(d, a)).toBe(2)
    expect(Survey.sentiment(d, a)).toBe("negative")
    expect(Survey.sentiment(d, { values: { overall: 4 } })).toBe("positive")
    expect(Survey.sentiment(d, { values: { overall: 3 } })).toBe("neutral")
    expect(Survey.dimensionScores(d, a)).toEqual({ response_speed: 1, attitude: 3 })
    expect(Survey.comment(d, a)).toBe("等了三天才回复")
    expect(Survey.checkAnswers(d, { values: { overall: 6, nope: 1 } }).map((i) => i.path.join("."))).toEqual([
      "values.nope",
      "values.overall",
    ])
  })

  it("editing a published survey makes a new version; the published one stays as it was", async () => {
    const s = await Surveys.createSurvey(db, ctx, { name: "CSAT", definition: Survey.csatTemplate() })
    expect(s).toMatchObject({ latestVersion: 1, publishedVersion: null })
    // a draft changes in place
    const t = Survey.csatTemplate()
    const edited = { ...t, title: { "zh-CN": "满意度", en: "Satisfaction" } }
    expect((await Surveys.updateSurvey(db, ctx, s.id, { definition: edited })).editedVersion).toBe(1)
    await Surveys.publishSurvey(db, ctx, s.id)
    const again = { ...edited, title: { "zh-CN": "满意度（第二版）", en: "Satisfaction (v2)" } }
    const u = await Surveys.updateSurvey(db, ctx, s.id, { definition: again })
    expect(u).toMatchObject({ editedVersion: 2, latestVersion: 2, publishedVersion: 1 })
    expect((await Surveys.getVersion(db, ORG, s.id, 1)).definition.title.en).toBe("Satisfaction")
    await Surveys.publishSurvey(db, ctx, s.id)
    const versions = await Surveys.listVersions(db, ORG, s.id)
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, "published"],
      [1, "superseded"],
    ])
    await expect(Surveys.publishSurvey(db, ctx, s.id)).rejects.toMatchObject({
      _tag: "ConflictError",
      code: "surveyAlreadyPublished",
    })
    await expect(
      Surveys.updateSurvey(db, ctx, s.id, { definition: { ...again, kind: "custom" } }),
    ).rejects.toMatchObject({ _tag: "ConflictError" })
  })

  it("refuses an invalid survey with the field paths", async () => {
    await expect(
      Surveys.createSurvey(db, ctx, { name: "", definition: { ...Survey.csatTemplate(), questions: [] } }),
    ).rejects.toMatchObject({ _tag: "ValidationError", issues: [{ path: ["name"] }] })
    await expect(
      Surveys.createSurvey(db, ctx, { name: "x", definition: { ...Survey.csatTemplate(), questions: [] } }),
    ).rejects.toMatchObject({ _tag: "ValidationError" })
  })
})
