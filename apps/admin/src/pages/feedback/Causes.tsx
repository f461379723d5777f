/**
 * The Pareto of feedback and complaint causes in the period (items per root cause, largest first,
 * with the cumulative share against the 80% line), and the configurable root-cause taxonomy.
 */
import { Button, Card, ErrorState, Field, Input, Select, Skeleton, useToast } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, problemText } from "../../api/client"
import {
  type Cause,
  type FeedbackItem,
  type Pareto,
  useCauses,
  usePareto,
  useSaveCause,
} from "../../api/feedback"
import { Chart, type ChartOption, chartBase, themeColor } from "../../components/Chart"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"

const pct = (v: number) => `${(v * 100).toFixed(1)}%`

export const CausesView = ({ from, to }: { from: string; to: string }) => {
  const { t } = useTranslation()
  const session = useSession()
  const [kind, setKind] = useState<FeedbackItem["kind"] | "">("complaint")
  const pareto = usePareto(from, to, kind || undefined)
  const causes = useCauses()
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <Card title={t("feedback.pareto.title")}>
        <div style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap", marginBottom: 8 }}>
          <Select
            aria-label={t("feedback.itemKind")}
            value={kind}
            onChange={(e) => setKind(e.target.value as typeof kind)}
          >
            <option value="">{t("feedback.pareto.allKinds")}</option>
            {(["complaint", "suggestion", "praise"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`feedback.itemKinds.${k}`)}
              </option>
            ))}
          </Select>
          <span className="t-hint">{t("feedback.pareto.note")}</span>
        </div>
        {pareto.isLoading ? (
          <Skeleton height={260} />
        ) : pareto.isError || !pareto.data ? (
          <ErrorState
            title={t("common.errorTitle")}
            onRetry={() => void pareto.refetch()}
            retryLabel={t("common.retry")}
          />
        ) : pareto.data.total === 0 ? (
          <p className="t-hint">{t("feedback.pareto.none")}</p>
        ) : (
          <ParetoChart data={pareto.data} causes={causes.data?.items ?? []} />
        )}
      </Card>
      <Taxonomy causes={causes.data?.items} canManage={session.can("feedback:manage")} />
    </div>
  )
}

const useCauseName = (causes: ReadonlyArray<Cause>) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language.startsWith("zh") ? "zh-CN" : "en"
  return (code: string) =>
    code === "uncoded" ? t("feedback.uncoded") : (causes.find((c) => c.code === code)?.name[lang] ?? code)
}

