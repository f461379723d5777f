import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Callout, Card, Field, Input, PageHeader, Select } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg } from "../api/client"
import { useMembers } from "../api/hooks"
import { useFormat } from "../format"
import { useSession } from "../session"

type L10n = Record<string, string>
interface Criterion {
  id: string
  name: L10n
  weight: number
  scale: "binary" | "3" | "4" | "5"
  critical?: string
  naAllowed?: boolean
}
interface Scorecard {
  id: string
  version: number
  name: string
  definition: { passMark: number; sections: Array<{ id: string; name: L10n; criteria: Criterion[] }> }
}
const RANGE = { binary: [0, 1], "3": [1, 3], "4": [1, 4], "5": [1, 5] } as const
const band = (k: number) =>
  k < 0
    ? "poor"
    : k <= 0.2
      ? "slight"
      : k <= 0.4
        ? "fair"
        : k <= 0.6
          ? "moderate"
          : k <= 0.8
            ? "substantial"
            : "almost_perfect"

export const QualityPage = () => {
  const { t } = useTranslation()
  const session = useSession()
  const qc = useQueryClient()
  const cards = useQuery({
    queryKey: ["scorecards", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Scorecard[]; template: Scorecard["definition"] }>("/api/v1/quality/scorecards"),
  })
  const create = useMutation({
    mutationFn: () =>
      api("/api/v1/quality/scorecards", {
        method: "POST",
        body: { name: t("quality.scorecards"), definition: cards.data!.template },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["scorecards"] }),
  })
  return (
    <>
      <PageHeader title={t("quality.title")} description={t("quality.description")} />
      <div className="grid-2">
        <Card title={t("quality.scorecards")}>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {cards.data?.items.map((c) => (
              <li key={c.id}>
                <strong>{c.name}</strong> v{c.version} ·{" "}
                {t("quality.criteria", {
                  count: c.definition.sections.reduce((n, s) => n + s.criteria.length, 0),
                })}{" "}
                · {t("quality.passMark", { mark: c.definition.passMark })}
              </li>
            ))}
          </ul>
          {session.can("quality:write") ? (
            <div style={{ marginTop: 8 }}>
              <Button size="sm" onClick={() => create.mutate()} disabled={!cards.data}>
                {t("quality.createFromTemplate")}
              </Button>
            </div>
          ) : null}
        </Card>
        <Calibrations />
        {cards.data?.items[0] && session.can("quality:write") ? <Evaluate cards={cards.data.items} /> : null}
        <Sampling />
      </div>
    </>
  )
}

