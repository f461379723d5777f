/** The privacy area's routes, attached to the signed-in app route. */
import { type AnyRoute, createRoute } from "@tanstack/react-router"
import { InventoryPage } from "./Inventory"
import { PrivacyLayout } from "./Layout"
import { RequestsPage } from "./Requests"
import { RetentionPage } from "./Retention"

export const privacyRoutes = <R extends AnyRoute>(appRoute: R) => {
  const layout = createRoute({ getParentRoute: () => appRoute, path: "/privacy", component: PrivacyLayout })
  return [
    layout.addChildren([
      createRoute({ getParentRoute: () => layout, path: "/", component: RequestsPage }),
      createRoute({ getParentRoute: () => layout, path: "/inventory", component: InventoryPage }),
      createRoute({ getParentRoute: () => layout, path: "/retention", component: RetentionPage }),
    ]),
  ] as const
}
