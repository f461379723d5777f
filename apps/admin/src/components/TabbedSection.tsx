/**
 * An area of the app under one header with tabs (settings, reports, notifications, risk, culture):
 * the tabs are links (the page's address says which is open), the open one is marked for screen
 * readers, and the chosen tab's page renders below.
 */
import { Link, Outlet } from "@tanstack/react-router"
import { PageHeader } from "@tenet/ui"

export function TabbedSection(props: {
  readonly title: string
  readonly description?: string | undefined
  readonly tabs: ReadonlyArray<{ readonly to: string; readonly label: string }>
}) {
  return (
    <>
      <PageHeader title={props.title} {...(props.description ? { description: props.description } : {})} />
      <nav className="settings-tabs" aria-label={props.title}>
        {props.tabs.map((tab) => (
          <Link
            key={tab.to}
            to={tab.to}
            activeOptions={{ exact: true }}
            activeProps={{ "aria-current": "page" }}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <Outlet />
    </>
  )
}
