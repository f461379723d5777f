/** Quality monitoring: the page and evaluating a case against a scorecard. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Callout, Card, Field, Input, PageHeader, Select } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg, problemText } from "../../api/client"
import { useSession } from "../../session"
import { Calibrations } from "./Calibrations"
import { RANGE, type Scorecard } from "./model"
import { Sampling } from "./Sampling"

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
      <div className="grid-2 grid-dense">
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
        <Calibrations cards={cards.data?.items ?? []} />
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
  // an evaluation may score a case of a calibration session (then it counts for the session only)
  const calibrations = useQuery({
    queryKey: ["calibrations", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Array<{ id: string; name: string; createdAt: string }> }>("/api/v1/quality/calibrations"),
  })
  const [calibrationId, setCalibrationId] = useState("")
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
        body: {
          scorecardId: card.id,
          caseId: c.id,
          agentId: c.ownerId ?? "unassigned",
          answers: body,
          ...(calibrationId ? { calibrationId } : {}),
        },
      })
    },
    onSuccess: () => {
      setError(undefined)
      void qc.invalidateQueries({ queryKey: ["qa-evaluations"] })
      void qc.invalidateQueries({ queryKey: ["calibration"] })
    },
    onError: (e) => setError(problemText(e)),
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
          <Field label={t("quality.calibrationSession")}>
            {(p) => (
              <Select
                {...p}
                value={calibrationId}
                onChange={(e) => setCalibrationId(e.target.value)}
                data-testid="evaluate-calibration"
              >
                <option value="">{t("quality.noSession")}</option>
                {calibrations.data?.items.map((c) => (
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
