/** Sampling plans: how many cases to monitor. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Callout, Card, Input } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg, problemText } from "../../api/client"
import { useMembers } from "../../api/hooks"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"

interface KeptPlan {
  id: string
  name: string
  from: string
  to: string
  total: number
  evaluated: number
  coverage: number
  agents: Array<{ agent: string; quota: number; evaluated: number; coverage: number; met: boolean }>
}

/** Kept plans: each agent's quota for the period against the evaluations done (coverage). */
const KeptPlans = ({ name }: { name: (id: string) => string }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const plans = useQuery({
    queryKey: ["sampling-plans", getCurrentOrg()],
    queryFn: () => api<{ items: KeptPlan[] }>("/api/v1/quality/sampling-plans"),
  })
  if (!plans.data?.items.length) return null
  return (
    <div style={{ marginTop: 12 }} data-testid="sampling-plans">
      <div className="t-label">{t("quality.keptPlans")}</div>
      <ExportLinks
        url="/api/v1/quality/sampling-plans"
        columns={[
          ["plan", t("quality.sampling")],
          ["from", t("quality.periodFrom")],
          ["to", t("quality.periodTo")],
          ["agent", t("quality.agent"), "user"],
          ["quota", t("quality.quota")],
          ["evaluated", t("quality.evaluatedCount")],
          ["coverage", t("quality.coverageColumn")],
        ]}
      />
      {plans.data.items.slice(0, 3).map((p) => (
        <div key={p.id} style={{ marginTop: 6 }}>
          <p style={{ margin: "0 0 4px" }}>
            <strong>{p.name}</strong>{" "}
            <span className="t-hint">
              {fmt.date(p.from)} – {fmt.date(p.to)} ·{" "}
              {t("quality.coverage", {
                done: p.evaluated,
                total: p.total,
                percent: Math.round(p.coverage * 100),
              })}
            </span>
          </p>
          <div className="scroll-x">
            <table className="t-table">
              <thead>
                <tr>
                  <th scope="col">{t("quality.agent")}</th>
                  <th scope="col">{t("quality.quota")}</th>
                  <th scope="col">{t("quality.evaluatedCount")}</th>
                  <th scope="col">{t("quality.coverageColumn")}</th>
                </tr>
              </thead>
              <tbody>
                {p.agents.map((a) => (
                  <tr key={a.agent}>
                    <td>{name(a.agent)}</td>
                    <td>{a.quota}</td>
                    <td>{a.evaluated}</td>
                    <td>
                      <Badge tone={a.met ? "ok" : "warn"}>{Math.round(a.coverage * 100)}%</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </div>
  )
}

export const Sampling = () => {
  const { t } = useTranslation()
  const members = useMembers()
  const session = useSession()
  const qc = useQueryClient()
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
  // keep the plan for the last 30 days, to track coverage against it
  const keep = useMutation({
    mutationFn: () => {
      const to = new Date()
      const from = new Date(to.getTime() - 30 * 86_400_000)
      return api("/api/v1/quality/sampling-plans", {
        method: "POST",
        body: {
          name: t("quality.planName", {
            from: from.toISOString().slice(0, 10),
            to: to.toISOString().slice(0, 10),
          }),
          from: from.toISOString(),
          to: to.toISOString(),
          marginOfError: Number(moe) / 100,
          minPerAgent: Number(min),
        },
      })
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["sampling-plans"] }),
  })
  const name = (id: string) => members.data?.items.find((m) => m.userId === id)?.name ?? id
  const err = plan.error ?? keep.error
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
        {session.can("quality:write") ? (
          <Button onClick={() => keep.mutate()} disabled={keep.isPending} data-testid="sampling-keep">
            {t("quality.keepPlan")}
          </Button>
        ) : null}
      </div>
      {err ? <Callout tone="bad">{problemText(err)}</Callout> : null}
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
      <KeptPlans name={name} />
    </Card>
  )
}
