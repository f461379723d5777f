/** Calibration sessions and their agreement statistics. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Callout, Card, Field, Input, Select } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg, problemText } from "../../api/client"
import { useMembers } from "../../api/hooks"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { band, type Scorecard } from "./model"

/** A calibration session made in the app: a scorecard, cases by number, evaluators and a master. */
const NewSession = ({ cards, onCreated }: { cards: Scorecard[]; onCreated: (id: string) => void }) => {
  const { t } = useTranslation()
  const members = useMembers()
  const qc = useQueryClient()
  const [name, setName] = useState("")
  const [cardId, setCardId] = useState(cards[0]?.id ?? "")
  const [numbers, setNumbers] = useState("")
  const [evaluators, setEvaluators] = useState<string[]>([])
  const [master, setMaster] = useState("")
  const create = useMutation({
    mutationFn: async () => {
      const wanted = [...new Set(numbers.split(/[^0-9]+/).filter(Boolean))]
      const caseIds: string[] = []
      for (const n of wanted) {
        const found = await api<{ items: Array<{ id: string; number: number }> }>(
          `/api/v1/process/cases?q=${encodeURIComponent(`#${n}`)}&limit=1`,
        )
        const c = found.items.find((x) => String(x.number) === n)
        if (!c) throw new Error(t("quality.caseMissing", { number: n }))
        caseIds.push(c.id)
      }
      return api<{ id: string }>("/api/v1/quality/calibrations", {
        method: "POST",
        body: { scorecardId: cardId, name, caseIds, evaluators, ...(master ? { master } : {}) },
      })
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ["calibrations"] })
      setName("")
      setNumbers("")
      setEvaluators([])
      setMaster("")
      onCreated(r.id)
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  return (
    <form onSubmit={submit} data-testid="calibration-new" style={{ marginBottom: 12 }}>
      <div className="grid-2">
        <Field label={t("quality.sessionName")}>
          {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
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
        <Field label={t("quality.sessionCases")} hint={t("quality.sessionCasesHint")}>
          {(p) => <Input {...p} value={numbers} onChange={(e) => setNumbers(e.target.value)} />}
        </Field>
        <Field label={t("quality.sessionReference")}>
          {(p) => (
            <Select {...p} value={master} onChange={(e) => setMaster(e.target.value)}>
              <option value="">{t("quality.sessionConsensus")}</option>
              {evaluators.map((u) => (
                <option key={u} value={u}>
                  {members.data?.items.find((m) => m.userId === u)?.name ?? u}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <fieldset style={{ border: 0, padding: 0, margin: "0 0 8px" }}>
        <legend className="t-label">{t("quality.evaluators")}</legend>
        <div style={{ display: "flex", gap: 12, flexWrap: "wrap" }}>
          {members.data?.items
            .filter((m) => m.role !== "agent")
            .map((m) => (
              <label key={m.userId} style={{ display: "inline-flex", gap: 4, alignItems: "center" }}>
                <input
                  type="checkbox"
                  checked={evaluators.includes(m.userId)}
                  onChange={(e) =>
                    setEvaluators(
                      e.target.checked ? [...evaluators, m.userId] : evaluators.filter((u) => u !== m.userId),
                    )
                  }
                />
                {m.name ?? m.email}
              </label>
            ))}
        </div>
      </fieldset>
      <Button type="submit" variant="primary" size="sm" disabled={create.isPending || !name.trim()}>
        {t("quality.createSession")}
      </Button>
      {create.error ? (
        <div style={{ marginTop: 8 }}>
          <Callout tone="bad">{problemText(create.error)}</Callout>
        </div>
      ) : null}
    </form>
  )
}

export const Calibrations = ({ cards = [] }: { cards?: Scorecard[] }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const members = useMembers()
  const session = useSession()
  const [creating, setCreating] = useState(false)
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
          criticalKappa?: number | null
          reference: string
          evaluators: Array<{
            evaluator: string
            bias: number
            withinTolerance: number
            kappa: number | null
            criticalAgreement?: number | null
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
    // the whole row: the agreement table has six columns that a half-width card cut off in English
    <Card title={t("quality.calibrations")} className="grid-span-all">
      {session.can("quality:write") && cards.length ? (
        creating ? (
          <NewSession
            cards={cards}
            onCreated={(cid) => {
              setCreating(false)
              setOpen(cid)
            }}
          />
        ) : (
          <div style={{ marginBottom: 8 }}>
            <Button size="sm" onClick={() => setCreating(true)} data-testid="calibration-create">
              {t("quality.newSession")}
            </Button>
          </div>
        )
      ) : null}
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
                {s.criticalKappa !== undefined ? (
                  <>
                    <dt>{t("quality.criticalKappa")}</dt>
                    <dd data-testid="critical-kappa">{num(s.criticalKappa)}</dd>
                  </>
                ) : null}
              </dl>
              <p className="t-hint">{t("quality.accept")}</p>
              <ExportLinks
                url={`/api/v1/quality/calibrations/${id}`}
                columns={[
                  ["evaluator", t("quality.evaluator"), "user"],
                  ["bias", t("quality.bias", { reference: t(`quality.${s.reference}`) })],
                  ["withinTolerance", t("quality.within", { tolerance: detail.data.tolerance })],
                  ["kappa", t("quality.evaluatorKappa")],
                  ["criticalAgreement", t("quality.criticalAgreement")],
                  [
                    "flagged",
                    t("quality.flaggedColumn"),
                    { true: t("quality.flagged"), false: t("quality.ok") },
                  ],
                ]}
              />
              <div className="scroll-x">
                <table className="t-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("quality.evaluator")}</th>
                      <th scope="col">{t("quality.bias", { reference: t(`quality.${s.reference}`) })}</th>
                      <th scope="col">{t("quality.within", { tolerance: detail.data.tolerance })}</th>
                      <th scope="col">{t("quality.evaluatorKappa")}</th>
                      <th scope="col">{t("quality.criticalAgreement")}</th>
                      <th scope="col">{t("quality.flaggedColumn")}</th>
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
                          {e.criticalAgreement === null || e.criticalAgreement === undefined
                            ? "—"
                            : `${Math.round(e.criticalAgreement * 100)}%`}
                        </td>
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
