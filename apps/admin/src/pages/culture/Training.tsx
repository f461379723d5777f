/** Courses and who has training due or done. */
import { Badge, Card, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useAssignments, useCourses, useRoster } from "../../api/culture"
import { useFormat } from "../../format"
import { useText2 } from "./shared"

export const TrainingPage = () => {
  const { t } = useTranslation()
  const courses = useCourses()
  const assignments = useAssignments()
  const roster = useRoster()
  const fmt = useFormat()
  const text = useText2()
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  if (courses.isLoading) return <Skeleton height={120} />
  return (
    <div style={{ display: "grid", gap: "var(--space-5)" }}>
      <Card title={t("culture.training.courses")}>
        <table className="t-table">
          <thead>
            <tr>
              <th>{t("culture.training.course")}</th>
              <th>{t("culture.training.format")}</th>
              <th>{t("culture.training.assessment")}</th>
              <th>{t("culture.training.passMark")}</th>
            </tr>
          </thead>
          <tbody>
            {courses.data?.items.map((c) => (
              <tr key={c.id}>
                <td>{text(c.title)}</td>
                <td>{t(`culture.formats.${c.format}`)}</td>
                <td>{t(`culture.assessments.${c.assessment}`)}</td>
                <td>{c.passMark ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={t("culture.training.assignments")}>
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
