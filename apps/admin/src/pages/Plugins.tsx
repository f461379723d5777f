import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Callout, Card, EmptyState, PageHeader, useToast } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../api/client"
import { useSession } from "../session"

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
      }>("/api/v1/plugins"),
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
                    <li>{t("plugins.metrics", { list: p.contributions.metrics.join(", ") })}</li>
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
    </>
  )
}
