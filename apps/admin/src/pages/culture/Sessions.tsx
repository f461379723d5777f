/** Sessions of courses with attendance, and training programmes with enrolment and progress. */
import { Badge, Button, Callout, Card, Dialog, DialogActions, Field, Input, Select } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import {
  type AttendanceStatus,
  type Programme,
  type TrainingSession,
  useCourses,
  useCultureWrite,
  useProgrammes,
  useRoster,
  useSessions,
} from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useExportLabels } from "../table-labels"
import { useText2 } from "./shared"

const STATUSES: ReadonlyArray<AttendanceStatus> = ["registered", "attended", "absent"]

const ScheduleDialog = ({ onClose }: { onClose: () => void }) => {
  const { t } = useTranslation()
  const courses = useCourses()
  const text = useText2()
  const write = useCultureWrite()
  const [form, setForm] = useState({ courseId: "", startsAt: "", endsAt: "", location: "" })
  const error = write.error instanceof ApiError ? write.error : null
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())} title={t("culture.sessions.new")}>
      <form
        data-testid="session-form"
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate(
            {
              method: "POST",
              path: `/api/v1/culture/courses/${encodeURIComponent(form.courseId)}/sessions`,
              body: {
                startsAt: new Date(form.startsAt).toISOString(),
                endsAt: new Date(form.endsAt).toISOString(),
                ...(form.location.trim() ? { location: form.location.trim() } : {}),
              },
            },
            { onSuccess: onClose },
          )
        }}
      >
        <Field label={t("culture.training.course")} error={error?.field("id")}>
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
        <Field label={t("culture.sessions.starts")} error={error?.field("startsAt")}>
          {(p) => (
            <Input
              {...p}
              type="datetime-local"
              value={form.startsAt}
              onChange={(e) => setForm({ ...form, startsAt: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.sessions.ends")} error={error?.field("endsAt")}>
          {(p) => (
            <Input
              {...p}
              type="datetime-local"
              value={form.endsAt}
              onChange={(e) => setForm({ ...form, endsAt: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.sessions.location")} error={error?.field("location")}>
          {(p) => (
            <Input
              {...p}
              value={form.location}
              maxLength={200}
              onChange={(e) => setForm({ ...form, location: e.target.value })}
            />
          )}
        </Field>
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

const AttendanceDialog = ({ session, onClose }: { session: TrainingSession; onClose: () => void }) => {
  const { t } = useTranslation()
  const roster = useRoster()
  const text = useText2()
  const write = useCultureWrite()
  const [marks, setMarks] = useState<Record<string, AttendanceStatus | "">>(() =>
    Object.fromEntries(session.attendance.map((a) => [a.userId, a.status])),
  )
  const error = write.error instanceof ApiError ? write.error : null
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={t("culture.sessions.attendanceOf", { course: text(session.title) })}
    >
      <form
        data-testid="attendance-form"
        onSubmit={(e) => {
          e.preventDefault()
          const entries = Object.entries(marks)
            .filter((x): x is [string, AttendanceStatus] => x[1] !== "")
            .map(([userId, status]) => ({ userId, status }))
          write.mutate(
            { method: "POST", path: `/api/v1/culture/sessions/${session.id}/attendance`, body: { entries } },
            { onSuccess: onClose },
          )
        }}
      >
        {roster.data?.items.map((person) => (
          <Field key={person.userId} label={person.displayName}>
            {(p) => (
              <Select
                {...p}
                value={marks[person.userId] ?? ""}
                onChange={(e) =>
                  setMarks({ ...marks, [person.userId]: e.target.value as AttendanceStatus | "" })
                }
              >
                <option value="">—</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`culture.sessions.status.${s}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ))}
        {error ? <Callout tone="bad">{error.text()}</Callout> : null}
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

/** Sessions, latest first, with their attendance. */
export const SessionsCard = () => {
  const { t } = useTranslation()
  const sessions = useSessions()
  const roster = useRoster()
  const fmt = useFormat()
  const text = useText2()
  const exportLabels = useExportLabels()
  const canWrite = useSession().can("culture:write")
  const [scheduling, setScheduling] = useState(false)
  const [marking, setMarking] = useState<TrainingSession>()
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  return (
    <Card title={t("culture.sessions.title")}>
      <ExportLinks
        url="/api/v1/culture/sessions"
        columns={[
          ["title", t("culture.training.course")],
          ["startsAt", t("culture.sessions.starts")],
          ["endsAt", t("culture.sessions.ends")],
          ["location", t("culture.sessions.location")],
          ["registered", t("culture.sessions.status.registered")],
          ["attended", t("culture.sessions.status.attended")],
          ["absent", t("culture.sessions.status.absent")],
          ["attendance.userId", t("culture.roster.name"), "user"],
          ["attendance.status", t("culture.training.status"), exportLabels("culture.sessions.status") ?? {}],
        ]}
      />
      {scheduling ? <ScheduleDialog onClose={() => setScheduling(false)} /> : null}
      {marking ? <AttendanceDialog session={marking} onClose={() => setMarking(undefined)} /> : null}
      {canWrite ? (
        <p>
          <Button variant="primary" onClick={() => setScheduling(true)}>
            {t("culture.sessions.new")}
          </Button>
        </p>
      ) : null}
      {sessions.data && sessions.data.items.length === 0 ? <p>{t("culture.sessions.none")}</p> : null}
      {sessions.data?.items.length ? (
        <table className="t-table" data-testid="training-sessions">
          <thead>
            <tr>
              <th>{t("culture.training.course")}</th>
              <th>{t("culture.sessions.when")}</th>
              <th>{t("culture.sessions.location")}</th>
              <th>{t("culture.sessions.attendance")}</th>
              {canWrite ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {sessions.data.items.map((s) => (
              <tr key={s.id}>
                <td>{text(s.title)}</td>
                <td>
                  {fmt.dateTime(s.startsAt)} – {fmt.dateTime(s.endsAt)}
                </td>
                <td>{s.location ?? "—"}</td>
                <td>
                  {t("culture.sessions.counts", {
                    registered: s.registered,
                    attended: s.attended,
                    absent: s.absent,
                  })}
                  {s.attendance.length ? (
                    <small style={{ display: "block" }}>
                      {s.attendance
                        .map(
                          (a) =>
                            `${names.get(a.userId) ?? a.userId}（${t(`culture.sessions.status.${a.status}`)}）`,
                        )
                        .join("、")}
                    </small>
                  ) : null}
                </td>
                {canWrite ? (
                  <td>
                    <Button
                      aria-label={t("culture.sessions.markOne", { course: text(s.title) })}
                      onClick={() => setMarking(s)}
                    >
                      {t("culture.sessions.mark")}
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

const ProgrammeDialog = ({ onClose }: { onClose: () => void }) => {
  const { t } = useTranslation()
  const courses = useCourses()
  const text = useText2()
  const write = useCultureWrite()
  const [form, setForm] = useState({ id: "", zh: "", en: "", courseIds: [] as string[], dueDays: "30" })
  const error = write.error instanceof ApiError ? write.error : null
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())} title={t("culture.programmes.new")}>
      <form
        data-testid="programme-form"
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate(
            {
              method: "PUT",
              path: `/api/v1/culture/programmes/${encodeURIComponent(form.id.trim())}`,
              body: {
                name: { "zh-CN": form.zh, en: form.en },
                courseIds: form.courseIds,
                dueDays: Number(form.dueDays),
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
              maxLength={64}
              onChange={(e) => setForm({ ...form, id: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.programmes.nameZh")} error={error?.field("name/zh-CN")}>
          {(p) => (
            <Input
              {...p}
              value={form.zh}
              onChange={(e) => setForm({ ...form, zh: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.programmes.nameEn")} error={error?.field("name/en")}>
          {(p) => (
            <Input
              {...p}
              value={form.en}
              onChange={(e) => setForm({ ...form, en: e.target.value })}
              required
            />
          )}
        </Field>
        <fieldset>
          <legend>{t("culture.programmes.courses")}</legend>
          {courses.data?.items.map((c) => (
            <label key={c.id} style={{ display: "block" }}>
              <input
                type="checkbox"
                checked={form.courseIds.includes(c.id)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    // in the order they are ticked
                    courseIds: e.target.checked
                      ? [...form.courseIds, c.id]
                      : form.courseIds.filter((x) => x !== c.id),
                  })
                }
              />{" "}
              {text(c.title)}
              {form.courseIds.includes(c.id) ? ` (${form.courseIds.indexOf(c.id) + 1})` : ""}
            </label>
          ))}
          {error?.field("courseIds") ? <Callout tone="bad">{error.field("courseIds")}</Callout> : null}
        </fieldset>
        <Field label={t("culture.programmes.dueDays")} error={error?.field("dueDays")}>
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

const EnrolDialog = ({ programme, onClose }: { programme: Programme; onClose: () => void }) => {
  const { t } = useTranslation()
  const roster = useRoster()
  const text = useText2()
  const write = useCultureWrite()
  const enrolled = new Set(programme.enrolled.map((e) => e.userId))
  const [picked, setPicked] = useState<string[]>([])
  const error = write.error instanceof ApiError ? write.error : null
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={t("culture.programmes.enrolIn", { name: text(programme.name) })}
      description={t("culture.programmes.enrolHint")}
    >
      <form
        data-testid="enrol-form"
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate(
            {
              method: "POST",
              path: `/api/v1/culture/programmes/${encodeURIComponent(programme.id)}/enrolments`,
              body: { userIds: picked },
            },
            { onSuccess: onClose },
          )
        }}
      >
        {roster.data?.items
          .filter((p) => !p.leftOn && !enrolled.has(p.userId))
          .map((p) => (
            <label key={p.userId} style={{ display: "block" }}>
              <input
                type="checkbox"
                checked={picked.includes(p.userId)}
                onChange={(e) =>
                  setPicked(e.target.checked ? [...picked, p.userId] : picked.filter((x) => x !== p.userId))
                }
              />{" "}
              {p.displayName}
            </label>
          ))}
        {error ? <Callout tone="bad">{error.text()}</Callout> : null}
        <DialogActions>
          <Button type="button" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={write.isPending || picked.length === 0}>
            {t("culture.programmes.enrol")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

/** Programmes: their courses in order, who is enrolled and how far each has come. */
export const ProgrammesCard = () => {
  const { t } = useTranslation()
  const programmes = useProgrammes()
  const courses = useCourses()
  const roster = useRoster()
  const text = useText2()
  const canWrite = useSession().can("culture:write")
  const [creating, setCreating] = useState(false)
  const [enrolling, setEnrolling] = useState<Programme>()
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  const courseNames = new Map((courses.data?.items ?? []).map((c) => [c.id, text(c.title)]))
  return (
    <Card title={t("culture.programmes.title")}>
      <p className="t-hint">{t("culture.programmes.hint")}</p>
      <ExportLinks
        url="/api/v1/culture/programmes"
        columns={[
          ["name", t("culture.programmes.name")],
          ["courseIds", t("culture.programmes.courses")],
          ["dueDays", t("culture.programmes.dueDays")],
          ["enrolled.userId", t("culture.programmes.enrolled"), "user"],
          ["enrolled.passed", t("culture.programmes.passed")],
        ]}
      />
      {creating ? <ProgrammeDialog onClose={() => setCreating(false)} /> : null}
      {enrolling ? <EnrolDialog programme={enrolling} onClose={() => setEnrolling(undefined)} /> : null}
      {canWrite ? (
        <p>
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t("culture.programmes.new")}
          </Button>
        </p>
      ) : null}
      {programmes.data && programmes.data.items.length === 0 ? <p>{t("culture.programmes.none")}</p> : null}
      {programmes.data?.items.length ? (
        <table className="t-table" data-testid="programmes">
          <thead>
            <tr>
              <th>{t("culture.programmes.name")}</th>
              <th>{t("culture.programmes.courses")}</th>
              <th>{t("culture.programmes.enrolled")}</th>
              {canWrite ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {programmes.data.items.map((p) => (
              <tr key={p.id}>
                <td>{text(p.name)}</td>
                <td>
                  <ol style={{ margin: 0, paddingInlineStart: "1.2em" }}>
                    {p.courseIds.map((c) => (
                      <li key={c}>{courseNames.get(c) ?? c}</li>
                    ))}
                  </ol>
                </td>
                <td>
                  {p.enrolled.length === 0 ? "—" : null}
                  {p.enrolled.map((e) => (
                    <span
                      key={e.userId}
                      style={{ display: "block" }}
                      data-testid={`progress-${p.id}-${e.userId}`}
                    >
                      {names.get(e.userId) ?? e.userId}{" "}
                      <Badge tone={e.complete ? "ok" : "warn"}>
                        {t("culture.programmes.progress", {
                          passed: e.passed.length,
                          total: p.courseIds.length,
                        })}
                      </Badge>
                    </span>
                  ))}
                </td>
                {canWrite ? (
                  <td>
                    <Button
                      aria-label={t("culture.programmes.enrolIn", { name: text(p.name) })}
                      onClick={() => setEnrolling(p)}
                    >
                      {t("culture.programmes.enrol")}
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
