import { Contracts } from "@tenet/core"
import { Metrics as CultureMetrics } from "@tenet/culture"
import { Metrics as FeedbackMetrics } from "@tenet/feedback"
import { Metrics } from "@tenet/process"
import { Metrics as RiskMetrics } from "@tenet/risk"
import { QualityService } from "@tenet/standards"
import { complaintsPerThousand } from "./feedback/metrics"

/** The metric registry: every module's definitions (plugins add theirs at load). */
export const makeRegistry = () => {
  const registry = Contracts.metricRegistry()
  for (const m of Metrics.metrics) registry.addMetric(m)
  for (const m of QualityService.qualityMetrics) registry.addMetric(m)
  for (const m of RiskMetrics.metrics) registry.addMetric(m)
  for (const m of CultureMetrics.cultureMetrics()) registry.addMetric(m)
  for (const m of FeedbackMetrics.metrics) registry.addMetric(m)
  registry.addMetric(complaintsPerThousand)
  return registry
}
export type MetricRegistry = ReturnType<typeof makeRegistry>
export const registry = makeRegistry()
