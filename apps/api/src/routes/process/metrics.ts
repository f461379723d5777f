import { Errors } from "@tenet/core"
import { endpoint } from "../../http/endpoint"
import { orgTimeZone } from "../../http/org-zone"
import { registry } from "../../registry"
import { MetricQuery, split } from "./schemas"

export const metricEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/metrics",
    exportable: true,
    operationId: "listMetrics",
    summary: "Metric definitions in the registry",
    tag: "Metrics",
    access: "cases:read",
    handler: async () => ({
      items: registry.list().map(({ compute: _, evidence: _e, ...m }) => m),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/metrics/{id}",
    operationId: "computeMetric",
    summary:
      "Compute a metric for a period, bucket and dimensions: value, numerator, denominator, n, interval",
    tag: "Metrics",
    access: "cases:read",
    query: MetricQuery,
    handler: async (c, { ctx, params, query }) => {
      const def = registry.get(params.id!)
      if (!def) throw new Errors.NotFoundError({ entity: "metric", id: params.id! })
      // a Map, then an object without a prototype: user keys never reach Object.prototype
      const pairs = new Map<string, string>()
      for (const p of split(query.filter) ?? []) {
        const at = p.indexOf(":")
        if (at <= 0 || at === p.length - 1)
          throw new Errors.ValidationError({
            message: "invalid metric query",
            issues: [
              {
                path: ["filter"],
                message: "must be dimension:value pairs, comma-separated",
                code: "invalidValue",
                params: { detail: "dimension:value" },
              },
            ],
          })
        pairs.set(p.slice(0, at), p.slice(at + 1))
      }
      const filter: Record<string, string> = Object.assign(Object.create(null), Object.fromEntries(pairs))
      try {
        return {
          metric: params.id,
          values: await def.compute(
            {
              orgId: ctx.orgId,
              from: new Date(query.from),
              to: new Date(query.to),
              timeZone: query.timeZone ?? (await orgTimeZone(c.get("db"), ctx.orgId)),
              bucket: query.bucket ?? "none",
              groupBy: split(query.groupBy) ?? [],
              filter,
            },
            c.get("db"),
          ),
        }
      } catch (e) {
        if (e instanceof RangeError) {
          const dim = /unknown dimension "(.*)"; use (.+)$/.exec(e.message)
          const inGroupBy = dim && (split(query.groupBy) ?? []).includes(dim[1]!)
          throw new Errors.ValidationError({
            message: "invalid metric query",
            issues: [
              dim
                ? {
                    path: [inGroupBy ? "groupBy" : "filter"],
                    message: `must be one of: ${dim[2]}`,
                    code: "oneOf",
                    params: { values: dim[2]! },
                  }
                : {
                    path: ["groupBy"],
                    message: e.message,
                    code: "invalidValue",
                    params: { detail: e.message },
                  },
            ],
          })
        }
        throw e
      }
    },
  }),
]
