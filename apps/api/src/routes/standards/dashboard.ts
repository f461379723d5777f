import { Errors, Organizations } from "@tenet/core"
import { laneyPChart, pChart, westernElectricSignals, xmrChart } from "@tenet/stats"
import { coalescer } from "../../http/coalesce"
import { endpoint } from "../../http/endpoint"
import { orgTimeZone } from "../../http/org-zone"
import { registry } from "../../registry"
import { ChartQuery, filterOf, kpis, Period, startOfLocalDay } from "./schemas"

/** Concurrent requests for the same organisation and period share one computation. */
const dashboards = coalescer<Awaited<ReturnType<typeof kpis>>>()

export const dashboardEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/dashboard/kpis",
    operationId: "dashboardKpis",
    summary:
      "Every target of the published standards: value, n, interval, status and a daily trend for the period",
    tag: "Dashboard",
    access: "standards:read",
    query: Period,
    handler: async (c, { ctx, query }) => {
      // Whole local days in the organisation's zone, so the daily rollups can serve the dashboard.
      const org = await Organizations.get(c.get("db"), ctx.orgId)
      const tz = query.timeZone ?? org.timeZone
      const from = startOfLocalDay(new Date(query.from), tz)
      const to = startOfLocalDay(new Date(new Date(query.to).getTime() + 86_399_999), tz)
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        timeZone: tz,
        items: await dashboards(`${ctx.orgId}|${from.toISOString()}|${to.toISOString()}|${tz}`, () =>
          kpis(c.get("db"), ctx.orgId, from, to, tz),
        ),
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/metrics/{id}/control-chart",
    operationId: "metricControlChart",
    summary:
      "Daily control chart of a metric (p-chart or Laney p′ for rates, XmR otherwise) with Western Electric signals",
    tag: "Metrics",
    access: "standards:read",
    query: ChartQuery,
    handler: async (c, { ctx, params, query }) => {
      const def = registry.get(params.id!)
      if (!def) throw new Errors.NotFoundError({ entity: "metric", id: params.id! })
      const values = (
        await def.compute(
          {
            orgId: ctx.orgId,
            from: new Date(query.from),
            to: new Date(query.to),
            timeZone: query.timeZone ?? (await orgTimeZone(c.get("db"), ctx.orgId)),
            bucket: "day",
            filter: filterOf(query.filter),
          },
          c.get("db"),
        )
      ).filter((v) => v.value !== null && v.n > 0)
      if (values.length < 2)
        return { metric: def.id, chart: null, points: [], signals: [], note: "fewer than two days with data" }
      if (def.kind === "proportion" && query.chart !== "xmr") {
        const groups = values.map((v) => ({ count: v.numerator ?? 0, n: v.denominator ?? v.n }))
        const chart = query.chart === "laney" ? laneyPChart(groups) : pChart(groups)
        const sigma = Math.sqrt(
          (chart.center * (1 - chart.center)) / (groups.reduce((s, g) => s + g.n, 0) / groups.length),
        )
        const signals =
          sigma > 0
            ? westernElectricSignals(
                chart.points.map((p) => p.p),
                { center: chart.center, sigma },
              )
            : []
        return {
          metric: def.id,
          chart: query.chart === "laney" ? "laney" : "p",
          center: chart.center,
          points: chart.points.map((p, i) => ({
            day: values[i]!.bucket,
            value: p.p,
            n: groups[i]!.n,
            lcl: p.lcl,
            ucl: p.ucl,
          })),
          signals: signals.map((s) => ({ ...s, day: values[s.index]!.bucket })),
        }
      }
      const xs = values.map((v) => v.value as number)
      const chart = xmrChart(xs)
      const sigma = chart.movingRangeCenter / 1.128
      const signals = sigma > 0 ? westernElectricSignals(xs, { center: chart.center, sigma }) : []
      return {
        metric: def.id,
        chart: "xmr",
        center: chart.center,
        points: values.map((v) => ({
          day: v.bucket,
          value: v.value,
          n: v.n,
          lcl: chart.lcl,
          ucl: chart.ucl,
        })),
        signals: signals.map((s) => ({ ...s, day: values[s.index]!.bucket })),
      }
    },
  }),
]
