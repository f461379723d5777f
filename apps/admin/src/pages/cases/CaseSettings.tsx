/**
 * Cases → Settings: the organisation's case types and categories (labelled in both languages), the
 * priority matrix, the default SLA policy, what completes an intake record, and return visits.
 */
import {
  Badge,
  Button,
  Callout,
  Card,
  DataTable,
  dataTableColumns,
  Field,
  Input,
  Select,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useEffect, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import {
  type ProcessSettings,
  usePolicies,
  useProcessSettings,
  useSaveVocabulary,
  useUpdateProcessSettings,
  useVocabulary,
  type VocabularyEntry,
} from "../../api/process"
import { useSession } from "../../session"
import { exportUrlOf, useTableLabels } from "../table-labels"

const vcol = dataTableColumns<VocabularyEntry>()
const LEVELS = ["high", "medium", "low"] as const
const PRIORITIES = ["p1", "p2", "p3", "p4"] as const
const RECORD_FIELDS = ["customer", "content", "category"] as const

export const CaseSettingsPage = () => (
  <div style={{ display: "flex", flexDirection: "column", gap: 16 }}>
    <VocabularyCard />
    <ProcessSettingsCard />
  </div>
)

const VocabularyCard = () => {
  const { t } = useTranslation()
  const labels = useTableLabels()
  const toast = useToast()
  const session = useSession()
  const canManage = session.can("cases:manage")
  const vocabulary = useVocabulary()
  const save = useSaveVocabulary()
  const [form, setForm] = useState({
    kind: "type" as "type" | "category",
    code: "",
    labelZh: "",
    labelEn: "",
  })
  const error = save.error instanceof ApiError ? save.error : undefined
  const columns = useMemo(
    () =>
      vcol.columns([
        vcol.accessor("kind", {
          header: t("caseSettings.kind"),
          enableSorting: false,
          cell: (i) => t(`caseSettings.kinds.${i.getValue()}`),
        }),
        vcol.accessor("code", { header: t("caseSettings.code"), enableSorting: false }),
        vcol.accessor("labelZh", { header: t("caseSettings.labelZh"), enableSorting: false }),
        vcol.accessor("labelEn", { header: t("caseSettings.labelEn"), enableSorting: false }),
        vcol.accessor("active", {
          header: t("caseSettings.inUse"),
          enableSorting: false,
          cell: (i) =>
            canManage ? (
              <Button
                size="sm"
                onClick={() =>
                  save.mutate(
                    { ...pick(i.row.original), active: !i.getValue() },
                    { onSuccess: () => toast(t("common.saved")) },
                  )
                }
              >
                {i.getValue() ? t("caseSettings.retire") : t("caseSettings.reinstate")}
              </Button>
            ) : (
              <Badge tone={i.getValue() ? "ok" : undefined}>
                {i.getValue() ? t("caseSettings.active") : t("caseSettings.retired")}
              </Badge>
            ),
        }),
      ]),
    [t, canManage, save.mutate, toast],
  )
  const add = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(form, {
      onSuccess: () => {
        toast(t("caseSettings.added", { code: form.code }))
        setForm({ ...form, code: "", labelZh: "", labelEn: "" })
      },
    })
  }
  return (
    <Card title={t("caseSettings.vocabularyTitle")}>
      <p className="t-hint" style={{ marginTop: 0 }}>
        {t("caseSettings.vocabularyHint")}
      </p>
      <DataTable
        id="case-vocabulary"
        caption={t("caseSettings.vocabularyTitle")}
        exportUrl={exportUrlOf("/api/v1/process/vocabulary")}
        columns={columns}
        rows={vocabulary.data?.items}
        loading={vocabulary.isLoading}
        getRowId={(v) => `${v.kind}:${v.code}`}
        empty={t("caseSettings.empty")}
        labels={labels}
      />
      {canManage ? (
        <form onSubmit={add} noValidate data-testid="vocabulary-form" style={{ marginTop: 12 }}>
          <div
            style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(140px, 1fr))", gap: 12 }}
          >
            <Field label={t("caseSettings.kind")} error={error?.field("kind")}>
              {(p) => (
                <Select
                  {...p}
                  value={form.kind}
                  onChange={(e) => setForm({ ...form, kind: e.target.value as "type" | "category" })}
                >
                  <option value="type">{t("caseSettings.kinds.type")}</option>
                  <option value="category">{t("caseSettings.kinds.category")}</option>
                </Select>
              )}
            </Field>
            <Field
              label={t("caseSettings.code")}
              error={error?.field("code")}
              hint={t("caseSettings.codeHint")}
            >
              {(p) => (
                <Input
                  {...p}
                  value={form.code}
                  onChange={(e) => setForm({ ...form, code: e.target.value })}
                />
              )}
            </Field>
            <Field label={t("caseSettings.labelZh")} error={error?.field("labelZh")}>
              {(p) => (
                <Input
                  {...p}
                  value={form.labelZh}
                  onChange={(e) => setForm({ ...form, labelZh: e.target.value })}
                />
              )}
            </Field>
            <Field label={t("caseSettings.labelEn")} error={error?.field("labelEn")}>
              {(p) => (
                <Input
                  {...p}
                  value={form.labelEn}
                  onChange={(e) => setForm({ ...form, labelEn: e.target.value })}
                />
              )}
            </Field>
          </div>
          {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
          <Button type="submit" variant="primary" disabled={save.isPending}>
            {t("caseSettings.add")}
          </Button>
        </form>
      ) : null}
    </Card>
  )
}

