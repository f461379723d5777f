/** Sampling plans: how many cases to monitor. */
import { useMutation } from "@tanstack/react-query"
import { Button, Callout, Card, Input } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../../api/client"
import { useMembers } from "../../api/hooks"

export const Sampling = () => {
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
