/** Courses and who has training due or done. */
import { useQuery } from "@tanstack/react-query"
import { Badge, Button, Card, Skeleton } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { type Course, useAssignments, useCourses, useFramework, useRoster } from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useDurations, useFormat } from "../../format"
import { useSession } from "../../session"
import type { Scorecard } from "../quality/model"
import { useExportLabels } from "../table-labels"
import { CourseDialog } from "./CourseForm"
import { CoachingTasks, LowScoreRules } from "./LowScore"
import { ProgrammesCard, SessionsCard } from "./Sessions"
import { usePercent, useText2 } from "./shared"

interface Effect {
  readonly people: number
  readonly before: { n: number; mean: number | null }
  readonly after: { n: number; mean: number | null }
  readonly difference: number | null
  readonly test: { statistic: number; pValue: number; df: number } | null
  /** The QA criteria mapped to the skills the course teaches: results as 0–1 fractions. */
  readonly criteria: ReadonlyArray<{
    readonly criterionId: string
    readonly skillId: string
    readonly before: { n: number; mean: number | null }
    readonly after: { n: number; mean: number | null }
    readonly test: { pValue: number } | null
  }>
  /** QA next to CSAT, FCR and handling time, before and after (proportions as 0–1 fractions). */
  readonly linked: {
    readonly people: number
    readonly metrics: ReadonlyArray<{
      readonly metric: "qa_score" | "csat" | "fcr" | "handle_seconds"
      readonly kind: "mean" | "proportion"
      readonly before: { n: number; mean: number | null }
      readonly after: { n: number; mean: number | null }
      readonly test: { name: "welch" | "two_proportion"; pValue: number } | null
    }>
  }
}

/** QA scores 30 days before and after completing the course, with Welch's test and n; CSAT, FCR and handling time beside them. */
const Effectiveness = ({ courseId }: { courseId: string }) => {
  const { t, i18n } = useTranslation()
  const pct = usePercent()
  const { duration } = useDurations()
  const text = useText2()
  const session = useSession()
  const framework = useFramework()
  const cards = useQuery({
    queryKey: ["scorecards", getCurrentOrg()],
    queryFn: () => api<{ items: Scorecard[] }>("/api/v1/quality/scorecards"),
    enabled: session.can("quality:read"),
  })
  const areaNames = new Map((framework.data?.framework?.areas ?? []).map((a) => [a.id, text(a.name)]))
  const criterionNames = new Map(
    (cards.data?.items ?? []).flatMap((card) =>
      card.definition.sections.flatMap((s) =>
        s.criteria.map(
          (k) =>
            [
              k.id,
              (i18n.language.startsWith("zh") ? k.name["zh-CN"] : k.name.en) ?? k.name.en ?? k.id,
            ] as const,
        ),
      ),
    ),
  )
  const q = useQuery({
    queryKey: ["culture", "effectiveness", courseId],
    queryFn: () => api<Effect>(`/api/v1/culture/courses/${courseId}/effectiveness?days=30`),
  })
  if (!q.data) return <Skeleton height={16} />
  const e = q.data
  const f = (v: number | null) => (v === null ? "—" : v.toFixed(1))
  const pc = (v: number | null) => (v === null ? "—" : pct(v))
  return (
    <small data-testid={`effect-${courseId}`}>
      {t("culture.training.effect", {
        before: f(e.before.mean),
        nb: e.before.n,
        after: f(e.after.mean),
        na: e.after.n,
        p: e.test ? e.test.pValue.toFixed(3) : "—",
      })}
      {e.linked.metrics
        .filter((m) => m.metric !== "qa_score")
        .map((m) => {
          const v = (x: number | null) =>
            x === null ? "—" : m.metric === "handle_seconds" ? duration(x) : pct(x)
          return (
            <span key={m.metric} style={{ display: "block" }} data-testid={`effect-${courseId}-${m.metric}`}>
              {t(m.test ? "culture.training.linkedEffect" : "culture.training.linkedEffectNoTest", {
                metric: t(`culture.training.linkedMetric.${m.metric}`),
                before: v(m.before.mean),
                nb: m.before.n,
                after: v(m.after.mean),
                na: m.after.n,
                test: m.test ? t(`culture.training.tests.${m.test.name}`) : "",
                p: m.test ? m.test.pValue.toFixed(3) : "",
              })}
            </span>
          )
        })}
      {e.criteria.map((c) => (
        <span
          key={c.criterionId}
          style={{ display: "block" }}
          data-testid={`effect-${courseId}-${c.criterionId}`}
        >
          {t("culture.training.criterionEffect", {
            criterion: criterionNames.get(c.criterionId) ?? c.criterionId,
            skill: areaNames.get(c.skillId) ?? c.skillId,
            before: pc(c.before.mean),
            nb: c.before.n,
            after: pc(c.after.mean),
            na: c.after.n,
            p: c.test ? c.test.pValue.toFixed(3) : "—",
          })}
        </span>
      ))}
    </small>
  )
}

