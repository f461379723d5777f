/**
 * A plan's exercises (drills): recording one (kind, when, who took part, findings with their follow-ups,
 * owners and due dates) and the list under the plan, where each follow-up is ticked done (who and when
 * are kept) or reopened.
 */
import { Badge, Button, CheckboxField, FieldRow, SelectField, TextField, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useMembers } from "../../api/hooks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { errorOf, FormDialog, isoOf, localInput, Problems, useRiskPost } from "./Forms"
import { type Exercise, type Plan, useExercises } from "./model"

const KINDS = ["tabletop", "walkthrough", "simulation", "full"] as const
interface FindingDraft {
  text: string
  followUp: string
  ownerId: string
  due: string
  done: boolean
}
const emptyFinding = (): FindingDraft => ({ text: "", followUp: "", ownerId: "", due: "", done: false })

export const RecordExerciseButton = ({ plan }: { plan: Plan }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const members = useMembers()
  const [open, setOpen] = useState(false)
  const initial = () => ({
    kind: "tabletop" as Exercise["kind"],
    heldAt: localInput(new Date()),
    participants: [] as string[],
    findings: [emptyFinding()],
  })
  const [f, setF] = useState(initial)
  const save = useRiskPost<Record<string, unknown>>(`/api/v1/risk/plans/${plan.id}/exercises`, () => {
    toast(t("risk.exercises.recorded"))
    setOpen(false)
  })
  const error = errorOf(save.error)
  const setFinding = (i: number, v: Partial<FindingDraft>) =>
    setF({ ...f, findings: f.findings.map((x, j) => (j === i ? { ...x, ...v } : x)) })
  return (
    <>
      <Button
        onClick={() => {
          setF(initial())
          save.reset()
          setOpen(true)
        }}
      >
        {t("risk.exercises.record")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.exercises.recordTitle", { plan: plan.title })}
        submit={t("risk.forms.save")}
        busy={save.isPending}
        error={error}
        onSubmit={() =>
          save.mutate({
            kind: f.kind,
            heldAt: isoOf(f.heldAt),
            participants: f.participants,
            // an empty row (no finding written) is not sent; a follow-up without its finding is
            findings: f.findings
              .filter((x) => x.text.trim() || x.followUp.trim())
              .map((x) => ({
                text: x.text,
                ...(x.followUp.trim() ? { followUp: x.followUp.trim() } : {}),
                ...(x.ownerId ? { ownerId: x.ownerId } : {}),
                ...(x.due ? { due: isoOf(x.due) } : {}),
                done: x.done,
              })),
          })
        }
      >
        <FieldRow>
          <SelectField
            label={t("risk.exercises.kindField")}
            error={error?.field("kind")}
            value={f.kind}
            onChange={(kind) => setF({ ...f, kind })}
            options={KINDS.map((k) => ({ value: k, label: t(`risk.exercises.kind.${k}`) }))}
          />
          <TextField
            label={t("risk.exercises.heldAt")}
            error={error?.field("heldAt")}
            type="datetime-local"
            value={f.heldAt}
            onChange={(heldAt) => setF({ ...f, heldAt })}
          />
        </FieldRow>
        <fieldset style={{ border: 0, padding: 0, margin: "8px 0" }}>
          <legend className="t-label">{t("risk.exercises.participants")}</legend>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 12 }}>
            {(members.data?.items ?? []).map((m) => (
              <CheckboxField
                key={m.userId}
                label={m.name}
                checked={f.participants.includes(m.userId)}
                onChange={(on) =>
                  setF({
                    ...f,
                    participants: on
                      ? [...f.participants, m.userId]
                      : f.participants.filter((p) => p !== m.userId),
                  })
                }
              />
            ))}
          </div>
        </fieldset>
        {f.findings.map((x, i) => (
          <fieldset
            key={i}
            style={{
              border: "1px solid var(--t-border, #ddd)",
              borderRadius: 6,
              padding: 8,
              margin: "8px 0",
            }}
          >
            <legend className="t-label">{t("risk.exercises.findingN", { n: i + 1 })}</legend>
            <TextField
              label={t("risk.exercises.finding")}
              error={error?.field(`findings/${i}/text`)}
              rows={2}
              value={x.text}
              onChange={(text) => setFinding(i, { text })}
            />
            <TextField
              label={t("risk.exercises.followUp")}
              error={error?.field(`findings/${i}/followUp`)}
              value={x.followUp}
              onChange={(followUp) => setFinding(i, { followUp })}
            />
            <FieldRow>
              <SelectField
                label={t("risk.forms.owner")}
                error={error?.field(`findings/${i}/ownerId`)}
                value={x.ownerId}
                onChange={(ownerId) => setFinding(i, { ownerId })}
                options={[
                  { value: "", label: "—" },
                  ...(members.data?.items ?? []).map((m) => ({ value: m.userId, label: m.name })),
                ]}
              />
              <TextField
                label={t("risk.exercises.due")}
                error={error?.field(`findings/${i}/due`)}
                type="datetime-local"
                value={x.due}
                onChange={(due) => setFinding(i, { due })}
              />
            </FieldRow>
            <CheckboxField
              label={t("risk.exercises.followUpDone")}
              checked={x.done}
              onChange={(done) => setFinding(i, { done })}
            />
          </fieldset>
        ))}
        <Button type="button" onClick={() => setF({ ...f, findings: [...f.findings, emptyFinding()] })}>
          {t("risk.exercises.addFinding")}
        </Button>
      </FormDialog>
    </>
  )
}

