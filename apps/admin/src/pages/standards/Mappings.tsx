/** Mappings between requirements of different standards. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Card, Field, Input, Select, useToast } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, call, getCurrentOrg, tenet } from "../../api/client"
import { ExportLinks } from "../../components/ExportLinks"
import { useSession } from "../../session"
import type { StandardSummary } from "./model"

interface Mapping {
  id: string
  fromStandard: string
  fromRequirement: string
  toStandard: string
  toRequirement: string
  relation: string
  strength: number
  rationale: string | null
}
const RELATIONS = ["equal", "subset", "superset", "intersect"] as const
const useRequirements = (standardId: string) =>
  useQuery({
    queryKey: ["requirements", getCurrentOrg(), standardId],
    queryFn: () =>
      api<{ items: Array<{ id: string; title: Record<string, string> }> }>(
        `/api/v1/standards/${standardId}/requirements`,
      ),
  })

/** Requirements of two standards mapped to each other, so one metric serves several requirements. */
export const MappingsCard = ({ standards }: { standards: StandardSummary[] }) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language as "zh-CN" | "en"
  const session = useSession()
  const toast = useToast()
  const qc = useQueryClient()
  const mappings = useQuery({
    queryKey: ["mappings", getCurrentOrg()],
    queryFn: () => api<{ items: Mapping[] }>("/api/v1/standards/mappings"),
  })
  const title = (id: string) => {
    const s = standards.find((x) => x.id === id)
    return s ? (s.title[lang] ?? s.title.en ?? s.key) : id
  }
  const [form, setForm] = useState({
    fromStandard: standards[0]!.id,
    fromRequirement: "",
    toStandard: (standards[1] ?? standards[0])!.id,
    toRequirement: "",
    relation: "equal",
    strength: 8,
    rationale: "",
  })
  const create = useMutation({
    mutationFn: async () => {
      const { rationale, ...rest } = form
      await call(
        tenet.POST("/api/v1/standards/mappings", { body: { ...rest, ...(rationale ? { rationale } : {}) } }),
      )
    },
    onSuccess: () => {
      toast(t("standards.mappingCreated"))
      void qc.invalidateQueries({ queryKey: ["mappings"] })
    },
  })
  const err = create.error instanceof ApiError ? create.error : undefined
  const onSide = (k: "fromStandard" | "fromRequirement" | "toStandard" | "toRequirement", v: string) =>
    setForm((f) => ({ ...f, [k]: v }))
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: k === "strength" ? Number(e.target.value) : e.target.value }))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  return (
    <Card title={t("standards.mappings")}>
      <p className="t-hint">{t("standards.mappingsHint")}</p>
      {mappings.data?.items.length ? (
        <ExportLinks
          url="/api/v1/standards/mappings"
          columns={[
            ["fromStandard", t("standards.mappingFrom")],
            ["fromRequirement", `${t("standards.mappingFrom")} · ${t("dashboard.requirement")}`],
            ["relation", t("standards.mappingRelation")],
            ["toStandard", t("standards.mappingTo")],
            ["toRequirement", `${t("standards.mappingTo")} · ${t("dashboard.requirement")}`],
            ["strength", t("standards.mappingStrength")],
            ["rationale", t("standards.mappingRationale")],
          ]}
        />
      ) : null}
      {mappings.data?.items.length ? (
        <table className="t-table" data-testid="mapping-list">
          <thead>
            <tr>
              <th scope="col">{t("standards.mappingFrom")}</th>
              <th scope="col">{t("standards.mappingRelation")}</th>
              <th scope="col">{t("standards.mappingTo")}</th>
              <th scope="col">{t("standards.mappingStrength")}</th>
            </tr>
          </thead>
          <tbody>
            {mappings.data.items.map((m) => (
              <tr key={m.id}>
                <td>
                  {title(m.fromStandard)} · <code className="t-code">{m.fromRequirement}</code>
                </td>
                <td>
                  <Badge>{t(`standards.relations.${m.relation}`)}</Badge>
                </td>
                <td>
                  {title(m.toStandard)} · <code className="t-code">{m.toRequirement}</code>
                </td>
                <td title={m.rationale ?? undefined}>{m.strength} / 10</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="t-hint">{t("standards.noMappings")}</p>
      )}
      {session.can("standards:manage") ? (
        <form
          onSubmit={submit}
          noValidate
          data-testid="mapping-form"
          style={{
            display: "grid",
            gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))",
            gap: 8,
            marginTop: 12,
          }}
        >
          <RequirementSide
            side="from"
            standards={standards}
            standardId={form.fromStandard}
            requirementId={form.fromRequirement}
            error={err}
            onChange={onSide}
          />
          <Field label={t("standards.mappingRelation")} error={err?.field("relation")}>
            {(p) => (
              <Select {...p} value={form.relation} onChange={set("relation")}>
                {RELATIONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`standards.relations.${r}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <RequirementSide
            side="to"
            standards={standards}
            standardId={form.toStandard}
            requirementId={form.toRequirement}
            error={err}
            onChange={onSide}
          />
          <Field
            label={t("standards.mappingStrength")}
            hint={t("standards.mappingStrengthHint")}
            error={err?.field("strength")}
          >
            {(p) => (
              <Input
                {...p}
                type="number"
                min={0}
                max={10}
                step={1}
                value={form.strength}
                onChange={set("strength")}
              />
            )}
          </Field>
          <Field label={t("standards.mappingRationale")} error={err?.field("rationale")}>
            {(p) => <Input {...p} value={form.rationale} onChange={set("rationale")} />}
          </Field>
          <div style={{ alignSelf: "end" }}>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {t("standards.addMapping")}
            </Button>
          </div>
        </form>
      ) : null}
    </Card>
  )
}

/** One side of a mapping: the standard, then a requirement of its newest version. */
const RequirementSide = ({
  side,
  standards,
  standardId,
  requirementId,
  error,
  onChange,
}: {
  side: "from" | "to"
  standards: StandardSummary[]
  standardId: string
  requirementId: string
  error: ApiError | undefined
  onChange: (k: `${"from" | "to"}${"Standard" | "Requirement"}`, v: string) => void
}) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language as "zh-CN" | "en"
  const reqs = useRequirements(standardId)
  const S = side === "from" ? "From" : "To"
  return (
    <>
      <Field label={t(`standards.mapping${S}Standard`)} error={error?.field(`${side}Standard`)}>
        {(p) => (
          <Select {...p} value={standardId} onChange={(e) => onChange(`${side}Standard`, e.target.value)}>
            {standards.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title[lang] ?? s.title.en ?? s.key}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t(`standards.mapping${S}Requirement`)} error={error?.field(`${side}Requirement`)}>
        {(p) => (
          <Select
            {...p}
            value={requirementId}
            onChange={(e) => onChange(`${side}Requirement`, e.target.value)}
          >
            <option value="">—</option>
            {(reqs.data?.items ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.id} {r.title[lang] ?? r.title.en ?? ""}
              </option>
            ))}
          </Select>
        )}
      </Field>
    </>
  )
}