const Evaluate = ({ cards }: { cards: Scorecard[] }) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [cardId, setCardId] = useState(cards[0]!.id)
  const card = cards.find((c) => c.id === cardId)!
  const [number, setNumber] = useState("")
  const [answers, setAnswers] = useState<Record<string, string>>({})
  const [error, setError] = useState<string>()
  const qc = useQueryClient()
  const save = useMutation({
    mutationFn: async () => {
      const found = await api<{ items: Array<{ id: string; ownerId: string | null }> }>(
        `/api/v1/process/cases?q=${encodeURIComponent(`#${number}`)}&limit=1`,
      )
      const c = found.items[0]
      if (!c) throw new Error(t("quality.caseMissing", { number }))
      const all = card.definition.sections.flatMap((s) => s.criteria)
      const body = Object.fromEntries(
        all.map((cr) => [
          cr.id,
          answers[cr.id] === "na" ? null : Number(answers[cr.id] ?? RANGE[cr.scale][1]),
        ]),
      )
      return api<{
        score: number
        passed: boolean
        autoFailed: boolean
        criticalErrors: Record<string, boolean>
      }>("/api/v1/quality/evaluations", {
        method: "POST",
        body: { scorecardId: card.id, caseId: c.id, agentId: c.ownerId ?? "unassigned", answers: body },
      })
    },
    onSuccess: () => {
      setError(undefined)
      void qc.invalidateQueries({ queryKey: ["qa-evaluations"] })
    },
    onError: (e) =>
      setError(e instanceof ApiError ? (e.fieldErrors[0]?.message ?? e.detail) : (e as Error).message),
  })
  const r = save.data
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <Card title={t("quality.evaluate")}>
      <form onSubmit={submit}>
        <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 2fr) minmax(0, 1fr)", gap: 12 }}>
          <Field label={t("quality.scorecard")}>
            {(p) => (
              <Select {...p} value={cardId} onChange={(e) => setCardId(e.target.value)}>
                {cards.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("quality.caseNumber")}>
            {(p) => (
              <Input
                {...p}
                inputMode="numeric"
                value={number}
                onChange={(e) => setNumber(e.target.value.replace(/\D/g, ""))}
              />
            )}
          </Field>
        </div>
        {card.definition.sections.map((s) => (
          <fieldset
            key={s.id}
            style={{ border: "1px solid var(--border)", borderRadius: 6, marginBottom: 8 }}
          >
            <legend className="t-label">{s.name[lang] ?? s.name.en}</legend>
            {s.criteria.map((cr) => (
              <label
                key={cr.id}
                style={{
                  display: "flex",
                  justifyContent: "space-between",
                  gap: 8,
                  alignItems: "center",
                  padding: "2px 0",
                }}
              >
                <span>
                  {cr.name[lang] ?? cr.name.en}
                  {cr.critical ? (
                    <>
                      {" "}
                      <Badge tone="bad">{t(`quality.families.${cr.critical}`)}</Badge>
                    </>
                  ) : null}
                </span>
                <Select
                  value={answers[cr.id] ?? String(RANGE[cr.scale][1])}
                  onChange={(e) => setAnswers({ ...answers, [cr.id]: e.target.value })}
                >
                  {Array.from(
                    { length: RANGE[cr.scale][1] - RANGE[cr.scale][0] + 1 },
                    (_, i) => RANGE[cr.scale][0] + i,
                  ).map((v) => (
                    <option key={v} value={v}>
                      {cr.scale === "binary" ? (v ? "✓" : "✕") : v}
                    </option>
                  ))}
                  {cr.naAllowed ? <option value="na">{t("quality.na")}</option> : null}
                </Select>
              </label>
            ))}
          </fieldset>
        ))}
        <Button type="submit" variant="primary" disabled={!number || save.isPending}>
          {t("quality.submit")}
        </Button>
      </form>
      {error ? <Callout tone="bad">{error}</Callout> : null}
      {r ? (
        <div style={{ marginTop: 8 }}>
          <Callout tone={r.passed ? undefined : "warn"}>
            {t("quality.result", {
              score: r.score,
              verdict: r.autoFailed
                ? t("quality.autoFailed")
                : r.passed
                  ? t("quality.passed")
                  : t("quality.failed"),
            })}
            {Object.values(r.criticalErrors).some(Boolean)
              ? ` · ${t("quality.critical", {
                  families: Object.entries(r.criticalErrors)
                    .filter(([, v]) => v)
                    .map(([k]) => t(`quality.families.${k}`))
                    .join(", "),
                })}`
              : ""}
          </Callout>
        </div>
      ) : null}
    </Card>
  )
}

