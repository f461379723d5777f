/** Low QA score rules (assign a course or raise coaching) and the coaching tasks they raised. */
import { useQuery } from "@tanstack/react-query"
import { Link } from "@tanstack/react-router"
import {
  Badge,
  Button,
  Callout,
  Card,
  ConfirmDialog,
  Dialog,
  DialogActions,
  Field,
  Input,
  Select,
} from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg } from "../../api/client"
import {
  type CoachingTask,
  type LowScoreRule,
  useCoaching,
  useCourses,
  useCultureWrite,
  useLowScoreRules,
  useRoster,
} from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import type { Scorecard } from "../quality/model"
import { usePercent, useText2 } from "./shared"

export const useScorecards = (enabled: boolean) =>
  useQuery({
    queryKey: ["scorecards", getCurrentOrg()],
    queryFn: () => api<{ items: Scorecard[] }>("/api/v1/quality/scorecards"),
    enabled,
  })

/** A criterion's name in the reader's language. */
export const useCriterionName = () => {
  const { i18n } = useTranslation()
  return (c: { id: string; name: Record<string, string> }) =>
    (i18n.language.startsWith("zh") ? c.name["zh-CN"] : c.name.en) ?? c.name.en ?? c.name["zh-CN"] ?? c.id
}

interface Form {
  id: string
  scorecardId: string
  criterionId: string
  /** The threshold as the person types it, a percentage. */
  percent: string
  action: "course" | "coaching"
  courseId: string
  dueDays: string
  enabled: boolean
}

const toForm = (r: LowScoreRule | null): Form => ({
  id: r?.id ?? "",
  scorecardId: r?.scorecardId ?? "",
  criterionId: r?.criterionId ?? "",
  percent: r ? String(Math.round(r.threshold * 1000) / 10) : "70",
  action: r?.action ?? "coaching",
  courseId: r?.courseId ?? "",
  dueDays: String(r?.dueDays ?? 14),
  enabled: r?.enabled ?? true,
})

