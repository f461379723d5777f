/**
 * A plan's exercises (drills): recording one (kind, when, who took part, findings with their follow-ups,
 * owners and due dates) and the list under the plan with the follow-ups still open.
 */
import { Badge, Button, Field, Input, Select, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useMembers } from "../../api/hooks"
import { useFormat } from "../../format"
import { errorOf, FormDialog, isoOf, localInput, TextArea, useRiskPost } from "./Forms"
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
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 8 }}>
          <Field label={t("risk.exercises.kindField")} error={error?.field("kind")}>
            {(p) => (
              <Select
                {...p}
                value={f.kind}
                onChange={(e) => setF({ ...f, kind: e.target.value as Exercise["kind"] })}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`risk.exercises.kind.${k}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("risk.exercises.heldAt")} error={error?.field("heldAt")}>
            {(p) => (
              <Input
                {...p}
                type="datetime-local"
                value={f.heldAt}
                onChange={(e) => setF({ ...f, heldAt: e.target.value })}
              />
            )}
          </Field>
        </div>
        <fieldset style={{ border: 0, padding: 0, margin: "8px 0" }}>
          <legend className="t-label">{t("risk.exercises.participants")}</legend>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 12 }}>
            {(members.data?.items ?? []).map((m) => (
              <label key={m.userId} style={{ display: "flex", gap: 4, alignItems: "center" }}>
                <input
                  type="checkbox"
                  checked={f.participants.includes(m.userId)}
                  onChange={(e) =>
                    setF({
                      ...f,
                      participants: e.target.checked
                        ? [...f.participants, m.userId]
                        : f.participants.filter((p) => p !== m.userId),
                    })
                  }
                />
                {m.name}
              </label>
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
            <Field label={t("risk.exercises.finding")} error={error?.field(`findings/${i}/text`)}>
              {(p) => <TextArea id={p.id} value={x.text} onChange={(v) => setFinding(i, { text: v })} />}
            </Field>
            <Field label={t("risk.exercises.followUp")} error={error?.field(`findings/${i}/followUp`)}>
              {(p) => (
                <Input
                  {...p}
                  value={x.followUp}
                  onChange={(e) => setFinding(i, { followUp: e.target.value })}
                />
              )}
            </Field>
            <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 8 }}>
              <Field label={t("risk.forms.owner")} error={error?.field(`findings/${i}/ownerId`)}>
                {(p) => (
                  <Select
                    {...p}
                    value={x.ownerId}
                    onChange={(e) => setFinding(i, { ownerId: e.target.value })}
                  >
                    <option value="">—</option>
                    {(members.data?.items ?? []).map((m) => (
                      <option key={m.userId} value={m.userId}>
                        {m.name}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label={t("risk.exercises.due")} error={error?.field(`findings/${i}/due`)}>
                {(p) => (
                  <Input
                    {...p}
                    type="datetime-local"
                    value={x.due}
                    onChange={(e) => setFinding(i, { due: e.target.value })}
                  />
                )}
              </Field>
            </div>
            <label style={{ display: "flex", gap: 6, alignItems: "center" }}>
              <input
                type="checkbox"
                checked={x.done}
                onChange={(e) => setFinding(i, { done: e.target.checked })}
              />
              {t("risk.exercises.followUpDone")}
            </label>
          </fieldset>
        ))}
        <Button type="button" onClick={() => setF({ ...f, findings: [...f.findings, emptyFinding()] })}>
          {t("risk.exercises.addFinding")}
        </Button>
      </FormDialog>
    </>
  )
}

/** The exercises of a plan, newest first, with their findings and follow-ups. */
export const ExerciseList = ({ planId }: { planId: string }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const members = useMembers()
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
              <li key={i}>
                {x.text}
                {x.followUp ? (
                  <>
                    {" → "}
                    {x.followUp}
                    {x.ownerId ? ` · ${who(x.ownerId)}` : ""}
                    {x.due ? ` · ${f.date(x.due)}` : ""}{" "}
                    <Badge tone={x.done ? "ok" : "warn"}>
                      {t(x.done ? "risk.exercises.done" : "risk.exercises.pending")}
                    </Badge>
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
