/**
 * Who owns the case, and assigning it: a member of the organisation, checked by the eligibility gate
 * (certification before a queue). A refusal names the missing certifications; a supervisor may assign
 * anyway with a reason, which is audited.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { Button, Callout, Field, Input, Select, useToast } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../../api/client"
import { useMembers } from "../../api/hooks"
import { useSession } from "../../session"

export const AssignPanel = ({
  caseId,
  ownerId,
  team: teamNow,
}: {
  caseId: string
  ownerId: string | null
  team?: string | null | undefined
}) => {
  const { t } = useTranslation()
  const toast = useToast()
  const qc = useQueryClient()
  const session = useSession()
  const members = useMembers()
  const [owner, setOwner] = useState(ownerId ?? "")
  const [reason, setReason] = useState("")
  const [team, setTeam] = useState(teamNow ?? "")
  const assign = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api(`/api/v1/process/cases/${caseId}/assignment`, { method: "POST", body }),
    onSuccess: () => {
      toast(t("cases.assign.done"))
      setReason("")
      void qc.invalidateQueries({ queryKey: ["case"] })
      void qc.invalidateQueries({ queryKey: ["cases"] })
    },
  })
  const error = assign.error instanceof ApiError ? assign.error : undefined
  const refused = error?.code === "notEligible"
  // the roles the gate lets override (Eligibility.OVERRIDE_ROLES on the server)
  const canOverride = ["owner", "admin", "supervisor"].includes(session.org?.role ?? "")
  const name = (id: string | null) => members.data?.items.find((m) => m.userId === id)?.name ?? id ?? "—"
  const submit = (e: FormEvent) => {
    e.preventDefault()
    assign.mutate({
      ownerId: owner || null,
      ...(team.trim() && team.trim() !== teamNow ? { team: team.trim() } : {}),
      ...(refused && reason.trim() ? { override: { reason: reason.trim() } } : {}),
    })
  }
  return (
    <form onSubmit={submit} data-testid="assign-panel">
      <p style={{ margin: "0 0 8px" }}>
        {t("cases.assign.current")}: <strong>{name(ownerId)}</strong>
      </p>
      <div style={{ display: "flex", gap: 8, alignItems: "flex-end", flexWrap: "wrap" }}>
        <Field label={t("cases.assign.owner")}>
          {(p) => (
            <Select
              {...p}
              value={owner}
              onChange={(e) => {
                setOwner(e.target.value)
                assign.reset()
              }}
            >
              <option value="">{t("cases.assign.nobody")}</option>
              {(members.data?.items ?? []).map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("cases.team")} error={error?.field("team")}>
          {(p) => (
            <Input
              {...p}
              value={team}
              onChange={(e) => {
                setTeam(e.target.value)
                assign.reset()
              }}
            />
          )}
        </Field>
        <Button type="submit" disabled={assign.isPending || (refused && !reason.trim())}>
          {refused ? t("cases.assign.override") : t("cases.assign.submit")}
        </Button>
      </div>
      {error ? <Callout tone="bad">{error.text()}</Callout> : null}
      {refused && canOverride ? (
        <Field label={t("cases.assign.reason")} hint={t("cases.assign.reasonHint")}>
          {(p) => <Input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      ) : null}
    </form>
  )
}
