/**
 * A risk's treatments (the ISO 31000 options as action plans: owner, due date, status), created and edited
 * in a dialog, and the acceptance of its residual risk as a workflow: draft (rationale, expiry) → submitted →
 * accepted / rejected with a note (not by whoever submitted it).
 */
import { Badge, Button, Card, FieldRow, SelectField, TextField, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useMembers } from "../../api/hooks"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useExportLabels } from "../table-labels"
import { errorOf, FormDialog, isoOf, localInput, Problems, useRiskPost } from "./Forms"
import {
  type Acceptance,
  TREATMENT_OPTIONS,
  type Treatment,
  type TreatmentStatus,
  useAcceptances,
  useTreatments,
} from "./model"

const STATUS_TONE: Record<TreatmentStatus, "ok" | "warn" | "bad" | "accent" | undefined> = {
  planned: "accent",
  in_progress: "warn",
  done: "ok",
  cancelled: undefined,
}

/** Create (no `treatment`) or edit a treatment. */
const TreatmentDialog = (props: {
  riskId: string
  treatment?: Treatment | undefined
  open: boolean
  onOpenChange: (o: boolean) => void
}) => {
  const { t } = useTranslation()
  const toast = useToast()
  const members = useMembers()
  const tr = props.treatment
  const initial = () => ({
    option: tr?.option ?? "change_likelihood",
    title: tr?.title ?? "",
    ownerId: tr?.ownerId ?? "",
    dueAt: localInput(tr ? new Date(tr.dueAt) : new Date(Date.now() + 30 * 86_400_000)),
    status: tr?.status ?? "planned",
  })
  const [f, setF] = useState(initial)
  const [seen, setSeen] = useState(props.open)
  if (props.open !== seen) {
    setSeen(props.open)
    if (props.open) setF(initial())
  }
  const save = useRiskPost<Record<string, unknown>>(
    tr ? `/api/v1/risk/treatments/${tr.id}` : "/api/v1/risk/treatments",
    () => {
      toast(t(tr ? "risk.treatments.saved" : "risk.treatments.created"))
      props.onOpenChange(false)
    },
    tr ? "PATCH" : "POST",
  )
  const error = errorOf(save.error)
  const ownerId = f.ownerId || members.data?.items[0]?.userId || ""
  return (
    <FormDialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={t(tr ? "risk.treatments.edit" : "risk.treatments.new")}
      submit={t("risk.forms.save")}
      busy={save.isPending}
      error={error}
      onSubmit={() =>
        save.mutate({
          ...(tr ? { status: f.status } : { riskId: props.riskId }),
          option: f.option,
          title: f.title,
          ownerId,
          dueAt: isoOf(f.dueAt),
        })
      }
    >
      <SelectField
        label={t("risk.treatments.option")}
        error={error?.field("option")}
        value={f.option}
        onChange={(option) => setF({ ...f, option })}
        options={TREATMENT_OPTIONS.map((o) => ({ value: o, label: t(`risk.treatments.options.${o}`) }))}
      />
      <p className="t-hint">{t(`risk.treatments.optionHints.${f.option}`)}</p>
      <TextField
        label={t("risk.treatments.titleField")}
        error={error?.field("title")}
        value={f.title}
        onChange={(title) => setF({ ...f, title })}
      />
      <FieldRow>
        <SelectField
          label={t("risk.forms.owner")}
          error={error?.field("ownerId")}
          value={ownerId}
          onChange={(v) => setF({ ...f, ownerId: v })}
          options={(members.data?.items ?? []).map((m) => ({ value: m.userId, label: m.name }))}
        />
        <TextField
          label={t("risk.treatments.due")}
          error={error?.field("dueAt")}
          type="datetime-local"
          value={f.dueAt}
          onChange={(dueAt) => setF({ ...f, dueAt })}
        />
      </FieldRow>
      {tr ? (
        <SelectField
          label={t("risk.treatments.statusField")}
          error={error?.field("status")}
          value={f.status}
          onChange={(status) => setF({ ...f, status })}
          options={(["planned", "in_progress", "done", "cancelled"] as const).map((s) => ({
            value: s,
            label: t(`risk.treatments.status.${s}`),
          }))}
        />
      ) : null}
    </FormDialog>
  )
}

