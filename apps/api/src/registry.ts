import { Contracts } from "@tenet/core"
import { Metrics } from "@tenet/process"

/** The metric registry: every module's definitions (plugins add theirs at load). */
export const makeRegistry = () => {
  const registry = Contracts.metricRegistry()
  for (const m of Metrics.metrics) registry.addMetric(m)
  return registry
}
export type MetricRegistry = ReturnType<typeof makeRegistry>
export const registry = makeRegistry()
