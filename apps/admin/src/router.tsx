import { useQuery } from "@tanstack/react-query"
import { createRootRoute, createRoute, createRouter, Navigate, Outlet } from "@tanstack/react-router"
import { ErrorState, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "./api/client"
import { useMe } from "./api/hooks"
import type { RolesMeta } from "./api/types"
import { Layout } from "./components/Layout"
import { AcceptInvitationPage } from "./pages/AcceptInvitation"
import { ApiKeysPage } from "./pages/ApiKeys"
import { AuditPage, validateAuditSearch } from "./pages/Audit"
import {
  CalendarsPage,
  CaseSettingsPage,
  CustomersPage,
  ImportPage,
  PoliciesPage,
} from "./pages/cases/Config"
import { CaseDetailPage } from "./pages/cases/Detail"
import { QueuePage, validateQueueSearch } from "./pages/cases/Queue"
import { CasesLayout } from "./pages/cases/shared"
import { CertificationsPage } from "./pages/culture/Certifications"
import { CultureHomePage } from "./pages/culture/Home"
import { KnowledgePage } from "./pages/culture/Knowledge"
import { RecognitionPage } from "./pages/culture/Recognition"
import { SkillsPage } from "./pages/culture/Skills"
import { CultureLayout } from "./pages/culture/shared"
import { TeamsPage } from "./pages/culture/Teams"
import { TrainingPage } from "./pages/culture/Training"
import { DashboardPage } from "./pages/Dashboard"
import { FeedbackPage, validateFeedbackSearch } from "./pages/feedback/Feedback"
import { FeedbackItemPage } from "./pages/feedback/Item"
import { CyclePage, ImprovementsPage } from "./pages/Improvements"
import { MembersPage } from "./pages/Members"
import { InboxPage, NotificationsLayout, PreferencesPage } from "./pages/Notifications"
import { PluginsPage } from "./pages/Plugins"
import { PublicReportPage } from "./pages/PublicReport"
import { privacyRoutes } from "./pages/privacy/routes"
import { QualityPage } from "./pages/Quality"
import { CompliancePage } from "./pages/reports/Compliance"
import { FilesPage } from "./pages/reports/Files"
import { PublicSettingsPage } from "./pages/reports/PublicSettings"
import { ReviewsPage } from "./pages/reports/Reviews"
import { SchedulesPage } from "./pages/reports/Schedules"
import { ReportsLayout } from "./pages/reports/shared"
import { riskRoutes } from "./pages/risk/routes"
import { AccountSettings, OrganizationSettings, SettingsLayout } from "./pages/Settings"
import { SignInPage } from "./pages/SignIn"
import { SsoSettingsPage } from "./pages/SsoSettings"
import { StandardsPage } from "./pages/Standards"
import { WebhooksPage } from "./pages/Webhooks"
import { QueueSettingsPage } from "./pages/workforce/QueueSettings"
import { workforceRoutes } from "./pages/workforce/routes"
import { SessionProvider } from "./session"

/** Signed-in area: loads the session and the role matrix, or sends the person to sign in. */
const AuthGate = () => {
  const { t } = useTranslation()
  const me = useMe()
  const roles = useQuery({
    queryKey: ["meta", "roles"],
    queryFn: () => api<RolesMeta>("/api/v1/meta/roles"),
    enabled: me.isSuccess,
    staleTime: Number.POSITIVE_INFINITY,
  })
  if (me.isLoading)
    return (
      <div style={{ padding: 48 }}>
        <Skeleton height={24} width={240} />
      </div>
    )
  if (me.error instanceof ApiError && me.error.status === 401) return <Navigate to="/sign-in" />
  if (me.isError)
    return (
      <ErrorState
        title={t("common.errorTitle")}
        onRetry={() => void me.refetch()}
        retryLabel={t("common.retry")}
      >
        {t("errors.network")}
      </ErrorState>
    )
  const permissions = roles.data
    ? Object.fromEntries(roles.data.roles.map((r) => [r.role, r.permissions]))
    : undefined
  return (
    <SessionProvider me={me.data} permissions={permissions}>
      <Layout />
    </SessionProvider>
  )
}

const rootRoute = createRootRoute({ component: () => <Outlet /> })
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  component: SignInPage,
  validateSearch: (s: Record<string, unknown>): { org?: string; ssoError?: string } => ({
    ...(typeof s.org === "string" ? { org: s.org } : {}),
    ...(typeof s.ssoError === "string" ? { ssoError: s.ssoError } : {}),
  }),
})
const acceptRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/accept-invitation",
  component: AcceptInvitationPage,
  validateSearch: (s: Record<string, unknown>) => (typeof s.token === "string" ? { token: s.token } : {}),
})
const appRoute = createRoute({ getParentRoute: () => rootRoute, id: "app", component: AuthGate })

