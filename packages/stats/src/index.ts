export {
  cohensKappa,
  fleissKappa,
  type KappaResult,
  krippendorffAlpha,
  landisKoch,
  type MeasurementLevel,
} from "./Agreement"
export {
  type ChartPoint,
  laneyPChart,
  pChart,
  type Signal,
  westernElectricSignals,
  xmrChart,
} from "./ControlCharts"
export { StatsInputError } from "./internal"
export {
  type Interval,
  type NpsResult,
  npsInterval,
  proportionMarginOfError,
  sampleSizeForProportion,
  wilsonInterval,
} from "./Proportions"
export {
  type Correlation,
  type Difference,
  type Driver,
  driverAnalysis,
  meanIntervalFromSummary,
  type NpsCounts,
  npsDifference,
  pearson,
  poststratifiedProportion,
  type Stratum,
  type WeightedProportion,
} from "./Surveys"
export { type MeanInterval, meanInterval, type TestResult, twoProportionTest, welchTTest } from "./Tests"
