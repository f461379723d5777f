/**
 * The escalation steps of an SLA policy: after how long past the breach, what happens (tell people,
 * reassign to a team, raise the tier), and whom a step tells (the case owner, the team leader, roles).
 */
import { Button, Field, Input, Select } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import type { ApiError } from "../../api/client"

export type EscalationStep = { afterSeconds: number; action: string; team?: string; notify?: string[] }
/** A step as the form edits it: hours as typed. */
export type StepDraft = { hours: string; action: string; team: string; notify: string[] }

export const ACTIONS = ["notify", "reassign", "raise_tier"] as const
/** `owner` is the case's owner (the API's escalation targets: owner, team_leader, or a role other than owner). */
export const NOTIFY_TARGETS = [
  "owner",
  "team_leader",
  "admin",
  "supervisor",
  "qa_analyst",
  "agent",
  "auditor",
] as const
/** The default of a notify step without a list. */
const DEFAULT_NOTIFY = ["owner", "team_leader"]

export const draftsOf = (steps: ReadonlyArray<EscalationStep>): StepDraft[] =>
  steps.map((s) => ({
    hours: String(+(s.afterSeconds / 3600).toFixed(3)),
    action: s.action,
    team: s.team ?? "",
    // a step without a list tells the case owner and the team leader (the API's default)
    notify: [...(s.notify ?? DEFAULT_NOTIFY)],
  }))

/** The steps to send: a non-number stays as typed so that the API names the field. */
export const stepsOf = (drafts: ReadonlyArray<StepDraft>): EscalationStep[] =>
  drafts.map((d) => {
    const hours = Number(d.hours)
    return {
      afterSeconds:
        d.hours.trim() !== "" && Number.isFinite(hours) ? Math.round(hours * 3600) : (d.hours as never),
      action: d.action,
      ...(d.action === "reassign" ? { team: d.team } : {}),
      // always the list as shown (none ticked: the step tells no one)
      notify: d.notify,
    }
  })

export function EscalationEditor(props: {
  readonly steps: StepDraft[]
  readonly onChange: (steps: StepDraft[]) => void
  readonly error: ApiError | undefined
}) {
  const { t } = useTranslation()
  const set = (i: number, patch: Partial<StepDraft>) =>
    props.onChange(props.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)))
  const label = (n: (typeof NOTIFY_TARGETS)[number]) =>
    n === "owner"
      ? t("policies.notifyOwner")
      : n === "team_leader"
        ? t("policies.notifyTeamLeader")
        : t(`roles.${n}`)
  return (
    <fieldset
      style={{ border: "1px solid var(--border)", borderRadius: 6, padding: "8px 12px", margin: "8px 0" }}
    >
      <legend>{t("policies.escalations")}</legend>
      {props.steps.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id; their order is their identity (level i + 1)
        <div
          key={i}
          data-testid={`escalation-${i}`}
          style={{ borderBottom: "1px dashed var(--border)", paddingBottom: 6, marginBottom: 6 }}
        >
          <div
            style={{
              display: "grid",
              gridTemplateColumns: "1fr 1fr 1fr auto",
              gap: "0 8px",
              alignItems: "end",
            }}
          >
            <Field
              label={`${t("policies.escalationAfter", { level: i + 1 })} (${t("policies.hours")})`}
              error={props.error?.field(`definition/escalations/${i}/afterSeconds`)}
            >
              {(p) => (
                <Input
                  {...p}
                  inputMode="decimal"
                  value={s.hours}
                  onChange={(e) => set(i, { hours: e.target.value })}
                />
              )}
            </Field>
            <Field
              label={t("policies.escalationAction")}
              error={props.error?.field(`definition/escalations/${i}/action`)}
            >
              {(p) => (
                <Select {...p} value={s.action} onChange={(e) => set(i, { action: e.target.value })}>
                  {ACTIONS.map((a) => (
                    <option key={a} value={a}>
                      {t(`policies.actions.${a}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            {s.action === "reassign" ? (
              <Field
                label={t("policies.escalationTeam")}
                error={props.error?.field(`definition/escalations/${i}/team`)}
              >
                {(p) => <Input {...p} value={s.team} onChange={(e) => set(i, { team: e.target.value })} />}
              </Field>
            ) : (
              <span />
            )}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => props.onChange(props.steps.filter((_, j) => j !== i))}
            >
              {t("policies.removeEscalation")}
            </Button>
          </div>
          <fieldset
            style={{
              display: "flex",
              gap: 10,
              flexWrap: "wrap",
              fontSize: 13,
              border: 0,
              padding: 0,
              margin: 0,
            }}
          >
            <legend className="t-hint" style={{ float: "left", marginRight: 6 }}>
              {t("policies.escalationNotify")}:
            </legend>
            {NOTIFY_TARGETS.map((n) => {
              const checked = s.notify.includes(n)
              return (
                <label key={n} style={{ display: "inline-flex", gap: 4, alignItems: "center" }}>
                  <input
                    type="checkbox"
                    checked={checked}
                    onChange={(e) =>
                      set(i, {
                        notify: e.target.checked ? [...s.notify, n] : s.notify.filter((x) => x !== n),
                      })
                    }
                  />
                  {label(n)}
                </label>
              )
            })}
          </fieldset>
          {props.error?.field(`definition/escalations/${i}/notify`) ? (
            <span className="t-error-text" role="alert">
              {props.error.field(`definition/escalations/${i}/notify`)}
            </span>
          ) : null}
        </div>
      ))}
      <Button
        size="sm"
        onClick={() =>
          props.onChange([
            ...props.steps,
            {
              hours: props.steps.length ? "8" : "0",
              action: "notify",
              team: "",
              notify: [...DEFAULT_NOTIFY],
            },
          ])
        }
      >
        {t("policies.addEscalation")}
      </Button>
    </fieldset>
  )
}
