import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import {
  Badge,
  Button,
  Callout,
  Card,
  EmptyState,
  Field,
  Input,
  PageHeader,
  Select,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg } from "../api/client"
import { DocumentImport } from "../components/DocumentImport"
import { useFormat } from "../format"
import { useSession } from "../session"

interface VersionSummary {
  version: number
  label: string
  status: string
  requirements: number
  nextReviewAt: string | null
  history: Array<{ status: string; by: string; at: string; note?: string }>
  basedOn: number | null
  sourceCycleId: string | null
}
interface StandardSummary {
  id: string
  key: string
  title: Record<string, string>
  provider: string | null
  licence: string | null
  versions: VersionSummary[]
}
const NEXT: Record<string, string[]> = {
  draft: ["in_review", "retired"],
  in_review: ["approved", "draft"],
  approved: ["published", "draft"],
  published: ["retired"],
  superseded: ["retired"],
  retired: [],
}
const TONE: Record<string, "ok" | "warn" | "accent" | undefined> = {
  published: "ok",
  draft: "accent",
  in_review: "warn",
  approved: "warn",
}

export const StandardsPage = () => {
  const { t } = useTranslation()
  const session = useSession()
  const standards = useQuery({
    queryKey: ["standards", getCurrentOrg()],
    queryFn: () => api<{ items: StandardSummary[] }>("/api/v1/standards"),
  })
  const due = useQuery({
    queryKey: ["reviews-due", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Array<{ key: string; label: string; nextReviewAt: string }> }>(
        "/api/v1/standards/reviews/due",
      ),
  })
  const fmt = useFormat()
  return (
    <>
      <PageHeader title={t("standards.title")} description={t("standards.description")} />
      {due.data?.items.length ? (
        <div style={{ marginBottom: 16 }}>
          <Callout tone="warn">
            {t("standards.dueReviews")}:{" "}
            {due.data.items.map((d) => `${d.key} ${d.label} (${fmt.date(d.nextReviewAt)})`).join(", ")}
          </Callout>
        </div>
      ) : null}
      <div style={{ display: "flex", flexDirection: "column", gap: 16 }}>
        {standards.data?.items.length === 0 ? (
          <Card>
            <EmptyState title={t("standards.noStandards")} />
          </Card>
        ) : null}
        {standards.data?.items.map((s) => (
          <StandardCard key={s.id} s={s} />
        ))}
        {standards.data?.items.length ? <MappingsCard standards={standards.data.items} /> : null}
        {session.can("standards:manage") ? <ImportCard /> : null}
      </div>
    </>
  )
}

