import { useQuery } from "@tanstack/react-query"
import {
  Badge,
  Button,
  Callout,
  ConfirmDialog,
  DataTable,
  Dialog,
  DialogActions,
  dataTableColumns,
  Field,
  Input,
  Select,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg } from "../../api/client"
import {
  type CadenceFields,
  type ReportSchedule,
  type ReportScheduleInput,
  useDeleteSchedule,
  useReportSchedules,
  useRunSchedule,
  useSaveSchedule,
} from "../../api/reports"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { exportUrlOf, useTableLabels } from "../table-labels"
import { CadenceEditor, cadenceBody, localized, useCadenceText, useStandardsList } from "./shared"

const col = dataTableColumns<ReportSchedule>()

export const SchedulesPage = () => {
  const { t } = useTranslation()
  const session = useSession()
  const fmt = useFormat()
  const labels = useTableLabels()
  const schedules = useReportSchedules()
  const run = useRunSchedule()
  const del = useDeleteSchedule()
  const toast = useToast()
  const cadence = useCadenceText()
  const canWrite = session.can("standards:write")
  const [editing, setEditing] = useState<ReportSchedule | "new">()
  const [confirm, setConfirm] = useState<ReportSchedule>()
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor("name", { header: t("reports.name"), enableSorting: false }),
        col.accessor("source", {
          header: t("reports.source"),
          enableSorting: false,
          cell: (i) => t(`reports.sources.${i.getValue()}`),
        }),
        col.accessor("format", {
          header: t("reports.format"),
          enableSorting: false,
          cell: (i) => <Badge>{i.getValue().toUpperCase()}</Badge>,
        }),
        col.display({
          id: "cadence",
          header: t("reports.cadence"),
          cell: (i) => (
            <>
              {cadence(i.row.original)} <span className="t-hint">{i.row.original.timeZone}</span>
            </>
          ),
        }),
        col.accessor("recipients", {
          header: t("reports.recipients"),
          enableSorting: false,
          cell: (i) => i.getValue().join(", ") || "—",
        }),
        col.accessor("nextRunAt", {
          header: t("reports.nextRun"),
          enableSorting: false,
          cell: (i) =>
            i.row.original.enabled ? (
              fmt.dateTime(i.getValue())
            ) : (
              <Badge tone="warn">⏸ {t("reports.paused")}</Badge>
            ),
        }),
        col.accessor("lastRunAt", {
          header: t("reports.lastRun"),
          enableSorting: false,
          cell: (i) =>
            i.row.original.lastError ? (
              <Badge tone="bad" title={i.row.original.lastError}>
                ✕ {t("reports.lastError")}
              </Badge>
            ) : (
              fmt.dateTime(i.getValue())
            ),
        }),
        col.display({
          id: "actions",
          header: "",
          cell: (i) => {
            const s = i.row.original
            return (
              <div style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
                {s.lastFileId ? (
                  <a
                    className="t-btn t-btn--sm"
                    href={`/api/v1/reports/files/${s.lastFileId}/download`}
                    download
                  >
                    {t("reports.download")}
                  </a>
                ) : null}
                {canWrite ? (
                  <>
                    <Button
                      size="sm"
                      disabled={run.isPending}
                      onClick={() =>
                        run.mutate(s.id, {
                          onSuccess: () => toast(t("reports.ranToast", { name: s.name })),
                          onError: (e) => toast(e instanceof ApiError ? e.text() : String(e)),
                        })
                      }
                    >
                      {t("reports.runNow")}
                    </Button>
                    <Button size="sm" onClick={() => setEditing(s)}>
                      {t("reports.edit")}
                    </Button>
                    <Button size="sm" variant="danger" onClick={() => setConfirm(s)}>
                      {t("common.remove")}
                    </Button>
                  </>
                ) : null}
              </div>
            )
          },
        }),
      ]),
    [t, fmt, canWrite, run, toast, cadence],
  )
  return (
    <>
      <div className="toolbar">
        <p style={{ margin: 0, color: "var(--text-2)" }}>{t("reports.recipientsHint")}</p>
        {canWrite ? (
          <Button variant="primary" onClick={() => setEditing("new")}>
            {t("reports.create")}
          </Button>
        ) : null}
      </div>
      <DataTable
        id="report-schedules"
        caption={t("reports.tabs.schedules")}
        exportUrl={exportUrlOf("/api/v1/reports/schedules")}
        columns={columns}
        rows={schedules.data?.items}
        getRowId={(s) => s.id}
        loading={schedules.isLoading}
        error={schedules.isError ? (schedules.error as Error).message : undefined}
        onRetry={() => void schedules.refetch()}
        total={schedules.data?.items.length}
        empty={t("reports.empty")}
        labels={labels}
      />
      {editing ? (
        <ScheduleDialog
          schedule={editing === "new" ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      <ConfirmDialog
        open={Boolean(confirm)}
        title={t("common.remove")}
        confirmLabel={t("common.remove")}
        cancelLabel={t("common.cancel")}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() => confirm && del.mutate(confirm.id, { onSettled: () => setConfirm(undefined) })}
      >
        {t("reports.deleteConfirm", { name: confirm?.name ?? "" })}
      </ConfirmDialog>
    </>
  )
}

const ScheduleDialog = ({
  schedule,
  onClose,
}: {
  schedule: ReportSchedule | undefined
  onClose: () => void
}) => {
  const { t, i18n } = useTranslation()
  const save = useSaveSchedule()
  const standards = useStandardsList()
  const views = useQuery({
    queryKey: ["views", getCurrentOrg()],
    queryFn: () => api<{ items: Array<{ id: string; name: string }> }>("/api/v1/process/views"),
  })
  const [form, setForm] = useState<
    CadenceFields & {
      name: string
      source: ReportScheduleInput["source"]
      format: ReportScheduleInput["format"]
      params: Record<string, string>
      locale: "zh-CN" | "en"
      recipientsText: string
    }
  >(() => ({
    name: schedule?.name ?? "",
    source: schedule?.source ?? "dashboard",
    format: schedule?.format ?? "pdf",
    locale: schedule?.locale ?? (i18n.language === "en" ? "en" : "zh-CN"),
    params: schedule?.params ?? {},
    frequency: schedule?.frequency ?? "weekly",
    time: schedule?.time ?? "08:00",
    weekday: schedule?.weekday ?? 1,
    monthDay: schedule?.monthDay ?? 1,
    enabled: schedule?.enabled ?? true,
    recipientsText: (schedule?.recipients ?? []).join("\n"),
  }))
  const error = save.error instanceof ApiError ? save.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const { recipientsText, ...rest } = form
    save.mutate(
      {
        id: schedule?.id,
        input: {
          name: rest.name,
          source: rest.source,
          format: rest.format,
          locale: rest.locale,
          params: rest.params ?? {},
          ...cadenceBody(rest as CadenceFields),
          recipients: recipientsText
            .split(/[\n,;]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        },
      },
      { onSuccess: onClose },
    )
  }
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={schedule ? t("reports.edit") : t("reports.create")}
    >
      <form onSubmit={submit} noValidate>
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <Field label={t("reports.name")} error={error?.field("name")}>
          {(p) => (
            <Input
              {...p}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              required
            />
          )}
        </Field>
        <div className="grid-2">
          <Field label={t("reports.source")} error={error?.field("source")}>
            {(p) => (
              <Select
                {...p}
                value={form.source}
                onChange={(e) =>
                  setForm({ ...form, source: e.target.value as ReportSchedule["source"], params: {} })
                }
              >
                {(["dashboard", "compliance", "cases"] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`reports.sources.${s}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("reports.format")} error={error?.field("format")}>
            {(p) => (
              <Select
                {...p}
                value={form.format}
                onChange={(e) => setForm({ ...form, format: e.target.value as ReportSchedule["format"] })}
              >
                <option value="pdf">PDF</option>
                <option value="xlsx">XLSX</option>
                <option value="csv">CSV</option>
              </Select>
            )}
          </Field>
        </div>
        {form.source === "cases" ? (
          <Field
            label={t("reports.viewId")}
            error={error?.field("params")}
            hint={views.data?.items.length ? undefined : t("reports.noViews")}
          >
            {(p) => (
              <Select
                {...p}
                value={form.params?.viewId ?? ""}
                onChange={(e) => setForm({ ...form, params: { viewId: e.target.value } })}
              >
                <option value="">—</option>
                {views.data?.items.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ) : null}
        {form.source === "compliance" ? (
          <Field label={t("reports.standard")} error={error?.field("params")}>
            {(p) => (
              <Select
                {...p}
                value={form.params?.standardId ?? ""}
                onChange={(e) =>
                  setForm({ ...form, params: e.target.value ? { standardId: e.target.value } : {} })
                }
              >
                <option value="">{t("reports.none")}</option>
                {standards.data?.items.map((s) => (
                  <option key={s.id} value={s.id}>
                    {localized(s.title, i18n.language)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ) : null}
        <Field label={t("reports.language")}>
          {(p) => (
            <Select
              {...p}
              value={form.locale}
              onChange={(e) => setForm({ ...form, locale: e.target.value as ReportSchedule["locale"] })}
            >
              <option value="zh-CN">简体中文</option>
              <option value="en">English</option>
            </Select>
          )}
        </Field>
        <CadenceEditor
          value={form}
          onChange={(c) => setForm({ ...form, ...c })}
          error={(f) => error?.field(f)}
        />
        <Field
          label={t("reports.recipients")}
          hint={t("reports.recipientsHint")}
          error={error?.field("recipients")}
        >
          {(p) => (
            <textarea
              {...p}
              className="t-input"
              rows={3}
              value={form.recipientsText}
              onChange={(e) => setForm({ ...form, recipientsText: e.target.value })}
            />
          )}
        </Field>
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
          <Button type="submit" variant="primary" disabled={save.isPending}>
            {t("reports.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
