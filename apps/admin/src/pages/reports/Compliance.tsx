import { Badge, Button, Callout, Dialog, DialogActions, Skeleton } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import {
  type CadenceFields,
  type ComplianceSchedule,
  useComplianceSchedules,
  useSetComplianceSchedule,
} from "../../api/reports"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { labelsFrom, useExportLabels } from "../table-labels"
import { CadenceEditor, cadenceBody, localized, useCadenceText, useStandardsList } from "./shared"

export const CompliancePage = () => {
  const { t, i18n } = useTranslation()
  const exportLabels = useExportLabels()
  const fmt = useFormat()
  const session = useSession()
  const standards = useStandardsList()
  const schedules = useComplianceSchedules()
  const cadence = useCadenceText()
  const [editing, setEditing] = useState<{
    standardId: string
    title: string
    current?: ComplianceSchedule
  }>()
  if (standards.isLoading || schedules.isLoading) return <Skeleton height={120} />
  return (
    <>
      <p className="t-hint">{t("reports.complianceHint")}</p>
      <ExportLinks
        url="/api/v1/compliance/schedules"
        columns={[
          [
            "standardId",
            t("reports.standard"),
            labelsFrom(
              standards.data?.items,
              (s) => s.id,
              (s) => localized(s.title, i18n.language),
            ),
          ],
          ["frequency", t("reports.frequency"), exportLabels("reports.frequencies") ?? {}],
          ["time", t("reports.time")],
          ["weekday", t("reports.weekday"), exportLabels("reports.weekdays") ?? {}],
          ["monthDay", t("reports.monthDay")],
          ["timeZone", t("reports.timeZone")],
          ["enabled", t("reports.scheduleState"), { true: t("reports.enabled"), false: t("reports.paused") }],
          ["nextRunAt", t("reports.nextRun")],
          ["lastRunAt", t("reports.lastRun")],
        ]}
      />
      <div className="scroll-x">
        <table className="t-table">
          <caption className="t-visually-hidden">{t("reports.tabs.compliance")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("reports.standard")}</th>
              <th scope="col">{t("reports.cadence")}</th>
              <th scope="col">{t("reports.nextRun")}</th>
              <th scope="col">{t("reports.lastEvaluation")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {(standards.data?.items ?? []).map((s) => {
              const c = schedules.data?.items.find((x) => x.standardId === s.id)
              const title = localized(s.title, i18n.language)
              return (
                <tr key={s.id}>
                  <td>{title}</td>
                  <td>
                    {c ? (
                      <>
                        {cadence(c)} <span className="t-hint">{c.timeZone}</span>{" "}
                        {c.enabled ? null : <Badge tone="warn">⏸ {t("reports.paused")}</Badge>}
                      </>
                    ) : (
                      <span className="t-hint">{t("reports.notScheduled")}</span>
                    )}
                  </td>
                  <td>{c?.enabled ? fmt.dateTime(c.nextRunAt) : "—"}</td>
                  <td>{c?.lastRunAt ? fmt.dateTime(c.lastRunAt) : "—"}</td>
                  <td>
                    {session.can("standards:manage") ? (
                      <Button
                        size="sm"
                        onClick={() => setEditing({ standardId: s.id, title, ...(c ? { current: c } : {}) })}
                      >
                        {t("reports.setSchedule")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {editing ? <ComplianceDialog {...editing} onClose={() => setEditing(undefined)} /> : null}
    </>
  )
}

const ComplianceDialog = ({
  standardId,
  title,
  current,
  onClose,
}: {
  standardId: string
  title: string
  current?: ComplianceSchedule
  onClose: () => void
}) => {
  const { t } = useTranslation()
  const set = useSetComplianceSchedule()
  const [form, setForm] = useState<CadenceFields>({
    frequency: current?.frequency ?? "daily",
    time: current?.time ?? "06:00",
    weekday: current?.weekday ?? 1,
    monthDay: current?.monthDay ?? 1,
    enabled: current?.enabled ?? true,
  })
  const error = set.error instanceof ApiError ? set.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    set.mutate({ standardId, input: cadenceBody(form) }, { onSuccess: onClose })
  }
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={`${t("reports.setSchedule")} · ${title}`}>
      <form onSubmit={submit} noValidate>
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <CadenceEditor value={form} onChange={setForm} error={(f) => error?.field(f)} />
        <label style={{ display: "flex", gap: 8, alignItems: "center", margin: "8px 0" }}>
          <input
            type="checkbox"
            checked={form.enabled ?? true}
            onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
          />
          {t("reports.enabled")}
        </label>
        <DialogActions>
          <Button type="button" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={set.isPending}>
            {t("reports.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