const pick = (v: VocabularyEntry) => ({ kind: v.kind, code: v.code, labelZh: v.labelZh, labelEn: v.labelEn })

const ProcessSettingsCard = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const session = useSession()
  const canManage = session.can("cases:manage")
  const settings = useProcessSettings()
  const policies = usePolicies()
  const update = useUpdateProcessSettings()
  const [form, setForm] = useState<ProcessSettings>()
  useEffect(() => {
    if (settings.data) setForm(settings.data)
  }, [settings.data])
  const error = update.error instanceof ApiError ? update.error : undefined
  if (!form) return null
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate(
      {
        priorityMatrix: form.priorityMatrix,
        recordRequires: form.recordRequires,
        returnVisit: form.returnVisit,
        ...(form.defaultPolicyId ? { defaultPolicyId: form.defaultPolicyId } : {}),
      },
      { onSuccess: () => toast(t("common.saved")) },
    )
  }
  const num = (k: keyof ProcessSettings["returnVisit"]) => (
    <Field label={t(`caseSettings.returnVisit.${k}`)} error={error?.field(`returnVisit.${k}`)}>
      {(p) => (
        <Input
          {...p}
          type="number"
          style={{ width: "100%", minWidth: 0 }}
          disabled={!canManage}
          value={String(form.returnVisit[k])}
          onChange={(e) =>
            setForm({ ...form, returnVisit: { ...form.returnVisit, [k]: Number(e.target.value) } })
          }
        />
      )}
    </Field>
  )
  return (
    <form onSubmit={submit} noValidate data-testid="process-settings">
      <div className="grid-2">
        <Card title={t("caseSettings.matrixTitle")}>
          <p className="t-hint" style={{ marginTop: 0 }}>
            {t("caseSettings.matrixHint")}
          </p>
          <div
            style={{
              display: "grid",
              gridTemplateColumns: "auto repeat(3, minmax(72px, 1fr))",
              gap: 8,
              alignItems: "center",
            }}
          >
            <span className="t-label">
              {t("cases.urgency")} \ {t("cases.impact")}
            </span>
            {LEVELS.map((i) => (
              <span key={i} className="t-label">
                {t(`levels.${i}`)}
              </span>
            ))}
            {LEVELS.map((u) => (
              <MatrixRow key={u} u={u} form={form} setForm={setForm} disabled={!canManage} />
            ))}
          </div>
        </Card>
        <Card title={t("caseSettings.recordTitle")}>
          <p className="t-hint" style={{ marginTop: 0 }}>
            {t("caseSettings.recordHint")}
          </p>
          {RECORD_FIELDS.map((f) => (
            <label key={f} style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 6 }}>
              <input
                type="checkbox"
                disabled={!canManage}
                checked={form.recordRequires.includes(f)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    recordRequires: e.target.checked
                      ? [...form.recordRequires, f]
                      : form.recordRequires.filter((x) => x !== f),
                  })
                }
              />
              {t(`caseSettings.recordFields.${f}`)}
            </label>
          ))}
          <Field
            label={t("caseSettings.defaultPolicy")}
            hint={t("caseSettings.defaultPolicyHint")}
            error={error?.field("defaultPolicyId")}
          >
            {(p) => (
              <Select
                {...p}
                disabled={!canManage}
                value={form.defaultPolicyId ?? ""}
                onChange={(e) => setForm({ ...form, defaultPolicyId: e.target.value || null })}
              >
                {form.defaultPolicyId ? null : <option value="">—</option>}
                {(policies.data?.items ?? []).map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </Card>
        <Card title={t("caseSettings.returnVisitTitle")}>
          <p className="t-hint" style={{ marginTop: 0 }}>
            {t("caseSettings.returnVisitHint", form.returnVisit)}
          </p>
          <div
            style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(120px, 1fr))", gap: 12 }}
          >
            {num("afterDays")}
            {num("everyDays")}
            {num("times")}
          </div>
        </Card>
      </div>
      {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
      {canManage ? (
        <div style={{ marginTop: 12 }}>
          <Button type="submit" variant="primary" disabled={update.isPending}>
            {t("common.save")}
          </Button>
        </div>
      ) : null}
    </form>
  )
}

const MatrixRow = ({
  u,
  form,
  setForm,
  disabled,
}: {
  u: (typeof LEVELS)[number]
  form: ProcessSettings
  setForm: (f: ProcessSettings) => void
  disabled: boolean
}) => {
  const { t } = useTranslation()
  return (
    <>
      <span className="t-label">{t(`levels.${u}`)}</span>
      {LEVELS.map((i) => (
        <Select
          key={i}
          aria-label={t("caseSettings.cell", { urgency: t(`levels.${u}`), impact: t(`levels.${i}`) })}
          disabled={disabled}
          value={form.priorityMatrix[u]?.[i] ?? "p3"}
          onChange={(e) =>
            setForm({
              ...form,
              priorityMatrix: {
                ...form.priorityMatrix,
                [u]: { ...form.priorityMatrix[u], [i]: e.target.value },
              },
            })
          }
        >
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p.toUpperCase()}
            </option>
          ))}
        </Select>
      ))}
    </>
  )
}
