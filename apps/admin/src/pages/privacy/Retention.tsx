/** Retention: the dry run (what would go now, what holds keep), purging now, legal holds, and the purge history with its evidence. */
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Card, EmptyState, ErrorState, Field, Input, Select, Skeleton } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../../api/client"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useExportLabels } from "../table-labels"
import { useDays } from "./Inventory"
import { type Hold, useDryRun, useHolds, usePurges } from "./model"

const PlaceHold = () => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [scope, setScope] = useState<Hold["scope"]>("customer")
  const [target, setTarget] = useState("")
  const [reason, setReason] = useState("")
  const [error, setError] = useState<string | null>(null)
  const place = useMutation({
    mutationFn: () => api("/api/v1/privacy/holds", { method: "POST", body: { scope, target, reason } }),
    onSuccess: () => {
      setTarget("")
      setReason("")
      setError(null)
      qc.invalidateQueries({ queryKey: ["privacy"] })
    },
    onError: (e) => setError(e instanceof ApiError ? e.text() : String(e)),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    place.mutate()
  }
  return (
    <form onSubmit={submit} style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "flex-end" }}>
      <Field label={t("privacy.holds.scope")}>
        {(p) => (
          <Select {...p} value={scope} onChange={(e) => setScope(e.target.value as Hold["scope"])}>
            {(["customer", "case", "class"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`privacy.holds.scopes.${s}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t("privacy.holds.target")}>
        {(p) => <Input {...p} value={target} onChange={(e) => setTarget(e.target.value)} required />}
      </Field>
      <Field label={t("privacy.holds.reason")}>
        {(p) => <Input {...p} value={reason} onChange={(e) => setReason(e.target.value)} required />}
      </Field>
      <Button type="submit" variant="primary" disabled={!target.trim() || !reason.trim() || place.isPending}>
        {t("privacy.holds.place")}
      </Button>
      {error ? <span role="alert">{error}</span> : null}
    </form>
  )
}

export const RetentionPage = () => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const f = useFormat()
  const qc = useQueryClient()
  const days = useDays()
  const dry = useDryRun()
  const holds = useHolds()
  const purges = usePurges()
  const purge = useMutation({
    mutationFn: () => api("/api/v1/privacy/retention/purge", { method: "POST", body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["privacy"] }),
  })
  const release = useMutation({
    mutationFn: (id: string) => api(`/api/v1/privacy/holds/${id}/release`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["privacy"] }),
  })
  if (dry.isLoading || holds.isLoading || purges.isLoading) return <Skeleton height={240} />
  if (dry.error || holds.error || purges.error) return <ErrorState title={t("privacy.loadError")} />
  const due = (dry.data?.items ?? []).filter((i) => i.due > 0 || i.held > 0)
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("privacy.retention.dryRun")}</h2>
        <ExportLinks
          url="/api/v1/privacy/retention/dry-run"
          columns={[
            ["classId", t("privacy.inventory.class")],
            ["due", t("privacy.retention.due")],
            ["action", t("privacy.retention.action"), exportLabels("privacy.actions") ?? {}],
            ["held", t("privacy.retention.held")],
            ["policy.maxDays", t("privacy.inventory.maximum")],
          ]}
        />
        {due.length ? (
          <table className="t-table" data-testid="privacy-dry-run">
            <thead>
              <tr>
                <th>{t("privacy.inventory.class")}</th>
                <th>{t("privacy.retention.due")}</th>
                <th>{t("privacy.retention.held")}</th>
                <th>{t("privacy.inventory.maximum")}</th>
              </tr>
            </thead>
            <tbody>
              {due.map((i) => (
                <tr key={i.classId}>
                  <td>{i.classId}</td>
                  <td>
                    {i.due} · {t(`privacy.actions.${i.action}`)}
                  </td>
                  <td>{i.held}</td>
                  <td>{days(i.policy.maxDays)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="t-hint">{t("privacy.retention.nothingDue")}</p>
        )}
        <Button
          variant="danger"
          onClick={() => purge.mutate()}
          disabled={purge.isPending || !due.some((i) => i.due > 0)}
        >
          {t("privacy.retention.purgeNow")}
        </Button>
      </Card>
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("privacy.holds.title")}</h2>
        <PlaceHold />
        <ul data-testid="privacy-holds">
          {(holds.data?.items ?? []).map((h) => (
            <li key={h.id}>
              {t(`privacy.holds.scopes.${h.scope}`)} <code>{h.target}</code> — {h.reason} ·{" "}
              {f.dateTime(h.placedAt)}{" "}
              {h.releasedAt ? (
                <Badge tone="accent">{t("privacy.holds.released")}</Badge>
              ) : (
                <Button onClick={() => release.mutate(h.id)}>{t("privacy.holds.release")}</Button>
              )}
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("privacy.purges.title")}</h2>
        <ExportLinks
          url="/api/v1/privacy/purges"
          columns={[
            ["at", t("privacy.purges.at")],
            ["classId", t("privacy.inventory.class")],
            ["count", t("privacy.purges.count")],
            ["action", t("privacy.retention.action"), exportLabels("privacy.actions") ?? {}],
            ["trigger", t("privacy.purges.trigger"), exportLabels("privacy.purges.triggers") ?? {}],
            ["hashedIds", t("privacy.purges.evidence")],
          ]}
        />
        {purges.data?.items.length ? (
          <table className="t-table" data-testid="privacy-purges">
            <thead>
              <tr>
                <th>{t("privacy.purges.at")}</th>
                <th>{t("privacy.inventory.class")}</th>
                <th>{t("privacy.purges.count")}</th>
                <th>{t("privacy.purges.trigger")}</th>
                <th>{t("privacy.purges.evidence")}</th>
              </tr>
            </thead>
            <tbody>
              {purges.data.items.map((p) => (
                <tr key={p.id}>
                  <td>{f.dateTime(p.at)}</td>
                  <td>{p.classId}</td>
                  <td>
                    {p.count} · {t(`privacy.actions.${p.action}`)}
                  </td>
                  <td>{t(`privacy.purges.triggers.${p.trigger}`)}</td>
                  <td>
                    <details>
                      <summary>{t("privacy.purges.hashedIds", { n: p.hashedIds.length })}</summary>
                      <code style={{ fontSize: 11, wordBreak: "break-all" }}>{p.hashedIds.join(" ")}</code>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState title={t("privacy.purges.empty")} />
        )}
      </Card>
    </div>
  )
}