const ParetoChart = ({ data, causes }: { data: Pareto; causes: ReadonlyArray<Cause> }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const name = useCauseName(causes)
  const base = chartBase()
  const accent = themeColor("accent", "#1f5eff")
  const warn = themeColor("warn", "#b45309")
  const rows = data.causes
  const option: ChartOption = {
    ...base,
    grid: { left: 44, right: 48, top: 28, bottom: 64 },
    legend: { top: 0, left: 0, textStyle: { color: themeColor("text-3") } },
    tooltip: {
      trigger: "axis",
      confine: true,
      formatter: (items: Array<{ dataIndex: number }>) => {
        const r = rows[items[0]?.dataIndex ?? 0]!
        return `${name(r.code)}<br/>${t("feedback.pareto.count")}: ${fmt.number(r.count)} (${pct(r.share)})<br/>${t("feedback.pareto.cumulative")}: ${pct(r.cumulative)}`
      },
    },
    xAxis: {
      ...(base.xAxis as object),
      data: rows.map((r) => name(r.code)),
      axisLabel: { color: themeColor("text-3"), fontSize: 11, interval: 0, rotate: rows.length > 5 ? 30 : 0 },
    },
    yAxis: [
      { ...(base.yAxis as object), scale: false, minInterval: 1 },
      {
        ...(base.yAxis as object),
        scale: false,
        min: 0,
        max: 1,
        splitLine: { show: false },
        axisLabel: { color: themeColor("text-3"), formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
    ],
    series: [
      {
        name: t("feedback.pareto.count"),
        type: "bar",
        data: rows.map((r) => r.count),
        barMaxWidth: 36,
        itemStyle: { color: accent, borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: "top", color: themeColor("text-3"), fontSize: 11 },
      },
      {
        name: t("feedback.pareto.cumulative"),
        type: "line",
        yAxisIndex: 1,
        data: rows.map((r) => r.cumulative),
        lineStyle: { color: warn, width: 1.5 },
        itemStyle: { color: warn },
        symbol: "circle",
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: warn, type: "dashed", opacity: 0.6 },
          label: { formatter: "80%", color: warn, position: "insideStartTop" },
          data: [{ yAxis: 0.8 }],
        },
      },
    ],
  }
  return (
    <>
      <Chart option={option} height={300} label={t("feedback.pareto.title")} testId="feedback-pareto" />
      <table className="t-table" style={{ marginTop: 8 }}>
        <thead>
          <tr>
            <th>{t("feedback.cause")}</th>
            <th>{t("feedback.pareto.count")}</th>
            <th>{t("feedback.pareto.share")}</th>
            <th>{t("feedback.pareto.cumulative")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code}>
              <td>{name(r.code)}</td>
              <td>{fmt.number(r.count)}</td>
              <td>{pct(r.share)}</td>
              <td>
                {pct(r.cumulative)}
                {r.cumulative - r.share < 0.8 ? ` · ${t("feedback.pareto.vital")}` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="t-hint">{t("feedback.n", { n: data.total })}</p>
    </>
  )
}

const Taxonomy = ({ causes, canManage }: { causes: Cause[] | undefined; canManage: boolean }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const save = useSaveCause()
  const [code, setCode] = useState("")
  const [zh, setZh] = useState("")
  const [en, setEn] = useState("")
  const [parent, setParent] = useState("")
  const err = save.error instanceof ApiError ? save.error : undefined
  const edit = (c: Cause) => {
    setCode(c.code)
    setZh(c.name["zh-CN"])
    setEn(c.name.en)
    setParent(c.parentCode ?? "")
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(
      {
        code: code.trim(),
        name: { "zh-CN": zh.trim(), en: en.trim() },
        ...(parent ? { parentCode: parent } : {}),
      },
      {
        onSuccess: () => {
          toast(t("feedback.causes.saved"))
          setCode("")
          setZh("")
          setEn("")
          setParent("")
        },
      },
    )
  }
  return (
    <Card title={t("feedback.causes.title")}>
      <p className="t-hint" style={{ marginTop: 0 }}>
        {t("feedback.causes.note")}
      </p>
      {!causes ? (
        <Skeleton height={80} />
      ) : causes.length === 0 ? (
        <p className="t-hint">{t("feedback.causes.none")}</p>
      ) : (
        <div className="scroll-x">
          <ExportLinks
            url="/api/v1/feedback/causes"
            columns={[
              ["code", t("feedback.causes.code")],
              ["name", t("feedback.cause")],
              ["parentCode", t("feedback.causes.parent")],
            ]}
          />
          <table className="t-table">
            <thead>
              <tr>
                <th>{t("feedback.causes.code")}</th>
                <th>{t("feedback.causes.nameZh")}</th>
                <th>{t("feedback.causes.nameEn")}</th>
                <th>{t("feedback.causes.parent")}</th>
                {canManage ? <th aria-label={t("feedback.causes.edit")} /> : null}
              </tr>
            </thead>
            <tbody>
              {causes.map((c) => (
                <tr key={c.code}>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td lang="zh-CN">{c.name["zh-CN"]}</td>
                  <td lang="en">{c.name.en}</td>
                  <td>{c.parentCode ?? "—"}</td>
                  {canManage ? (
                    <td>
                      <Button size="sm" variant="ghost" onClick={() => edit(c)}>
                        {t("feedback.causes.edit")}
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canManage ? (
        <form
          onSubmit={submit}
          style={{
            display: "grid",
            gap: 8,
            gridTemplateColumns: "repeat(auto-fit, minmax(150px, 1fr))",
            alignItems: "end",
            marginTop: 12,
          }}
        >
          <Field label={t("feedback.causes.code")} error={err?.field("code")}>
            {(p) => <Input {...p} value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
          <Field label={t("feedback.causes.nameZh")} error={err?.field("name")}>
            {(p) => <Input {...p} lang="zh-CN" value={zh} onChange={(e) => setZh(e.target.value)} />}
          </Field>
          <Field label={t("feedback.causes.nameEn")}>
            {(p) => <Input {...p} lang="en" value={en} onChange={(e) => setEn(e.target.value)} />}
          </Field>
          <Field label={t("feedback.causes.parent")} error={err?.field("parentCode")}>
            {(p) => (
              <Select {...p} value={parent} onChange={(e) => setParent(e.target.value)}>
                <option value="">—</option>
                {(causes ?? [])
                  .filter((c) => c.code !== code)
                  .map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.code}
                    </option>
                  ))}
              </Select>
            )}
          </Field>
          <div>
            <Button
              type="submit"
              variant="primary"
              disabled={!code.trim() || !zh.trim() || !en.trim() || save.isPending}
            >
              {t("feedback.causes.save")}
            </Button>
          </div>
          {save.error && !(err && ["code", "name", "parentCode"].some((f) => err.field(f))) ? (
            <p className="t-error-text" role="alert" style={{ gridColumn: "1 / -1" }}>
              {problemText(save.error)}
            </p>
          ) : null}
        </form>
      ) : null}
    </Card>
  )
}
