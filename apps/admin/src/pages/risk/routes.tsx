/** The risk area's routes, attached to the signed-in app route. */
import { type AnyRoute, createRoute } from "@tanstack/react-router"
import { ActivationPage } from "./Activation"
import { AssessmentPage } from "./Assessment"
import { RiskDetailPage } from "./Detail"
import { HeatMapPage } from "./HeatMap"
import { IncidentsPage } from "./Incidents"
import { RiskLayout } from "./Layout"
import { LibrariesPage } from "./Libraries"
import { PlansPage } from "./Plans"
import { RegisterPage } from "./Register"

export const riskRoutes = <R extends AnyRoute>(appRoute: R) => {
  const layout = createRoute({ getParentRoute: () => appRoute, path: "/risk", component: RiskLayout })
  return [
    layout.addChildren([
      createRoute({ getParentRoute: () => layout, path: "/", component: RegisterPage }),
      createRoute({ getParentRoute: () => layout, path: "/heat-map", component: HeatMapPage }),
      createRoute({ getParentRoute: () => layout, path: "/assessment", component: AssessmentPage }),
      createRoute({ getParentRoute: () => layout, path: "/plans", component: PlansPage }),
      createRoute({ getParentRoute: () => layout, path: "/incidents", component: IncidentsPage }),
      createRoute({ getParentRoute: () => layout, path: "/libraries", component: LibrariesPage }),
    ]),
    createRoute({ getParentRoute: () => appRoute, path: "/risk/$riskId", component: RiskDetailPage }),
    createRoute({
      getParentRoute: () => appRoute,
      path: "/risk/activations/$activationId",
      component: ActivationPage,
    }),
  ] as const
}
