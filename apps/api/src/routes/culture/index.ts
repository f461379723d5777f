import { certificationEndpoints } from "./certifications"
import { competencyEndpoints } from "./competency"
import { homeEndpoints } from "./home"
import { knowledgeEndpoints } from "./knowledge"
import { lowScoreEndpoints } from "./lowScore"
import { teamEndpoints } from "./teams"
import { trainingEndpoints } from "./training"

/** The culture module's endpoints (teams and the eligibility gate included). */
export const cultureEndpoints = [
  ...teamEndpoints,
  ...competencyEndpoints,
  ...trainingEndpoints,
  ...lowScoreEndpoints,
  ...certificationEndpoints,
  ...knowledgeEndpoints,
  ...homeEndpoints,
]