export const TrainingPage = () => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const courses = useCourses()
  const assignments = useAssignments()
  const roster = useRoster()
  const fmt = useFormat()
  const text = useText2()
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  const session = useSession()
  const framework = useFramework()
  const areaNames = new Map((framework.data?.framework?.areas ?? []).map((a) => [a.id, text(a.name)]))
  const [shown, setShown] = useState<string>()
  // the course being edited (null: a new one); the key remounts the form with its values
  const [editing, setEditing] = useState<{ course: Course | null; key: number }>()
  const canWrite = session.can("culture:write")
  if (courses.isLoading) return <Skeleton height={120} />
  return (
    <div style={{ display: "grid", gap: "var(--space-5)" }}>
      {editing ? (
        <CourseDialog
          key={editing.key}
          course={editing.course}
          open
          onOpenChange={(open) => (open ? null : setEditing(undefined))}
        />
      ) : null}
      <Card title={t("culture.training.courses")}>
        <ExportLinks
          url="/api/v1/culture/courses"
          columns={[
            ["title", t("culture.training.course")],
            ["format", t("culture.training.format"), exportLabels("culture.formats") ?? {}],
            ["assessment", t("culture.training.assessment"), exportLabels("culture.assessments") ?? {}],
            ["passMark", t("culture.training.passMark")],
          ]}
        />
        {canWrite ? (
          <p>
            <Button variant="primary" onClick={() => setEditing({ course: null, key: Date.now() })}>
              {t("culture.courseForm.new")}
            </Button>
          </p>
        ) : null}
        <table className="t-table">
          <thead>
            <tr>
              <th>{t("culture.training.course")}</th>
              <th>{t("culture.training.format")}</th>
              <th>{t("culture.courseForm.skills")}</th>
              <th>{t("culture.training.assessment")}</th>
              <th>{t("culture.training.passMark")}</th>
              <th>{t("culture.training.effectiveness")}</th>
              {canWrite ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {courses.data?.items.map((c) => (
              <tr key={c.id}>
                <td>{text(c.title)}</td>
                <td>{t(`culture.formats.${c.format}`)}</td>
                <td>{c.skillIds.map((s) => areaNames.get(s) ?? s).join("、") || "—"}</td>
                <td>{t(`culture.assessments.${c.assessment}`)}</td>
                <td>{c.passMark ?? "—"}</td>
                <td>
                  {shown === c.id ? (
                    <Effectiveness courseId={c.id} />
                  ) : (
                    <Button onClick={() => setShown(c.id)}>{t("culture.training.showEffect")}</Button>
                  )}
                </td>
                {canWrite ? (
                  <td>
                    <Button
                      aria-label={t("culture.courseForm.editOne", { name: text(c.title) })}
                      onClick={() => setEditing({ course: c, key: Date.now() })}
                    >
                      {t("culture.edit")}
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <ProgrammesCard />
      <SessionsCard />
      <LowScoreRules />
      <CoachingTasks />
      <Card title={t("culture.training.assignments")}>
        <ExportLinks
          url="/api/v1/culture/assignments"
          columns={[
            ["userId", t("culture.roster.name"), "user"],
            ["title", t("culture.training.course")],
            ["source", t("culture.training.source"), exportLabels("culture.source") ?? {}],
            ["dueOn", t("culture.training.dueOn")],
            ["status", t("culture.training.status"), exportLabels("culture.assignment") ?? {}],
            ["score", t("culture.score")],
          ]}
        />
        <table className="t-table">
          <thead>
            <tr>
              <th>{t("culture.roster.name")}</th>
              <th>{t("culture.training.course")}</th>
              <th>{t("culture.training.source")}</th>
              <th>{t("culture.training.dueOn")}</th>
              <th>{t("culture.training.status")}</th>
              <th>{t("culture.score")}</th>
            </tr>
          </thead>
          <tbody>
            {assignments.data?.items.map((a) => (
              <tr key={a.id}>
                <td>{names.get(a.userId) ?? a.userId}</td>
                <td>{text(a.title)}</td>
                <td>{t(`culture.source.${a.source}`)}</td>
                <td>{fmt.date(a.dueOn)}</td>
                <td>
                  <Badge tone={a.status === "passed" ? "ok" : a.status === "failed" ? "bad" : "warn"}>
                    {t(`culture.assignment.${a.status}`)}
                  </Badge>
                </td>
                <td>{a.score ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  )
}