const StandardCard = ({ s }: { s: StandardSummary }) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language as "zh-CN" | "en"
  const fmt = useFormat()
  const toast = useToast()
  const qc = useQueryClient()
  const session = useSession()
  const [open, setOpen] = useState<number>()
  const step = useMutation({
    mutationFn: ({ version, to }: { version: number; to: string }) =>
      api(`/api/v1/standards/${s.id}/versions/${version}/steps`, { method: "POST", body: { to } }),
    onSuccess: (_d, v) => {
      toast(t("standards.stepped", { version: v.version, status: t(`standards.statuses.${v.to}`) }))
      void qc.invalidateQueries({ queryKey: ["standards"] })
    },
    onError: (e) => toast((e as Error).message, "bad"),
  })
  return (
    <Card title={s.title[lang] ?? s.title.en}>
      <p className="t-hint" style={{ marginTop: -8 }}>
        <code className="t-code">{s.key}</code> {s.provider ? `· ${s.provider}` : ""}{" "}
        {s.licence ? `· ${s.licence}` : ""}
      </p>
      <table className="t-table">
        <thead>
          <tr>
            <th scope="col">{t("standards.versions")}</th>
            <th scope="col">{t("dashboard.status")}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {s.versions.map((v) => (
            <tr key={v.version}>
              <td>
                {t("standards.version", { label: v.label, version: v.version })}
                <br />
                <span className="t-hint">
                  {t("standards.requirements", { count: v.requirements })}
                  {v.nextReviewAt
                    ? ` · ${t("standards.nextReview", { date: fmt.date(v.nextReviewAt) })}`
                    : ""}
                  {v.sourceCycleId ? ` · ${v.sourceCycleId}` : ""}
                </span>
              </td>
              <td>
                <Badge tone={TONE[v.status]}>{t(`standards.statuses.${v.status}`)}</Badge>
                <div className="t-hint">{v.history.at(-1) ? fmt.dateTime(v.history.at(-1)!.at) : ""}</div>
              </td>
              <td style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
                {session.can("standards:manage")
                  ? NEXT[v.status]!.map((to) => (
                      <Button
                        key={to}
                        size="sm"
                        variant={to === "published" ? "primary" : "default"}
                        onClick={() => step.mutate({ version: v.version, to })}
                      >
                        {t(`standards.steps.${to}`)}
                      </Button>
                    ))
                  : null}
                <a
                  className="t-btn t-btn--sm"
                  href={`/api/v1/standards/${s.id}/versions/${v.version}/export?format=yaml`}
                  download={`${s.key}-${v.label}.yaml`}
                >
                  {t("standards.export")}
                </a>
                <Button
                  size="sm"
                  variant="ghost"
                  aria-expanded={open === v.version}
                  onClick={() => setOpen(open === v.version ? undefined : v.version)}
                >
                  {open === v.version ? t("standards.hide") : t("standards.view")}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? (
        <VersionDetail
          standardId={s.id}
          version={open}
          basedOn={s.versions.find((v) => v.version === open)?.basedOn ?? null}
        />
      ) : null}
    </Card>
  )
}

type Doc = { clauses: Array<Clause> }
type Clause = {
  id: string
  title: Record<string, string>
  requirements?: Array<{
    id: string
    title: Record<string, string>
    targets?: Array<{
      id: string
      metric: string
      operator: string
      value: number
      filter?: Record<string, string>
    }>
  }>
  clauses?: Clause[]
}

/** The `value` of a diff entry's before or after (a target's), when it has one. */
const targetValue = (v: unknown) =>
  typeof v === "object" && v !== null && "value" in v ? String((v as { value: unknown }).value) : undefined

const VersionDetail = ({
  standardId,
  version,
  basedOn,
}: {
  standardId: string
  version: number
  basedOn: number | null
}) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language as "zh-CN" | "en"
  const v = useQuery({
    queryKey: ["standard-version", getCurrentOrg(), standardId, version],
    queryFn: () => api<{ document: Doc }>(`/api/v1/standards/${standardId}/versions/${version}`),
  })
  const d = useQuery({
    queryKey: ["standard-diff", getCurrentOrg(), standardId, basedOn, version],
    queryFn: () =>
      api<{
        items: Array<{
          kind: string
          what: string
          requirement: string
          target?: string
          before?: unknown
          after?: unknown
        }>
      }>(`/api/v1/standards/${standardId}/diff?a=${basedOn}&b=${version}`),
    enabled: basedOn !== null,
  })
  const render = (clauses: Clause[], depth: number): React.ReactNode =>
    clauses.map((c) => (
      <div key={c.id} style={{ marginLeft: depth * 16, marginTop: 8 }}>
        <strong>
          {c.id} {c.title[lang] ?? c.title.en}
        </strong>
        <ul style={{ margin: "4px 0", paddingLeft: 18 }}>
          {(c.requirements ?? []).map((r) => (
            <li key={r.id}>
              {r.id} {r.title[lang] ?? r.title.en}
              {(r.targets ?? []).map((tg) => (
                <span key={tg.id} className="t-hint">
                  {" "}
                  · <code className="t-code">{tg.metric}</code> {tg.operator} {tg.value}
                  {tg.filter ? ` ${JSON.stringify(tg.filter)}` : ""}
                </span>
              ))}
            </li>
          ))}
        </ul>
        {c.clauses ? render(c.clauses, depth + 1) : null}
      </div>
    ))
  return (
    <div style={{ marginTop: 12 }}>
      {basedOn !== null && d.data ? (
        <div style={{ marginBottom: 12 }}>
          <div className="t-label">{t("standards.diff", { from: basedOn })}</div>
          {d.data.items.length ? (
            <ul style={{ margin: "4px 0", paddingLeft: 18 }} data-testid="standard-diff">
              {d.data.items.map((x) => (
                <li key={`${x.kind}-${x.requirement}-${x.target ?? ""}`}>
                  <Badge tone={x.kind === "added" ? "ok" : x.kind === "removed" ? "bad" : "warn"}>
                    {t(`standards.diffKinds.${x.kind}`)}
                  </Badge>{" "}
                  {x.what === "target"
                    ? `${t("standards.targetWord")} ${x.requirement}/${x.target}`
                    : `${t("standards.requirementWord")} ${x.requirement}`}
                  {x.kind === "changed" && x.what === "target" ? (
                    <span className="t-hint">
                      {" "}
                      {targetValue(x.before)} → {targetValue(x.after)}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="t-hint">{t("standards.noDiff")}</p>
          )}
        </div>
      ) : null}
      {v.data ? render(v.data.document.clauses, 0) : null}
    </div>
  )
}

const ImportCard = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const qc = useQueryClient()
  return (
    <DocumentImport<{ version: number; upgrade: boolean; diff: unknown[] }>
      title={t("standards.import")}
      hint={t("standards.importHint")}
      path="/api/v1/standards/import"
      onImported={(r) => {
        toast(
          r.upgrade
            ? t("standards.upgraded", { version: r.version, count: r.diff.length })
            : t("standards.imported", { version: r.version }),
        )
        void qc.invalidateQueries({ queryKey: ["standards"] })
      }}
    />
  )
}

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
const MappingsCard = ({ standards }: { standards: StandardSummary[] }) => {
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
    mutationFn: () =>
      api<Mapping>("/api/v1/standards/mappings", {
        method: "POST",
        body: { ...form, rationale: form.rationale || undefined },
      }),
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
