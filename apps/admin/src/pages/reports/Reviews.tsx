import {
  Badge,
  Button,
  Callout,
  Card,
  Dialog,
  DialogActions,
  EmptyState,
  Field,
  Input,
  Skeleton,
} from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { type ManagementReview, useCreateReview, useReviews } from "../../api/reports"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { localized } from "./shared"

const lines = (s: string) =>
  s
    .split("\n")
    .map((x) => x.trim())
    .filter(Boolean)

export const ReviewsPage = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const session = useSession()
  const reviews = useReviews()
  const [creating, setCreating] = useState(false)
  const [open, setOpen] = useState<string>()
  if (reviews.isLoading) return <Skeleton height={120} />
  const items = reviews.data?.items ?? []
  return (
    <>
      <div className="toolbar">
        <span />
        {session.can("standards:write") ? (
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t("reports.newReview")}
          </Button>
        ) : null}
      </div>
      {items.length === 0 ? <EmptyState title={t("reports.reviewsEmpty")} /> : null}
      {items.map((r) => (
        <Card key={r.id}>
          <div style={{ display: "flex", justifyContent: "space-between", gap: 12, flexWrap: "wrap" }}>
            <div>
              <h2 style={{ margin: 0, fontSize: 16 }}>{r.title}</h2>
              <p className="t-hint" style={{ margin: "4px 0 0" }}>
                {t("reports.heldAt")} {fmt.dateTime(r.heldAt)} · {t("reports.period")} {fmt.date(r.from)} –{" "}
                {fmt.date(r.to)}
              </p>
            </div>
            <Button
              size="sm"
              aria-expanded={open === r.id}
              onClick={() => setOpen(open === r.id ? undefined : r.id)}
            >
              {t("reports.view")}
            </Button>
          </div>
          {open === r.id ? <ReviewDetail review={r} /> : null}
        </Card>
      ))}
      {creating ? <ReviewDialog onClose={() => setCreating(false)} /> : null}
    </>
  )
}

const ReviewDetail = ({ review: r }: { review: ManagementReview }) => {
  const { t, i18n } = useTranslation()
  const fmt = useFormat()
  return (
    <div className="grid-2" style={{ marginTop: 12 }}>
      <section>
        <h3 className="t-label">{t("reports.compliance")}</h3>
        <ul>
          {r.compliance.map((c) => (
            <li key={c.standardId}>
              {localized(c.title, i18n.language)}:{" "}
              {c.summary ? (
                <>
                  {t("reports.summary", c.summary)}{" "}
                  {c.summary.breached > 0 ? <Badge tone="bad">✕</Badge> : <Badge tone="ok">✓</Badge>}{" "}
                  <span className="t-hint">
                    {fmt.date(c.from)} – {fmt.date(c.to)}
                  </span>
                </>
              ) : (
                <span className="t-hint">{t("reports.noEvaluation")}</span>
              )}
            </li>
          ))}
        </ul>
        <h3 className="t-label">{t("reports.openCycles")}</h3>
        {r.openCycles.length ? (
          <ul>
            {r.openCycles.map((c) => (
              <li key={c.id}>
                {c.title} <span className="t-hint">{c.status}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="t-hint">{t("reports.none")}</p>
        )}
      </section>
      <section>
        <h3 className="t-label">{t("reports.decisions")}</h3>
        {r.decisions.length ? (
          <ol>
            {r.decisions.map((d) => (
              <li key={d.text}>
                {d.text}
                {d.owner ? <span className="t-hint"> — {d.owner}</span> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="t-hint">{t("reports.none")}</p>
        )}
        <h3 className="t-label">{t("reports.risks")}</h3>
        <p>{r.risks.join("；") || t("reports.none")}</p>
        <h3 className="t-label">{t("reports.attendees")}</h3>
        <p>{r.attendees.join("、") || t("reports.none")}</p>
        {r.notes ? (
          <>
            <h3 className="t-label">{t("reports.notes")}</h3>
            <p>{r.notes}</p>
          </>
        ) : null}
      </section>
    </div>
  )
}

const ReviewDialog = ({ onClose }: { onClose: () => void }) => {
  const { t } = useTranslation()
  const create = useCreateReview()
  const today = new Date().toISOString().slice(0, 10)
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
  const [form, setForm] = useState({
    title: "",
    from: monthAgo,
    to: today,
    risks: "",
    decisions: "",
    attendees: "",
    notes: "",
  })
  const error = create.error instanceof ApiError ? create.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate(
      {
        title: form.title,
        from: new Date(`${form.from}T00:00:00`).toISOString(),
        to: new Date(new Date(`${form.to}T00:00:00`).getTime() + 86_400_000).toISOString(),
        risks: lines(form.risks),
        decisions: lines(form.decisions).map((d) => {
          const [text, owner] = d.split("|").map((x) => x.trim())
          return owner ? { text: text ?? d, owner } : { text: text ?? d }
        }),
        attendees: lines(form.attendees),
        ...(form.notes.trim() ? { notes: form.notes.trim() } : {}),
      },
      { onSuccess: onClose },
    )
  }
  const area = (key: "risks" | "decisions" | "attendees" | "notes", hint?: string) => (
    <Field label={t(`reports.${key}`)} hint={hint} error={error?.field(key)}>
      {(p) => (
        <textarea
          {...p}
          className="t-input"
          rows={3}
          value={form[key]}
          onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        />
      )}
    </Field>
  )
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={t("reports.newReview")}>
      <form onSubmit={submit} noValidate>
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <Field label={t("reports.reviewTitle")} error={error?.field("title")}>
          {(p) => (
            <Input
              {...p}
              value={form.title}
              onChange={(e) => setForm({ ...form, title: e.target.value })}
              required
            />
          )}
        </Field>
        <div className="grid-2">
          <Field label={t("reports.from")} error={error?.field("from")}>
            {(p) => (
              <Input
                {...p}
                type="date"
                value={form.from}
                onChange={(e) => setForm({ ...form, from: e.target.value })}
              />
            )}
          </Field>
          <Field label={t("reports.to")} error={error?.field("to")}>
            {(p) => (
              <Input
                {...p}
                type="date"
                value={form.to}
                onChange={(e) => setForm({ ...form, to: e.target.value })}
              />
            )}
          </Field>
        </div>
        {area("decisions", t("reports.decisionsHint"))}
        {area("risks", t("reports.risksHint"))}
        {area("attendees", t("reports.attendeesHint"))}
        {area("notes")}
        <DialogActions>
          <Button type="button" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {t("reports.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
