/** The workforce area's routes, attached to the signed-in app route. */
import { type AnyRoute, createRoute } from "@tanstack/react-router"
import { AccuracyPage } from "./AccuracyPage"
import { WorkforceLayout } from "./Layout"
import { PlanPage } from "./PlanPage"

export const workforceRoutes = <R extends AnyRoute>(appRoute: R) => {
  const layout = createRoute({
    getParentRoute: () => appRoute,
    path: "/workforce",
    component: WorkforceLayout,
  })
  return [
    layout.addChildren([
      createRoute({ getParentRoute: () => layout, path: "/", component: PlanPage }),
      createRoute({ getParentRoute: () => layout, path: "/accuracy", component: AccuracyPage }),
    ]),
  ] as const
}
