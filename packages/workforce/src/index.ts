export { type Accuracy, poissonFloor, poissonMeanAbsoluteDeviation, wmape } from "./Accuracy"
export { agentsForChat, availableAfterShrinkage, deferredWorkload, withShrinkage } from "./Channels"
export {
  agentsForServiceLevel,
  type ErlangCResult,
  erlangB,
  erlangC,
  erlangCPerformance,
  type ServiceTarget,
  trafficIntensity,
} from "./Erlang"
export { agentsForErlangA, type ErlangAInput, type ErlangAResult, erlangA } from "./ErlangA"
export {
  addDays,
  type DayType,
  dayClass,
  type Forecast,
  type ForecastInput,
  type ForecastPoint,
  forecastVolume,
} from "./Forecast"
export { WorkforceInputError } from "./internal"