const casesRoute = createRoute({ getParentRoute: () => appRoute, path: "/cases", component: CasesLayout })
const casesIndex = createRoute({
  getParentRoute: () => casesRoute,
  path: "/",
  component: QueuePage,
  validateSearch: validateQueueSearch,
})
const customersRoute = createRoute({
  getParentRoute: () => casesRoute,
  path: "/customers",
  component: CustomersPage,
})
const policiesRoute = createRoute({
  getParentRoute: () => casesRoute,
  path: "/policies",
  component: PoliciesPage,
})
const calendarsRoute = createRoute({
  getParentRoute: () => casesRoute,
  path: "/calendars",
  component: CalendarsPage,
})
const importRoute = createRoute({ getParentRoute: () => casesRoute, path: "/import", component: ImportPage })
const caseSettingsRoute = createRoute({
  getParentRoute: () => casesRoute,
  path: "/settings",
  component: CaseSettingsPage,
})
const caseDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/cases/$caseId",
  component: CaseDetailPage,
})

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings",
  component: SettingsLayout,
})
const settingsIndex = createRoute({
  getParentRoute: () => settingsRoute,
  path: "/",
  component: OrganizationSettings,
})
const membersRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: "/members",
  component: MembersPage,
})
const apiKeysRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: "/api-keys",
  component: ApiKeysPage,
})
const auditRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: "/audit",
  component: AuditPage,
  validateSearch: validateAuditSearch,
})

// single sign-on (wip/oidc)
const ssoRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: "/sso",
  component: SsoSettingsPage,
})

// workforce planning's queues (targets, handling time) and shifts
const workforceSettingsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: "/workforce",
  component: QueueSettingsPage,
})

const accountRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: "/account",
  component: AccountSettings,
})

// reports, management reviews, compliance schedules and the public report (wip/reports)
const reportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/reports",
  component: ReportsLayout,
})
const reportsChildren = [
  createRoute({ getParentRoute: () => reportsRoute, path: "/", component: SchedulesPage }),
  createRoute({ getParentRoute: () => reportsRoute, path: "/files", component: FilesPage }),
  createRoute({ getParentRoute: () => reportsRoute, path: "/compliance", component: CompliancePage }),
  createRoute({ getParentRoute: () => reportsRoute, path: "/reviews", component: ReviewsPage }),
  createRoute({ getParentRoute: () => reportsRoute, path: "/public", component: PublicSettingsPage }),
]
// culture (#15): the agent's home, teams, skills, training, certifications, recognition, knowledge
const cultureRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/culture",
  component: CultureLayout,
})
const cultureChildren = [
  createRoute({ getParentRoute: () => cultureRoute, path: "/", component: CultureHomePage }),
  createRoute({ getParentRoute: () => cultureRoute, path: "/teams", component: TeamsPage }),
  createRoute({ getParentRoute: () => cultureRoute, path: "/skills", component: SkillsPage }),
  createRoute({ getParentRoute: () => cultureRoute, path: "/training", component: TrainingPage }),
  createRoute({ getParentRoute: () => cultureRoute, path: "/certifications", component: CertificationsPage }),
  createRoute({ getParentRoute: () => cultureRoute, path: "/recognition", component: RecognitionPage }),
  createRoute({ getParentRoute: () => cultureRoute, path: "/knowledge", component: KnowledgePage }),
]
const publicReportRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/public/$slug/report",
  component: PublicReportPage,
})
// the notification centre (its own block: notifications, preferences, webhooks)
const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/notifications",
  component: NotificationsLayout,
})
const notificationsIndex = createRoute({
  getParentRoute: () => notificationsRoute,
  path: "/",
  component: InboxPage,
})
const preferencesRoute = createRoute({
  getParentRoute: () => notificationsRoute,
  path: "/preferences",
  component: PreferencesPage,
})
const webhooksRoute = createRoute({
  getParentRoute: () => notificationsRoute,
  path: "/webhooks",
  component: WebhooksPage,
})

const routeTree = rootRoute.addChildren([
  signInRoute,
  acceptRoute,
  publicReportRoute,
  appRoute.addChildren([
    createRoute({ getParentRoute: () => appRoute, path: "/", component: DashboardPage }),
    casesRoute.addChildren([
      casesIndex,
      customersRoute,
      policiesRoute,
      calendarsRoute,
      importRoute,
      caseSettingsRoute,
    ]),
    caseDetailRoute,
    createRoute({ getParentRoute: () => appRoute, path: "/standards", component: StandardsPage }),
    createRoute({ getParentRoute: () => appRoute, path: "/quality", component: QualityPage }),
    createRoute({
      getParentRoute: () => appRoute,
      path: "/feedback",
      component: FeedbackPage,
      validateSearch: validateFeedbackSearch,
    }),
    createRoute({
      getParentRoute: () => appRoute,
      path: "/feedback/items/$itemId",
      component: FeedbackItemPage,
    }),
    ...riskRoutes(appRoute),
    ...privacyRoutes(appRoute),
    ...workforceRoutes(appRoute),
    cultureRoute.addChildren(cultureChildren),
    createRoute({ getParentRoute: () => appRoute, path: "/improvements", component: ImprovementsPage }),
    createRoute({ getParentRoute: () => appRoute, path: "/improvements/$cycleId", component: CyclePage }),
    createRoute({ getParentRoute: () => appRoute, path: "/plugins", component: PluginsPage }),
    reportsRoute.addChildren(reportsChildren),
    settingsRoute.addChildren([
      settingsIndex,
      membersRoute,
      apiKeysRoute,
      auditRoute,
      accountRoute,
      ssoRoute,
      workforceSettingsRoute,
    ]),
    notificationsRoute.addChildren([notificationsIndex, preferencesRoute, webhooksRoute]),
  ]),
])

export const router = createRouter({ routeTree, defaultPreload: "intent" })

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router
  }
}
