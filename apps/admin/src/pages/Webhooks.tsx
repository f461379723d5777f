/** Webhooks: subscriptions of the organisation, the delivery log with each attempt, replay, "send test event". */
import {
  Badge,
  Button,
  Callout,
  Card,
  ConfirmDialog,
  Dialog,
  DialogActions,
  EmptyState,
  Field,
  Input,
  Skeleton,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../api/client"
import {
  type Delivery,
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  useReplay,
  useSendTest,
  useUpdateWebhook,
  useWebhookEvents,
  useWebhooks,
  type Webhook,
} from "../api/notify"
import { ExportLinks } from "../components/ExportLinks"
import { ShownOnce } from "../components/Grant"
import { useFormat } from "../format"
import { useSession } from "../session"

const tone = (s: Delivery["status"]) =>
  s === "succeeded" ? "ok" : s === "failed" ? "bad" : s === "cancelled" ? undefined : "warn"

export const WebhooksPage = () => {
  const { t } = useTranslation()
  const session = useSession()
  const canManage = session.can("webhooks:manage")
  const hooks = useWebhooks(session.can("webhooks:read"))
  const [selected, setSelected] = useState<string>()
  const [createOpen, setCreateOpen] = useState(false)
  const current = hooks.data?.items.find((h) => h.id === selected) ?? hooks.data?.items[0]
  return (
    <>
      <div className="toolbar">
        <p style={{ margin: 0, color: "var(--text-2)" }}>{t("notify.webhooks.description")}</p>
        {canManage ? (
          <Button variant="primary" onClick={() => setCreateOpen(true)}>
            {t("notify.webhooks.create")}
          </Button>
        ) : null}
      </div>
      {hooks.isLoading ? (
        <Skeleton height={80} />
      ) : hooks.data?.items.length === 0 ? (
        <EmptyState icon="⇄" title={t("notify.webhooks.empty")}>
          <p>{t("notify.webhooks.emptyHint")}</p>
        </EmptyState>
      ) : (
        <div style={{ display: "grid", gap: "var(--space-5)" }}>
          <Card title={t("notify.webhooks.subscriptions")}>
            <ul className="notif-list" data-testid="webhook-list">
              {hooks.data?.items.map((h) => (
                <li key={h.id} data-unread={h.id === current?.id}>
                  <div className="notif-list__main">
                    <button
                      type="button"
                      className="linkish"
                      onClick={() => setSelected(h.id)}
                      aria-pressed={h.id === current?.id}
                    >
                      <code className="t-code">{h.url}</code>
                    </button>
                    {h.description ? <p className="notif-list__body">{h.description}</p> : null}
                    <small style={{ color: "var(--text-3)" }}>{h.eventTypes.join(", ")}</small>
                  </div>
                  {h.enabled ? (
                    <Badge tone="ok">● {t("notify.webhooks.enabled")}</Badge>
                  ) : (
                    <Badge tone="bad" title={h.disabledReason ?? undefined}>
                      ✕ {t("notify.webhooks.disabled")}
                    </Badge>
                  )}
                </li>
              ))}
            </ul>
          </Card>
          {current ? <SubscriptionCard hook={current} canManage={canManage} /> : null}
        </div>
      )}
      <CreateDialog open={createOpen} onOpenChange={setCreateOpen} />
    </>
  )
}

const SubscriptionCard = ({ hook, canManage }: { hook: Webhook; canManage: boolean }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const toast = useToast()
  const deliveries = useDeliveries(hook.id)
  const update = useUpdateWebhook()
  const remove = useDeleteWebhook()
  const test = useSendTest()
  const replay = useReplay()
  const [confirm, setConfirm] = useState(false)
  const failure = [update.error, test.error, replay.error].find((e) => e instanceof ApiError) as
    | ApiError
    | undefined
  return (
    <Card title={t("notify.webhooks.deliveries")}>
      <p style={{ marginTop: 0, wordBreak: "break-all" }}>
        <code className="t-code">{hook.url}</code>
      </p>
      {!hook.enabled && hook.disabledReason ? (
        <Callout tone="warn">{t("notify.webhooks.disabledBecause", { reason: hook.disabledReason })}</Callout>
      ) : null}
      {failure ? <Callout tone="bad">{failure.text()}</Callout> : null}
      {canManage ? (
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap", margin: "8px 0 12px" }}>
          <Button
            variant="primary"
            disabled={!hook.enabled || test.isPending}
            onClick={() => test.mutate(hook.id, { onSuccess: () => toast(t("notify.webhooks.testSent")) })}
            data-testid="webhook-test"
          >
            {t("notify.webhooks.sendTest")}
          </Button>
          <Button onClick={() => update.mutate({ id: hook.id, enabled: !hook.enabled })}>
            {hook.enabled ? t("notify.webhooks.disable") : t("notify.webhooks.enable")}
          </Button>
          <Button variant="danger" onClick={() => setConfirm(true)}>
            {t("notify.webhooks.delete")}
          </Button>
        </div>
      ) : null}
      {deliveries.data?.items.length === 0 ? (
        <p style={{ color: "var(--text-2)" }}>{t("notify.webhooks.noDeliveries")}</p>
      ) : (
        <div className="scroll-x">
          <ExportLinks
            url={`/api/v1/webhooks/${hook.id}/deliveries`}
            columns={[
              ["createdAt", t("notify.webhooks.at")],
              ["eventType", t("notify.webhooks.event")],
              ["status", t("notify.webhooks.status")],
              ["statusCode", "HTTP"],
              ["attempts", t("notify.webhooks.attempts")],
              ["latencyMs", "ms"],
              ["response", t("notify.webhooks.response")],
              ["error", t("common.errorTitle")],
            ]}
          />
          <table className="t-table delivery-log" style={{ width: "100%" }} data-testid="delivery-log">
            <caption className="t-visually-hidden">{t("notify.webhooks.deliveries")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("notify.webhooks.event")}</th>
                <th scope="col">{t("notify.webhooks.status")}</th>
                <th scope="col">{t("notify.webhooks.attempts")}</th>
                <th scope="col">{t("notify.webhooks.response")}</th>
                <th scope="col">{t("notify.webhooks.at")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {deliveries.data?.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code className="t-code">{d.eventType}</code>
                  </td>
                  <td>
                    <Badge tone={tone(d.status)}>{t(`notify.webhooks.statuses.${d.status}`)}</Badge>
                  </td>
                  <td>
                    {d.attempts}
                    {d.nextAttemptAt ? (
                      <small style={{ display: "block", color: "var(--text-3)" }}>
                        {t("notify.webhooks.nextAttempt", { at: fmt.dateTime(d.nextAttemptAt) })}
                      </small>
                    ) : null}
                  </td>
                  <td>
                    {d.statusCode !== null ? `HTTP ${d.statusCode}` : "—"}
                    {d.latencyMs !== null ? ` · ${t("notify.webhooks.ms", { ms: d.latencyMs })}` : ""}
                    {d.response || d.error ? <pre>{(d.response || d.error || "").slice(0, 200)}</pre> : null}
                  </td>
                  <td style={{ whiteSpace: "nowrap" }}>{fmt.dateTime(d.createdAt)}</td>
                  <td>
                    {canManage && hook.enabled ? (
                      <Button
                        size="sm"
                        onClick={() =>
                          replay.mutate(
                            { id: hook.id, deliveryId: d.id },
                            { onSuccess: () => toast(t("notify.webhooks.replayed")) },
                          )
                        }
                      >
                        {t("notify.webhooks.replay")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={confirm}
        title={t("notify.webhooks.delete")}
        confirmLabel={t("notify.webhooks.delete")}
        cancelLabel={t("common.cancel")}
        onCancel={() => setConfirm(false)}
        onConfirm={() => remove.mutate(hook.id, { onSettled: () => setConfirm(false) })}
      >
        {t("notify.webhooks.deleteConfirm", { url: hook.url })}
      </ConfirmDialog>
    </Card>
  )
}

const CreateDialog = ({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) => {
  const { t } = useTranslation()
  const create = useCreateWebhook()
  const events = useWebhookEvents()
  const [url, setUrl] = useState("")
  const [description, setDescription] = useState("")
  const [types, setTypes] = useState<string[]>(["process.sla.breached", "process.case.escalated"])
  const error = create.error instanceof ApiError ? create.error : undefined
  const close = (o: boolean) => {
    if (!o) {
      create.reset()
      setUrl("")
      setDescription("")
    }
    onOpenChange(o)
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate({ url, eventTypes: types, ...(description ? { description } : {}) })
  }
  return (
    <Dialog open={open} onOpenChange={close} title={t("notify.webhooks.create")}>
      {create.data ? (
        <ShownOnce
          value={create.data.secret}
          testId="webhook-secret"
          note={<Callout>{t("notify.webhooks.secretHint")}</Callout>}
          onClose={() => close(false)}
        />
      ) : (
        <form onSubmit={submit}>
          <Field
            label={t("notify.webhooks.url")}
            hint={t("notify.webhooks.urlHint")}
            error={error?.field("url")}
          >
            {(p) => (
              <Input
                {...p}
                type="url"
                required
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="https://"
                autoFocus
              />
            )}
          </Field>
          <Field label={t("notify.webhooks.descriptionLabel")} error={error?.field("description")}>
            {(p) => <Input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
          </Field>
          <fieldset style={{ border: 0, padding: 0, margin: "8px 0" }}>
            <legend>{t("notify.webhooks.events")}</legend>
            {error?.field("eventTypes") ? <Callout tone="bad">{error.field("eventTypes")}</Callout> : null}
            <div style={{ maxHeight: 220, overflowY: "auto", display: "grid", gap: 4 }}>
              {events.data?.items
                .filter((e) => e.type !== "webhook.test")
                .map((e) => (
                  <label
                    key={e.type}
                    title={e.summary}
                    style={{ display: "flex", gap: 6, alignItems: "baseline" }}
                  >
                    <input
                      type="checkbox"
                      checked={types.includes(e.type)}
                      onChange={(x) =>
                        setTypes(x.target.checked ? [...types, e.type] : types.filter((t) => t !== e.type))
                      }
                    />
                    <code className="t-code">{e.type}</code>
                  </label>
                ))}
            </div>
          </fieldset>
          {error && error.fieldErrors.length === 0 ? <Callout tone="bad">{error.text()}</Callout> : null}
          <DialogActions>
            <Button type="button" onClick={() => close(false)}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" variant="primary" disabled={create.isPending || types.length === 0}>
              {t("notify.webhooks.create")}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  )
}