const Sampling = () => {
  const { t } = useTranslation()
  const members = useMembers()
  const [moe, setMoe] = useState("5")
  const [min, setMin] = useState("5")
  const plan = useMutation({
    mutationFn: () => {
      const to = new Date()
      return api<{
        population: number
        volumes: Record<string, number>
        plan: { programme: number; perAgent: Record<string, number>; total: number }
      }>("/api/v1/quality/sampling-plan", {
        method: "POST",
        body: {
          from: new Date(to.getTime() - 30 * 86_400_000).toISOString(),
          to: to.toISOString(),
          marginOfError: Number(moe) / 100,
          minPerAgent: Number(min),
        },
      })
    },
  })
  const name = (id: string) => members.data?.items.find((m) => m.userId === id)?.name ?? id
  const err = plan.error instanceof ApiError ? plan.error : undefined
  return (
    <Card title={t("quality.sampling")}>
      <p className="t-hint">{t("quality.samplingHint")}</p>
      <div style={{ display: "flex", gap: 8, alignItems: "flex-end", flexWrap: "wrap" }}>
        <label>
          <span className="t-label">{t("quality.marginOfError")} </span>
          <Input
            inputMode="decimal"
            value={moe}
            onChange={(e) => setMoe(e.target.value)}
            style={{ width: 70 }}
          />
        </label>
        <label>
          <span className="t-label">{t("quality.minPerAgent")} </span>
          <Input
            inputMode="numeric"
            value={min}
            onChange={(e) => setMin(e.target.value)}
            style={{ width: 70 }}
          />
        </label>
        <Button onClick={() => plan.mutate()}>{t("quality.compute")}</Button>
      </div>
      {err ? <Callout tone="bad">{err.fieldErrors[0]?.message ?? err.detail}</Callout> : null}
      {plan.data ? (
        <div style={{ marginTop: 8 }} data-testid="sampling-plan">
          <p style={{ margin: "0 0 6px" }}>
            {t("quality.planResult", {
              population: plan.data.population,
              programme: plan.data.plan.programme,
              moe: `${moe}`,
              total: plan.data.plan.total,
            })}
          </p>
          <table className="t-table">
            <thead>
              <tr>
                <th scope="col">{t("quality.agent")}</th>
                <th scope="col">{t("quality.volume")}</th>
                <th scope="col">{t("quality.sample")}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(plan.data.plan.perAgent).map(([a, n]) => (
                <tr key={a}>
                  <td>{name(a)}</td>
                  <td>{plan.data!.volumes[a]}</td>
                  <td>{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  )
}

const Calibrations = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const members = useMembers()
  const list = useQuery({
    queryKey: ["calibrations", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Array<{ id: string; name: string; createdAt: string }> }>("/api/v1/quality/calibrations"),
  })
  const [open, setOpen] = useState<string>()
  const id = open ?? list.data?.items[0]?.id
  const detail = useQuery({
    queryKey: ["calibration", getCurrentOrg(), id],
    queryFn: () =>
      api<{
        name: string
        completed: number
        expected: number
        tolerance: number
        stats: null | {
          alpha: number | null
          passFailKappa: number | null
          reference: string
          evaluators: Array<{
            evaluator: string
            bias: number
            withinTolerance: number
            kappa: number | null
            flagged: boolean
          }>
        }
      }>(`/api/v1/quality/calibrations/${id}`),
    enabled: Boolean(id),
  })
  const name = (uid: string) => members.data?.items.find((m) => m.userId === uid)?.name ?? uid
  const s = detail.data?.stats
  const num = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(3))
  return (
    <Card title={t("quality.calibrations")}>
      <div style={{ display: "flex", gap: 6, flexWrap: "wrap", marginBottom: 8 }}>
        {list.data?.items.map((c) => (
          <Button
            key={c.id}
            size="sm"
            variant={c.id === id ? "primary" : "default"}
            onClick={() => setOpen(c.id)}
          >
            {c.name} · {fmt.date(c.createdAt)}
          </Button>
        ))}
      </div>
      {detail.data ? (
        <div data-testid="calibration">
          <p className="t-hint" style={{ margin: "0 0 6px" }}>
            {t("quality.progress", { done: detail.data.completed, expected: detail.data.expected })}
          </p>
          {s ? (
            <>
              <dl className="kv">
                <dt>{t("quality.alpha")}</dt>
                <dd data-testid="alpha">{num(s.alpha)}</dd>
                <dt>{t("quality.kappa")}</dt>
                <dd data-testid="kappa">
                  {num(s.passFailKappa)}{" "}
                  {s.passFailKappa !== null ? (
                    <span className="t-hint">
                      ({t("quality.band", { band: t(`quality.bands.${band(s.passFailKappa)}`) })})
                    </span>
                  ) : null}
                </dd>
              </dl>
              <p className="t-hint">{t("quality.accept")}</p>
              <div className="scroll-x">
                <table className="t-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("quality.evaluator")}</th>
                      <th scope="col">{t("quality.bias", { reference: t(`quality.${s.reference}`) })}</th>
                      <th scope="col">{t("quality.within", { tolerance: detail.data.tolerance })}</th>
                      <th scope="col">{t("quality.evaluatorKappa")}</th>
                      <th scope="col" />
                    </tr>
                  </thead>
                  <tbody>
                    {s.evaluators.map((e) => (
                      <tr key={e.evaluator}>
                        <td>{name(e.evaluator)}</td>
                        <td>{e.bias > 0 ? `+${e.bias}` : e.bias}</td>
                        <td>{Math.round(e.withinTolerance * 100)}%</td>
                        <td>{num(e.kappa)}</td>
                        <td>
                          {e.flagged ? (
                            <Badge tone="bad">⚠ {t("quality.flagged")}</Badge>
                          ) : (
                            <Badge tone="ok">✓ {t("quality.ok")}</Badge>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </div>
      ) : null}
    </Card>
  )
}