const RuleDialog = ({ rule, onClose }: { rule: LowScoreRule | null; onClose: () => void }) => {
  const { t } = useTranslation()
  const session = useSession()
  const cards = useScorecards(session.can("quality:read"))
  const courses = useCourses()
  const text = useText2()
  const criterionName = useCriterionName()
  const write = useCultureWrite()
  const [form, setForm] = useState<Form>(() => toForm(rule))
  const error = write.error instanceof ApiError ? write.error : null
  const card = cards.data?.items.find((c) => c.id === form.scorecardId)
  // the criteria of the chosen scorecard, or of every scorecard (a rule for any scorecard)
  const criteria = (card ? [card] : (cards.data?.items ?? []))
    .flatMap((c) => c.definition.sections.flatMap((s) => s.criteria))
    .filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i)
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={rule ? t("culture.lowScore.editTitle") : t("culture.lowScore.newTitle")}
      description={t("culture.lowScore.hint")}
    >
      <form
        data-testid="low-score-form"
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate(
            {
              method: "PUT",
              path: `/api/v1/culture/low-score-rules/${encodeURIComponent(form.id.trim())}`,
              body: {
                scorecardId: form.scorecardId || null,
                criterionId: form.criterionId || null,
                threshold: Number(form.percent) / 100,
                action: form.action,
                courseId: form.action === "course" ? form.courseId || null : null,
                dueDays: Number(form.dueDays),
                enabled: form.enabled,
              },
            },
            { onSuccess: onClose },
          )
        }}
      >
        <Field label={t("culture.lowScore.id")} hint={t("culture.keyHint")} error={error?.field("id")}>
          {(p) => (
            <Input
              {...p}
              value={form.id}
              disabled={Boolean(rule)}
              maxLength={64}
              onChange={(e) => setForm({ ...form, id: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.lowScore.scorecard")} error={error?.field("scorecardId")}>
          {(p) => (
            <Select
              {...p}
              value={form.scorecardId}
              onChange={(e) => setForm({ ...form, scorecardId: e.target.value, criterionId: "" })}
            >
              <option value="">{t("culture.lowScore.anyScorecard")}</option>
              {cards.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("culture.lowScore.measure")} error={error?.field("criterionId")}>
          {(p) => (
            <Select
              {...p}
              value={form.criterionId}
              onChange={(e) => setForm({ ...form, criterionId: e.target.value })}
            >
              <option value="">{t("culture.lowScore.overall")}</option>
              {criteria.map((c) => (
                <option key={c.id} value={c.id}>
                  {t("culture.lowScore.criterion", { name: criterionName(c) })}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          label={t("culture.lowScore.threshold")}
          hint={t("culture.lowScore.thresholdHint")}
          error={error?.field("threshold")}
        >
          {(p) => (
            <Input
              {...p}
              type="number"
              min={0.1}
              max={100}
              step="any"
              value={form.percent}
              onChange={(e) => setForm({ ...form, percent: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.lowScore.action")} error={error?.field("action")}>
          {(p) => (
            <Select
              {...p}
              value={form.action}
              onChange={(e) => setForm({ ...form, action: e.target.value as Form["action"] })}
            >
              <option value="coaching">{t("culture.lowScore.actions.coaching")}</option>
              <option value="course">{t("culture.lowScore.actions.course")}</option>
            </Select>
          )}
        </Field>
        {form.action === "course" ? (
          <Field label={t("culture.training.course")} error={error?.field("courseId")}>
            {(p) => (
              <Select
                {...p}
                value={form.courseId}
                onChange={(e) => setForm({ ...form, courseId: e.target.value })}
                required
              >
                <option value="">—</option>
                {courses.data?.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {text(c.title)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ) : null}
        <Field label={t("culture.lowScore.dueDays")} error={error?.field("dueDays")}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={1}
              max={365}
              step={1}
              value={form.dueDays}
              onChange={(e) => setForm({ ...form, dueDays: e.target.value })}
              required
            />
          )}
        </Field>
        <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 12 }}>
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
          />
          {t("culture.lowScore.enabled")}
        </label>
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <DialogActions>
          <Button type="button" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={write.isPending}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

/** The rules, with a form to add or change one (culture:manage). */
export const LowScoreRules = () => {
  const { t } = useTranslation()
  const session = useSession()
  const rules = useLowScoreRules()
  const courses = useCourses()
  const cards = useScorecards(session.can("quality:read"))
  const text = useText2()
  const pct = usePercent()
  const criterionName = useCriterionName()
  const [editing, setEditing] = useState<{ rule: LowScoreRule | null; key: number }>()
  const [deleting, setDeleting] = useState<LowScoreRule>()
  const remove = useCultureWrite()
  const canManage = session.can("culture:manage")
  const courseNames = new Map((courses.data?.items ?? []).map((c) => [c.id, text(c.title)]))
  const cardNames = new Map((cards.data?.items ?? []).map((c) => [c.id, c.name]))
  const criteria = new Map(
    (cards.data?.items ?? []).flatMap((c) =>
      c.definition.sections.flatMap((s) => s.criteria.map((k) => [k.id, criterionName(k)] as const)),
    ),
  )
  return (
    <Card title={t("culture.lowScore.title")}>
      <p className="t-hint">{t("culture.lowScore.hint")}</p>
      <ExportLinks
        url="/api/v1/culture/low-score-rules"
        columns={[
          ["scorecardId", t("culture.lowScore.scorecard")],
          ["criterionId", t("culture.criterionSkills.criterion")],
          ["threshold", t("culture.lowScore.threshold")],
          ["action", t("culture.lowScore.action")],
          ["courseId", t("culture.training.course")],
          ["dueDays", t("culture.lowScore.dueDays")],
          ["enabled", t("culture.training.status")],
        ]}
      />
      {editing ? (
        <RuleDialog key={editing.key} rule={editing.rule} onClose={() => setEditing(undefined)} />
      ) : null}
      <ConfirmDialog
        open={Boolean(deleting)}
        title={t("culture.lowScore.deleteTitle")}
        confirmLabel={t("culture.lowScore.delete")}
        cancelLabel={t("common.cancel")}
        onCancel={() => setDeleting(undefined)}
        onConfirm={() =>
          deleting &&
          remove.mutate(
            {
              method: "DELETE",
              path: `/api/v1/culture/low-score-rules/${encodeURIComponent(deleting.id)}`,
            },
            { onSettled: () => setDeleting(undefined) },
          )
        }
      >
        {t("culture.lowScore.deleteConfirm", { id: deleting?.id ?? "" })}
      </ConfirmDialog>
      {remove.error ? (
        <Callout tone="bad">
          {remove.error instanceof ApiError ? remove.error.text() : (remove.error as Error).message}
        </Callout>
      ) : null}
      {canManage ? (
        <p>
          <Button variant="primary" onClick={() => setEditing({ rule: null, key: Date.now() })}>
            {t("culture.lowScore.new")}
          </Button>
        </p>
      ) : null}
      {rules.data && rules.data.items.length === 0 ? <p>{t("culture.lowScore.none")}</p> : null}
      {rules.data?.items.length ? (
        <table className="t-table" data-testid="low-score-rules">
          <thead>
            <tr>
              <th>{t("culture.lowScore.when")}</th>
              <th>{t("culture.lowScore.scorecard")}</th>
              <th>{t("culture.lowScore.action")}</th>
              <th>{t("culture.lowScore.dueDays")}</th>
              <th>{t("culture.training.status")}</th>
              {canManage ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {rules.data.items.map((r) => (
              <tr key={r.id}>
                <td>
                  {t("culture.lowScore.below", {
                    what: r.criterionId
                      ? t("culture.lowScore.criterion", {
                          name: criteria.get(r.criterionId) ?? r.criterionId,
                        })
                      : t("culture.lowScore.overall"),
                    threshold: pct(r.threshold),
                  })}{" "}
                  <code className="t-code">{r.id}</code>
                </td>
                <td>
                  {r.scorecardId
                    ? (cardNames.get(r.scorecardId) ?? r.scorecardId)
                    : t("culture.lowScore.anyScorecard")}
                </td>
                <td>
                  {r.action === "course"
                    ? t("culture.lowScore.assigns", {
                        course: courseNames.get(r.courseId ?? "") ?? r.courseId,
                      })
                    : t("culture.lowScore.actions.coaching")}
                </td>
                <td>{r.dueDays}</td>
                <td>
                  <Badge tone={r.enabled ? "ok" : undefined}>
                    {r.enabled ? t("culture.lowScore.on") : t("culture.lowScore.off")}
                  </Badge>
                </td>
                {canManage ? (
                  <td>
                    <Button
                      aria-label={t("culture.lowScore.editOne", { id: r.id })}
                      onClick={() => setEditing({ rule: r, key: Date.now() })}
                    >
                      {t("culture.edit")}
                    </Button>{" "}
                    <Button
                      variant="danger"
                      aria-label={t("culture.lowScore.deleteOne", { id: r.id })}
                      onClick={() => setDeleting(r)}
                    >
                      {t("culture.lowScore.delete")}
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  )
}

const DoneDialog = ({ task, onClose }: { task: CoachingTask; onClose: () => void }) => {
  const { t } = useTranslation()
  const write = useCultureWrite()
  const [note, setNote] = useState("")
  const error = write.error instanceof ApiError ? write.error : null
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())} title={t("culture.coaching.doneTitle")}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate(
            {
              method: "POST",
              path: `/api/v1/culture/coaching/${task.id}/done`,
              body: note.trim() ? { note } : {},
            },
            { onSuccess: onClose },
          )
        }}
      >
        <Field label={t("culture.coaching.note")} error={error?.field("note")}>
          {(p) => <Input {...p} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <DialogActions>
          <Button type="button" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={write.isPending}>
            {t("culture.coaching.markDone")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

/** Coaching raised by the rules: open first; a supervisor closes one with a note. */
export const CoachingTasks = () => {
  const { t } = useTranslation()
  const session = useSession()
  const tasks = useCoaching()
  const roster = useRoster()
  const fmt = useFormat()
  const pct = usePercent()
  const [closing, setClosing] = useState<CoachingTask>()
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  const canWrite = session.can("culture:write")
  return (
    <Card title={t("culture.coaching.title")}>
      {closing ? <DoneDialog task={closing} onClose={() => setClosing(undefined)} /> : null}
      <ExportLinks
        url="/api/v1/culture/coaching"
        columns={[
          ["userId", t("culture.roster.name"), "user"],
          ["caseId", t("culture.coaching.case")],
          ["result", t("culture.coaching.result")],
          ["threshold", t("culture.lowScore.threshold")],
          ["dueOn", t("culture.training.dueOn")],
          ["status", t("culture.training.status")],
        ]}
      />
      {tasks.data && tasks.data.items.length === 0 ? <p>{t("culture.coaching.none")}</p> : null}
      {tasks.data?.items.length ? (
        <table className="t-table" data-testid="coaching-tasks">
          <thead>
            <tr>
              <th>{t("culture.roster.name")}</th>
              <th>{t("culture.coaching.result")}</th>
              <th>{t("culture.coaching.coach")}</th>
              <th>{t("culture.training.dueOn")}</th>
              <th>{t("culture.training.status")}</th>
              {canWrite ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {tasks.data.items.map((task) => (
              <tr key={task.id}>
                <td>
                  {names.get(task.userId) ?? task.userId}{" "}
                  <Link to="/cases/$caseId" params={{ caseId: task.caseId }}>
                    {t("culture.coaching.case")}
                  </Link>
                </td>
                <td>
                  {t("culture.coaching.resultOf", {
                    result: pct(task.result),
                    threshold: pct(task.threshold),
                    rule: task.ruleId,
                  })}
                </td>
                <td>{task.coachId ? (names.get(task.coachId) ?? task.coachId) : "—"}</td>
                <td>{fmt.date(task.dueOn)}</td>
                <td>
                  <Badge tone={task.status === "done" ? "ok" : "warn"}>
                    {t(`culture.coaching.${task.status}`)}
                  </Badge>
                  {task.note ? <small style={{ display: "block" }}>{task.note}</small> : null}
                </td>
                {canWrite ? (
                  <td>
                    {task.status === "open" ? (
                      <Button
                        aria-label={t("culture.coaching.markDoneFor", {
                          name: names.get(task.userId) ?? task.userId,
                        })}
                        onClick={() => setClosing(task)}
                      >
                        {t("culture.coaching.markDone")}
                      </Button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  )
}
