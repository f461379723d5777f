import { certificationEndpoints } from "./certifications"
import { competencyEndpoints } from "./competency"
import { homeEndpoints } from "./home"
import { incentiveEndpoints } from "./incentives"
import { knowledgeEndpoints } from "./knowledge"
import { lowScoreEndpoints } from "./lowScore"
import { peopleMetricEndpoints } from "./metrics"
import { programmeEndpoints } from "./programmes"
import { teamEndpoints } from "./teams"
import { trainingEndpoints } from "./training"

/** The culture module's endpoints (teams and the eligibility gate included). */
export const cultureEndpoints = [
  ...teamEndpoints,
  ...peopleMetricEndpoints,
  ...competencyEndpoints,
  ...trainingEndpoints,
  ...programmeEndpoints,
  ...lowScoreEndpoints,
  ...incentiveEndpoints,
  ...certificationEndpoints,
  ...knowledgeEndpoints,
  ...homeEndpoints,
]
