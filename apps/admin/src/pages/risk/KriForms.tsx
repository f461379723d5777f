/**
 * A key risk indicator's form: binding one to a registry metric (any module's or a plugin's) with amber
 * and red thresholds, and changing its thresholds, name, window and mode later
 * (`POST /api/v1/risk/kris`, `PATCH /api/v1/risk/kris/{id}`).
 */
import { useQuery } from "@tanstack/react-query"
import { Button, FieldRow, SelectField, TextField, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { errorOf, FormDialog, useRiskPost } from "./Forms"
import { type Kri, loc } from "./model"

const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v))

/** New (`riskId`) or edit (`kri`). */
const KriButton = ({ riskId, kri }: { riskId?: string; kri?: Kri }) => {
  const { t, i18n } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const metrics = useQuery({
    queryKey: ["metrics"],
    queryFn: () =>
      api<{ items: Array<{ id: string; code?: string; name: Record<string, string> }> }>("/api/v1/metrics"),
    enabled: open && !kri,
  })
  // the workflows a crossing can open a cycle of (those that accept the `risk` trigger)
  const workflows = useQuery({
    queryKey: ["workflows", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Array<{ id: string; name: Record<string, string>; triggers: string[] }> }>(
        "/api/v1/improvements/workflows",
      ),
    enabled: open,
  })
  const initial = () => ({
    name: kri?.name ?? "",
    metricId: "",
    direction: kri?.direction ?? ("below" as Kri["direction"]),
    amber: kri ? String(kri.amber) : "",
    red: kri ? String(kri.red) : "",
    windowDays: String(kri?.windowDays ?? 7),
    mode: kri?.mode ?? ("suggest" as Kri["mode"]),
    cycleWorkflowId: kri?.cycleWorkflowId ?? "",
  })
  const [f, setF] = useState(initial)
  const save = useRiskPost<Record<string, unknown>>(
    kri ? `/api/v1/risk/kris/${kri.id}` : "/api/v1/risk/kris",
    () => {
      toast(t(kri ? "risk.forms.kriSaved" : "risk.forms.kriCreated"))
      setOpen(false)
    },
    kri ? "PATCH" : "POST",
  )
  const error = errorOf(save.error)
  const title = kri ? t("risk.forms.editKriTitle", { name: kri.name }) : t("risk.forms.newKri")
  return (
    <>
      <Button
        onClick={() => {
          setF(initial())
          save.reset()
          setOpen(true)
        }}
      >
        {kri ? t("risk.forms.editKri") : t("risk.forms.newKri")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={title}
        submit={kri ? t("risk.forms.save") : t("risk.forms.create")}
        busy={save.isPending}
        error={error}
        onSubmit={() =>
          save.mutate({
            ...(kri ? {} : { riskId, metricId: f.metricId || metrics.data?.items[0]?.id || "" }),
            name: f.name,
            direction: f.direction,
            amber: num(f.amber),
            red: num(f.red),
            windowDays: Number(f.windowDays),
            mode: f.mode,
            ...(f.cycleWorkflowId
              ? { cycleWorkflowId: f.cycleWorkflowId }
              : kri
                ? { cycleWorkflowId: null }
                : {}),
          })
        }
      >
        <TextField
          label={t("risk.forms.kriName")}
          error={error?.field("name")}
          required
          value={f.name}
          onChange={(name) => setF({ ...f, name })}
        />
        {kri ? (
          <p className="t-hint">
            {t("risk.forms.kriGreen", { rule: f.direction === "above" ? `< ${f.amber}` : `> ${f.amber}` })}
          </p>
        ) : (
          <SelectField
            label={t("risk.forms.metric")}
            error={error?.field("metricId")}
            value={f.metricId}
            onChange={(metricId) => setF({ ...f, metricId })}
            options={(metrics.data?.items ?? []).map((m) => ({
              value: m.id,
              label: `${m.code ? `${m.code} · ` : ""}${loc(m.name, i18n.language)}`,
            }))}
          />
        )}
        <FieldRow>
          <SelectField
            label={t("risk.forms.direction")}
            error={error?.field("direction")}
            value={f.direction}
            onChange={(direction) => setF({ ...f, direction })}
            options={[
              { value: "below", label: t("risk.kri.direction.below") },
              { value: "above", label: t("risk.kri.direction.above") },
            ]}
          />
          <SelectField
            label={t("risk.forms.mode")}
            value={f.mode}
            onChange={(mode) => setF({ ...f, mode })}
            options={[
              { value: "suggest", label: t("risk.kri.mode.suggest") },
              { value: "automatic", label: t("risk.kri.mode.automatic") },
            ]}
          />
          <TextField
            label={t("risk.kri.amber")}
            hint={t("risk.forms.thresholdHint")}
            error={error?.field("amber")}
            inputMode="decimal"
            value={f.amber}
            onChange={(amber) => setF({ ...f, amber })}
          />
          <TextField
            label={t("risk.kri.red")}
            error={error?.field("red")}
            inputMode="decimal"
            value={f.red}
            onChange={(red) => setF({ ...f, red })}
          />
        </FieldRow>
        <TextField
          label={t("risk.forms.window")}
          error={error?.field("windowDays")}
          inputMode="numeric"
          value={f.windowDays}
          onChange={(windowDays) => setF({ ...f, windowDays })}
        />
        <SelectField
          label={t("risk.forms.cycleWorkflow")}
          hint={t("risk.forms.cycleWorkflowHint")}
          error={error?.field("cycleWorkflowId")}
          value={f.cycleWorkflowId}
          onChange={(cycleWorkflowId) => setF({ ...f, cycleWorkflowId })}
          options={[
            { value: "", label: t("risk.forms.noCycle") },
            ...(workflows.data?.items ?? [])
              .filter((w) => w.triggers.includes("risk") || w.id === f.cycleWorkflowId)
              .map((w) => ({ value: w.id, label: loc(w.name, i18n.language) || w.id })),
          ]}
        />
      </FormDialog>
    </>
  )
}

/** Bind a key risk indicator to a registry metric, with amber and red thresholds. */
export const NewKriButton = ({ riskId }: { riskId: string }) => <KriButton riskId={riskId} />
/** Change a KRI's thresholds (and name, window, mode). */
export const EditKriButton = ({ kri }: { kri: Kri }) => <KriButton kri={kri} />
