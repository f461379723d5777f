import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Callout, Card, ConfirmDialog, EmptyState, PageHeader, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg, problemText } from "../api/client"
import { ExportLinks } from "../components/ExportLinks"
import { useFormat } from "../format"
import { useSession } from "../session"
import { useMetricName } from "./improvements/model"

interface PluginRow {
  id: string
  version: string | null
  source: string
  name: Record<string, string> | null
  status: "loaded" | "refused"
  messages: string[]
  contributions: {
    standards: number
    workflows: string[]
    metrics: string[]
    scorecards: number
    calendars: number
    handlers: number
  }
  handlers: Array<{
    name: string
    calls: number
    failures: number
    quarantined: boolean
    lastError: string | null
  }>
}

interface HandlerReport {
  plugin: string
  name: string
  key: string
  isolation: "worker" | "in-process" | null
  timeoutMs: number
  failures: number
  consecutiveFailures: number
  quarantined: boolean
  quarantinedAt: string | null
  retryAt: string | null
  heldEvent: { id: string; type: string; position: number } | null
  waiting: number
  errors: Array<{
    at: string
    kind: "error" | "timeout" | "memory" | "crash"
    message: string
    eventId: string | null
    eventType: string | null
  }>
}

/** Each handler's isolation state, for admins: quarantine, events waiting, errors; release or skip. */
const HandlerIsolation = () => {
  const { t } = useTranslation()
  const f = useFormat()
  const toast = useToast()
  const qc = useQueryClient()
  const reports = useQuery({
    queryKey: ["plugin-handlers", getCurrentOrg()],
    queryFn: () => api<{ items: HandlerReport[] }>("/api/v1/plugins/handlers"),
    refetchInterval: 5000,
  })
  const done = (message: string) => {
    toast(message)
    void qc.invalidateQueries({ queryKey: ["plugin-handlers"] })
    void qc.invalidateQueries({ queryKey: ["plugins"] })
  }
  const release = useMutation({
    mutationFn: (h: HandlerReport) =>
      api(`/api/v1/plugins/${h.plugin}/handlers/${h.name}/release`, { method: "POST" }),
    onSuccess: (_r, h) => done(t("plugins.releasedToast", { name: h.name })),
    onError: (e) => toast(problemText(e), "bad"),
  })
  const skip = useMutation({
    mutationFn: (h: HandlerReport) =>
      api(`/api/v1/plugins/${h.plugin}/handlers/${h.name}/skip`, {
        method: "POST",
        body: { eventId: h.heldEvent?.id },
      }),
    onSuccess: (_r, h) => done(t("plugins.skippedToast", { name: h.name })),
    onError: (e) => toast((e as Error).message, "bad"),
  })
  const [skipping, setSkipping] = useState<HandlerReport | null>(null)
  const items = reports.data?.items ?? []
  if (items.length === 0) return null
  return (
    <div style={{ marginTop: 16 }}>
      <Card title={t("plugins.isolationTitle")}>
        <p className="t-hint" style={{ marginTop: 0 }}>
          {t("plugins.isolationHint")}
        </p>
        <ExportLinks
          url="/api/v1/plugins/handlers"
          columns={[
            ["plugin", t("plugins.title")],
            ["name", t("plugins.colHandler")],
            ["quarantined", t("plugins.quarantined")],
            ["failures", t("plugins.colFailures")],
            ["waiting", t("plugins.colWaiting")],
          ]}
        />
        <table className="t-table" data-testid="plugin-handlers">
          <thead>
            <tr>
              <th>{t("plugins.colHandler")}</th>
              <th>{t("plugins.colState")}</th>
              <th>{t("plugins.colFailures")}</th>
              <th>{t("plugins.colWaiting")}</th>
              <th>{t("plugins.colErrors")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((h) => (
              <tr key={h.key}>
                <td>
                  <code className="t-code">
                    {h.plugin} / {h.name}
                  </code>
                  <div className="t-hint">
                    {h.isolation === "worker"
                      ? t("plugins.inWorker", { ms: h.timeoutMs })
                      : t("plugins.inProcess", { ms: h.timeoutMs })}
                  </div>
                </td>
                <td>
                  {h.quarantined ? (
                    <Badge tone="bad">
                      ⚠ {t("plugins.quarantined")} · {f.dateTime(h.quarantinedAt)}
                    </Badge>
                  ) : h.consecutiveFailures > 0 ? (
                    <Badge tone="warn">{t("plugins.retrying", { count: h.consecutiveFailures })}</Badge>
                  ) : (
                    <Badge tone="ok">✓ {t("plugins.running")}</Badge>
                  )}
                  {h.heldEvent ? (
                    <div className="t-hint">
                      {t("plugins.heldAt", { type: h.heldEvent.type, id: h.heldEvent.id })}
                    </div>
                  ) : null}
                </td>
                <td>{f.number(h.failures)}</td>
                <td>{f.number(h.waiting)}</td>
                <td>
                  {h.errors.length === 0 ? (
                    <span className="t-hint">—</span>
                  ) : (
                    <ul style={{ margin: 0, paddingLeft: 16 }}>
                      {h.errors.slice(0, 5).map((e) => (
                        <li key={`${e.at}-${e.eventId}`} className="t-hint">
                          {f.dateTime(e.at)} · {t(`plugins.kind.${e.kind}`)}: {e.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td style={{ whiteSpace: "nowrap" }}>
                  {h.quarantined ? (
                    <Button size="sm" onClick={() => release.mutate(h)} disabled={release.isPending}>
                      {t("plugins.release")}
                    </Button>
                  ) : null}{" "}
                  {h.quarantined && h.heldEvent ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={skip.isPending}
                      onClick={() => setSkipping(h)}
                    >
                      {t("plugins.skip")}
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <ConfirmDialog
        open={skipping !== null}
        title={t("plugins.skip")}
        confirmLabel={t("plugins.skip")}
        cancelLabel={t("common.cancel")}
        onConfirm={() => {
          if (skipping) skip.mutate(skipping)
          setSkipping(null)
        }}
        onCancel={() => setSkipping(null)}
      >
        {t("plugins.skipConfirm", { id: skipping?.heldEvent?.id })}
      </ConfirmDialog>
    </div>
  )
}

export const PluginsPage = () => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const toast = useToast()
  const qc = useQueryClient()
  const session = useSession()
  const data = useQuery({
    queryKey: ["plugins", getCurrentOrg()],
    queryFn: () =>
      api<{
        items: PluginRow[]
        standards: Array<{
          plugin: string
          id: string
          version: string
          title: Record<string, string>
          installed: boolean
        }>
        scorecards?: Array<{ plugin: string; name: string; installed: boolean }>
        calendars?: Array<{ plugin: string; name: string; installed: boolean }>
      }>("/api/v1/plugins"),
  })
  const metricName = useMetricName()
  // a plugin's scorecard or calendar is created in the organisation, like its standard is imported
  const installItem = useMutation({
    mutationFn: (x: { kind: "scorecards" | "calendars"; plugin: string; name: string }) =>
      api(`/api/v1/plugins/${x.plugin}/${x.kind}/${encodeURIComponent(x.name)}/install`, { method: "POST" }),
    onSuccess: (_r, x) => {
      toast(
        t(x.kind === "scorecards" ? "plugins.scorecardInstalled" : "plugins.calendarInstalled", {
          name: x.name,
        }),
      )
      void qc.invalidateQueries({ queryKey: ["plugins"] })
      void qc.invalidateQueries({ queryKey: [x.kind === "scorecards" ? "scorecards" : "calendars"] })
    },
    onError: (e) => toast(problemText(e), "bad"),
  })
  const install = useMutation({
    mutationFn: (s: { plugin: string; id: string }) =>
      api(`/api/v1/plugins/${s.plugin}/standards/${s.id}/install`, { method: "POST" }),
    onSuccess: (_r, s) => {
      toast(t("plugins.installedToast", { id: s.id }))
      void qc.invalidateQueries({ queryKey: ["plugins"] })
      void qc.invalidateQueries({ queryKey: ["standards"] })
    },
    onError: (e) => toast((e as Error).message, "bad"),
  })
  return (
    <>
      <PageHeader title={t("plugins.title")} description={t("plugins.description")} />
      {data.data?.items.length === 0 ? (
        <Card>
          <EmptyState title={t("plugins.none")} />
        </Card>
      ) : null}
      <div className="grid-2">
        {data.data?.items.map((p) => (
          <Card key={`${p.id}-${p.source}`}>
            <div style={{ display: "flex", justifyContent: "space-between", gap: 8, alignItems: "center" }}>
              <strong style={{ fontSize: 16 }}>{p.name?.[lang] ?? p.name?.en ?? p.id}</strong>
              <Badge tone={p.status === "loaded" ? "ok" : "bad"}>
                {p.status === "loaded" ? `✓ ${t("plugins.loaded")}` : `✕ ${t("plugins.refused")}`}
              </Badge>
            </div>
            <p className="t-hint" style={{ margin: "4px 0 8px" }}>
              <code className="t-code">{p.id}</code> {p.version ? `v${p.version}` : ""}
            </p>
            {p.status === "loaded" ? (
              <>
                <div className="t-label">{t("plugins.contributions")}</div>
                <ul style={{ margin: "4px 0", paddingLeft: 18 }}>
                  {p.contributions.standards ? (
                    <li>{t("plugins.standards", { count: p.contributions.standards })}</li>
                  ) : null}
                  {p.contributions.workflows.length ? (
                    <li>{t("plugins.workflows", { list: p.contributions.workflows.join(", ") })}</li>
                  ) : null}
                  {p.contributions.metrics.length ? (
                    <li>
                      {t("plugins.metrics", {
                        list: p.contributions.metrics.map((m) => metricName(m, lang)).join(", "),
                      })}
                    </li>
                  ) : null}
                  {p.contributions.scorecards ? (
                    <li>{t("plugins.scorecards", { count: p.contributions.scorecards })}</li>
                  ) : null}
                  {p.contributions.calendars ? (
                    <li>{t("plugins.calendars", { count: p.contributions.calendars })}</li>
                  ) : null}
                  {p.contributions.handlers ? (
                    <li>{t("plugins.handlers", { count: p.contributions.handlers })}</li>
                  ) : null}
                </ul>
                {p.handlers.map((h) => (
                  <div key={h.name} className="t-hint">
                    {t("plugins.handler", { name: h.name, calls: h.calls, failures: h.failures })}{" "}
                    {h.quarantined ? <Badge tone="bad">⚠ {t("plugins.quarantined")}</Badge> : null}
                    {h.lastError ? <div>{t("plugins.lastError", { error: h.lastError })}</div> : null}
                  </div>
                ))}
              </>
            ) : (
              <Callout tone="bad">
                <div className="t-label">{t("plugins.issues")}</div>
                <ul style={{ margin: "4px 0", paddingLeft: 18 }}>
                  {p.messages.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </Callout>
            )}
          </Card>
        ))}
      </div>
      {session.can("plugins:manage") ? <HandlerIsolation /> : null}
      {data.data?.standards.length ? (
        <div style={{ marginTop: 16 }}>
          <Card title={t("plugins.availableStandards")}>
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {data.data.standards.map((s) => (
                <li key={`${s.plugin}-${s.id}`} style={{ padding: "4px 0" }}>
                  {s.title[lang] ?? s.title.en}{" "}
                  <span className="t-hint">
                    ({s.id} {s.version}, {s.plugin})
                  </span>{" "}
                  {s.installed ? (
                    <Badge tone="ok">{t("plugins.installed")}</Badge>
                  ) : session.can("standards:manage") ? (
                    <Button size="sm" onClick={() => install.mutate(s)}>
                      {t("plugins.install")}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          </Card>
        </div>
      ) : null}
      {(
        [
          ["scorecards", "quality:write", "plugins.availableScorecards"],
          ["calendars", "cases:manage", "plugins.availableCalendars"],
        ] as const
      ).map(([kind, right, title]) =>
        data.data?.[kind]?.length ? (
          <div key={kind} style={{ marginTop: 16 }}>
            <Card title={t(title)}>
              <ul style={{ margin: 0, paddingLeft: 18 }} data-testid={`plugin-${kind}`}>
                {data.data[kind]!.map((x) => (
                  <li key={`${x.plugin}-${x.name}`} style={{ padding: "4px 0" }}>
                    {x.name} <span className="t-hint">({x.plugin})</span>{" "}
                    {x.installed ? (
                      <Badge tone="ok">{t("plugins.installed")}</Badge>
                    ) : session.can(right) ? (
                      <Button
                        size="sm"
                        onClick={() => installItem.mutate({ kind, plugin: x.plugin, name: x.name })}
                      >
                        {t("plugins.install")}
                      </Button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </Card>
          </div>
        ) : null,
      )}
    </>
  )
}
