/**
 * Record an incident: what happened, when it started and was detected, who and what it affected (customers,
 * data categories, duration, cases), which notification regimes apply. The severity the calculator gives is
 * shown while typing; the clocks it starts then count down on the incidents page.
 */
import { useQuery } from "@tanstack/react-query"
import { Button, Callout, FieldRow, SelectField, TextField, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg, issueText } from "../../api/client"
import { errorOf, FormDialog, isoOf, localInput, useRiskPost } from "./Forms"
import { caseRefs } from "./model"

export const DATA_CATEGORIES = [
  "contact",
  "account",
  "case_content",
  "biometric",
  "religion",
  "identity_number",
  "health",
  "financial",
  "location",
  "minor",
] as const
const REGIMES = ["cn", "gdpr"] as const

const whole = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : Number.NaN)

const toggle = <T,>(list: ReadonlyArray<T>, v: T, on: boolean) =>
  on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v)

export const NewIncidentButton = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const initial = () => ({
    title: "",
    kind: "service" as "service" | "data_security",
    startedAt: localInput(new Date(Date.now() - 3_600_000)),
    detectedAt: localInput(new Date()),
    affectedCustomers: "0",
    durationMinutes: "0",
    dataCategories: [] as string[],
    regimes: ["cn"] as string[],
    criticalInfrastructure: false,
    cases: "",
  })
  const [f, setF] = useState(initial)
  const inputs = {
    affectedCustomers: whole(f.affectedCustomers),
    dataCategories: f.dataCategories,
    durationMinutes: whole(f.durationMinutes),
  }
  const valid = Number.isFinite(inputs.affectedCustomers) && Number.isFinite(inputs.durationMinutes)
  const preview = useQuery({
    queryKey: ["risk", "severity", inputs, getCurrentOrg()],
    queryFn: () =>
      api<{ level: string; because: string }>("/api/v1/risk/severity", { method: "POST", body: inputs }),
    enabled: open && valid,
  })
  const create = useRiskPost<Record<string, unknown>>("/api/v1/risk/incidents", () => {
    toast(t("risk.incidentForm.created"))
    setOpen(false)
  })
  const error = errorOf(create.error)
  const sentCases = (create.variables?.affectedCases as string[] | undefined) ?? []
  const caseErrors = (error?.fieldErrors ?? [])
    .map((e) => [/^\/affectedCases\/(\d+)$/.exec(e.path), e] as const)
    .filter(([m]) => m)
    .map(([m, e]) => `${sentCases[Number(m![1])]}: ${issueText(e)}`)
  return (
    <>
      <Button
        variant="primary"
        onClick={() => {
          setF(initial())
          create.reset()
          setOpen(true)
        }}
      >
        {t("risk.incidentForm.new")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.incidentForm.new")}
        submit={t("risk.forms.save")}
        busy={create.isPending}
        error={error}
        onSubmit={() =>
          create.mutate({
            title: f.title,
            kind: f.kind,
            startedAt: isoOf(f.startedAt),
            detectedAt: isoOf(f.detectedAt),
            affectedCustomers: inputs.affectedCustomers,
            durationMinutes: inputs.durationMinutes,
            dataCategories: f.dataCategories,
            regimes: f.regimes,
            criticalInfrastructure: f.criticalInfrastructure,
            affectedCases: caseRefs(f.cases),
          })
        }
      >
        <TextField
          label={t("risk.incidentForm.title")}
          error={error?.field("title")}
          value={f.title}
          onChange={(title) => setF({ ...f, title })}
        />
        <SelectField
          label={t("risk.incidentForm.kind")}
          error={error?.field("kind")}
          value={f.kind}
          onChange={(kind) => setF({ ...f, kind })}
          options={[
            { value: "service", label: t("risk.incidents.kind.service") },
            { value: "data_security", label: t("risk.incidents.kind.data_security") },
          ]}
        />
        <FieldRow>
          <TextField
            label={t("risk.incidents.started")}
            error={error?.field("startedAt")}
            type="datetime-local"
            value={f.startedAt}
            onChange={(startedAt) => setF({ ...f, startedAt })}
          />
          <TextField
            label={t("risk.incidents.detected")}
            hint={t("risk.incidentForm.detectedHint")}
            error={error?.field("detectedAt")}
            type="datetime-local"
            value={f.detectedAt}
            onChange={(detectedAt) => setF({ ...f, detectedAt })}
          />
          <TextField
            label={t("risk.incidentForm.customers")}
            error={error?.field("affectedCustomers")}
            inputMode="numeric"
            value={f.affectedCustomers}
            onChange={(affectedCustomers) => setF({ ...f, affectedCustomers })}
          />
          <TextField
            label={t("risk.incidentForm.duration")}
            error={error?.field("durationMinutes")}
            inputMode="numeric"
            value={f.durationMinutes}
            onChange={(durationMinutes) => setF({ ...f, durationMinutes })}
          />
        </FieldRow>
        <fieldset style={{ border: 0, padding: 0, margin: "8px 0" }}>
          <legend className="t-label">{t("risk.incidentForm.data")}</legend>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 12 }}>
            {DATA_CATEGORIES.map((c) => (
              <label key={c} style={{ display: "flex", gap: 4, alignItems: "center" }}>
                <input
                  type="checkbox"
                  checked={f.dataCategories.includes(c)}
                  onChange={(e) =>
                    setF({ ...f, dataCategories: toggle(f.dataCategories, c, e.target.checked) })
                  }
                />
                {t(`risk.incidentForm.categories.${c}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset style={{ border: 0, padding: 0, margin: "8px 0" }}>
          <legend className="t-label">{t("risk.incidentForm.regimes")}</legend>
          <div style={{ display: "flex", flexWrap: "wrap", gap: 12 }}>
            {REGIMES.map((r) => (
              <label key={r} style={{ display: "flex", gap: 4, alignItems: "center" }}>
                <input
                  type="checkbox"
                  checked={f.regimes.includes(r)}
                  onChange={(e) => setF({ ...f, regimes: toggle(f.regimes, r, e.target.checked) })}
                />
                {t(`risk.incidentForm.regime.${r}`)}
              </label>
            ))}
            <label style={{ display: "flex", gap: 4, alignItems: "center" }}>
              <input
                type="checkbox"
                checked={f.criticalInfrastructure}
                onChange={(e) => setF({ ...f, criticalInfrastructure: e.target.checked })}
              />
              {t("risk.incidentForm.cii")}
            </label>
          </div>
        </fieldset>
        <TextField
          label={t("risk.incidents.caseNumbers")}
          hint={t("risk.incidents.caseNumbersHint")}
          value={f.cases}
          onChange={(cases) => setF({ ...f, cases })}
        />
        {caseErrors.length ? <Callout tone="bad">{caseErrors.join("；")}</Callout> : null}
        <p data-testid="severity-preview" aria-live="polite">
          {valid && preview.data
            ? t("risk.incidentForm.severity", {
                level: t(`risk.incidents.severity.${preview.data.level}`),
                because: t(`risk.incidentForm.because.${preview.data.because}`),
              })
            : t("risk.incidentForm.severityPending")}
        </p>
      </FormDialog>
    </>
  )
}