/** Tick a follow-up done, or reopen it (`POST /api/v1/risk/exercises/{id}/follow-ups`). */
const FollowUpToggle = ({
  exerciseId,
  finding,
  done,
}: {
  exerciseId: string
  finding: number
  done: boolean
}) => {
  const { t } = useTranslation()
  const toast = useToast()
  const set = useRiskPost<{ finding: number; done: boolean }>(
    `/api/v1/risk/exercises/${exerciseId}/follow-ups`,
    () => toast(t(done ? "risk.exercises.reopened" : "risk.exercises.ticked")),
  )
  return (
    <>
      <Button size="sm" disabled={set.isPending} onClick={() => set.mutate({ finding, done: !done })}>
        {t(done ? "risk.exercises.reopen" : "risk.exercises.tick")}
      </Button>
      <Problems error={errorOf(set.error)} />
    </>
  )
}

/** The exercises of a plan, newest first, with their findings and follow-ups (ticked done here). */
export const ExerciseList = ({ planId }: { planId: string }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const members = useMembers()
  const session = useSession()
  const list = useExercises()
  const who = (uid: string) => members.data?.items.find((m) => m.userId === uid)?.name ?? uid
  const items = (list.data?.items ?? []).filter((e) => e.planId === planId)
  if (!items.length) return <p className="t-hint">{t("risk.exercises.none")}</p>
  return (
    <ul data-testid={`exercises-${planId}`}>
      {items.map((e) => (
        <li key={e.id}>
          {f.dateTime(e.heldAt)} · {t(`risk.exercises.kind.${e.kind}`)} ·{" "}
          {t("risk.exercises.people", { n: e.participants.length })}{" "}
          {e.openFollowUps ? (
            <Badge tone="warn">{t("risk.exercises.open", { n: e.openFollowUps })}</Badge>
          ) : null}
          <ul>
            {e.findings.map((x, i) => (
              <li key={i} data-testid={`finding-${e.id}-${i}`}>
                {x.text}
                {x.followUp ? (
                  <>
                    {" → "}
                    {x.followUp}
                    {x.ownerId ? ` · ${who(x.ownerId)}` : ""}
                    {x.due ? ` · ${f.date(x.due)}` : ""}{" "}
                    <Badge tone={x.done ? "ok" : "warn"}>
                      {x.done && x.doneAt
                        ? t("risk.exercises.doneBy", { who: who(x.doneBy ?? ""), at: f.date(x.doneAt) })
                        : t(x.done ? "risk.exercises.done" : "risk.exercises.pending")}
                    </Badge>{" "}
                    {session.can("risk:write") ? (
                      <FollowUpToggle exerciseId={e.id} finding={i} done={Boolean(x.done)} />
                    ) : null}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  )
}
