/**
 * The feedback module's HTTP API, one file per concept under `./feedback/`: surveys, rules, links,
 * responses and results for staff; the public survey page and its answers.
 */
import { improvementEndpoints } from "./feedback/improvement"
import { itemEndpoints } from "./feedback/items"
import { publicSurveyEndpoints } from "./feedback/public"
import { surveyEndpoints } from "./feedback/surveys"

export const feedbackEndpoints = [
  ...surveyEndpoints,
  ...itemEndpoints,
  ...improvementEndpoints,
  ...publicSurveyEndpoints,
]