export const TreatmentsCard = ({ riskId }: { riskId: string }) => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const f = useFormat()
  const session = useSession()
  const members = useMembers()
  const list = useTreatments(riskId)
  const [editing, setEditing] = useState<Treatment | undefined>(undefined)
  const [open, setOpen] = useState(false)
  const who = (uid: string) => members.data?.items.find((m) => m.userId === uid)?.name ?? uid
  const canWrite = session.can("risk:write")
  const items = list.data?.items ?? []
  return (
    <Card>
      <div className="toolbar">
        <h2 style={{ fontSize: 16 }}>{t("risk.treatments.title")}</h2>
        {canWrite ? (
          <Button
            onClick={() => {
              setEditing(undefined)
              setOpen(true)
            }}
          >
            {t("risk.treatments.new")}
          </Button>
        ) : null}
      </div>
      {items.length === 0 ? <p className="t-hint">{t("risk.treatments.none")}</p> : null}
      {items.length ? (
        <div style={{ overflowX: "auto" }}>
          <ExportLinks
            url={`/api/v1/risk/treatments?${new URLSearchParams({ riskId })}`}
            columns={[
              ["option", t("risk.treatments.option"), exportLabels("risk.treatments.options") ?? {}],
              ["title", t("risk.treatments.titleField")],
              ["ownerId", t("risk.forms.owner"), "user"],
              ["dueAt", t("risk.treatments.due")],
              ["status", t("risk.treatments.statusField"), exportLabels("risk.treatments.status") ?? {}],
            ]}
          />
          <table className="t-table" data-testid="treatments">
            <thead>
              <tr>
                <th>{t("risk.treatments.option")}</th>
                <th>{t("risk.treatments.titleField")}</th>
                <th>{t("risk.forms.owner")}</th>
                <th>{t("risk.treatments.due")}</th>
                <th>{t("risk.treatments.statusField")}</th>
                {canWrite ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr key={x.id}>
                  <td>{t(`risk.treatments.options.${x.option}`)}</td>
                  <td>{x.title}</td>
                  <td>{who(x.ownerId)}</td>
                  <td>
                    {f.date(x.dueAt)}{" "}
                    {x.overdue ? <Badge tone="bad">{t("risk.treatments.overdue")}</Badge> : null}
                  </td>
                  <td>
                    <Badge tone={STATUS_TONE[x.status]}>{t(`risk.treatments.status.${x.status}`)}</Badge>
                  </td>
                  {canWrite ? (
                    <td>
                      {x.status === "done" || x.status === "cancelled" ? null : (
                        <Button
                          onClick={() => {
                            setEditing(x)
                            setOpen(true)
                          }}
                        >
                          {t("risk.treatments.editShort")}
                        </Button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <TreatmentDialog riskId={riskId} treatment={editing} open={open} onOpenChange={setOpen} />
    </Card>
  )
}

const ACC_TONE: Record<Acceptance["status"], "ok" | "warn" | "bad" | "accent" | undefined> = {
  draft: undefined,
  submitted: "warn",
  accepted: "ok",
  rejected: "bad",
  expired: "bad",
}

/** Submit a draft, or accept / reject a submitted acceptance with a note. */
const AcceptanceActions = ({ a }: { a: Acceptance }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const [note, setNote] = useState("")
  const step = useRiskPost<{ action: string; note?: string }>(
    `/api/v1/risk/acceptances/${a.id}/steps`,
    () => {
      toast(t("risk.acceptances.stepped"))
      setNote("")
    },
  )
  const go = (action: "submit" | "accept" | "reject") =>
    step.mutate({ action, ...(note.trim() ? { note: note.trim() } : {}) })
  return (
    <div style={{ display: "grid", gap: 6 }}>
      {a.status === "draft" ? (
        <Button disabled={step.isPending} onClick={() => go("submit")}>
          {t("risk.acceptances.submit")}
        </Button>
      ) : null}
      {a.status === "submitted" ? (
        <>
          <TextField label={t("risk.acceptances.note")} value={note} onChange={setNote} />
          <div style={{ display: "flex", gap: 6 }}>
            <Button variant="primary" disabled={step.isPending} onClick={() => go("accept")}>
              {t("risk.acceptances.accept")}
            </Button>
            <Button disabled={step.isPending} onClick={() => go("reject")}>
              {t("risk.acceptances.reject")}
            </Button>
          </div>
        </>
      ) : null}
      <Problems error={errorOf(step.error)} />
    </div>
  )
}

export const AcceptancesCard = ({ riskId }: { riskId: string }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const toast = useToast()
  const session = useSession()
  const members = useMembers()
  const list = useAcceptances(riskId)
  const [open, setOpen] = useState(false)
  const [rationale, setRationale] = useState("")
  const [expiresAt, setExpiresAt] = useState(() => localInput(new Date(Date.now() + 180 * 86_400_000)))
  const draft = useRiskPost<Record<string, unknown>>("/api/v1/risk/acceptances", () => {
    toast(t("risk.acceptances.drafted"))
    setOpen(false)
    setRationale("")
  })
  const error = errorOf(draft.error)
  const who = (uid: string | null) =>
    uid ? (members.data?.items.find((m) => m.userId === uid)?.name ?? uid) : "—"
  const items = list.data?.items ?? []
  return (
    <Card>
      <div className="toolbar">
        <h2 style={{ fontSize: 16 }}>{t("risk.acceptances.title")}</h2>
        {session.can("risk:write") ? (
          <Button onClick={() => setOpen(true)}>{t("risk.acceptances.new")}</Button>
        ) : null}
      </div>
      <p className="t-hint">{t("risk.acceptances.hint")}</p>
      {items.length === 0 ? <p className="t-hint">{t("risk.acceptances.none")}</p> : null}
      {items.map((a) => (
        <section
          key={a.id}
          data-testid={`acceptance-${a.id}`}
          style={{ borderTop: "1px solid var(--t-border, #ddd)", padding: "8px 0" }}
        >
          <p style={{ margin: 0 }}>
            <Badge tone={ACC_TONE[a.status]}>{t(`risk.acceptances.status.${a.status}`)}</Badge>{" "}
            {t("risk.acceptances.expires", { at: f.date(a.expiresAt) })} ·{" "}
            {t("risk.acceptances.score", { score: a.residualScore })}
          </p>
          <p style={{ margin: "4px 0" }}>{a.rationale}</p>
          <p className="t-hint" style={{ margin: 0 }}>
            {t("risk.acceptances.drafter", { who: who(a.createdBy) })}
            {a.submittedAt
              ? ` · ${t("risk.acceptances.submitter", { who: who(a.submittedBy), at: f.dateTime(a.submittedAt) })}`
              : ""}
            {a.decidedAt
              ? ` · ${t("risk.acceptances.decider", { who: who(a.decidedBy), at: f.dateTime(a.decidedAt) })}`
              : ""}
            {a.decisionNote ? ` · ${a.decisionNote}` : ""}
          </p>
          {session.can("risk:manage") ? <AcceptanceActions a={a} /> : null}
        </section>
      ))}
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.acceptances.new")}
        submit={t("risk.forms.save")}
        busy={draft.isPending}
        error={error}
        onSubmit={() => draft.mutate({ riskId, rationale, expiresAt: isoOf(expiresAt) })}
      >
        <TextField
          label={t("risk.acceptances.rationale")}
          error={error?.field("rationale")}
          rows={3}
          value={rationale}
          onChange={setRationale}
        />
        <TextField
          label={t("risk.acceptances.expiresAt")}
          hint={t("risk.acceptances.expiryHint")}
          error={error?.field("expiresAt")}
          type="datetime-local"
          value={expiresAt}
          onChange={setExpiresAt}
        />
      </FormDialog>
    </Card>
  )
}
