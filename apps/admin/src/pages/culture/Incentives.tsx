/** Incentive rules: points for a QA result at or above a minimum (culture:manage edits them). */
import {
  Badge,
  Button,
  Callout,
  Card,
  ConfirmDialog,
  Dialog,
  DialogActions,
  Field,
  Input,
  Select,
} from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { type IncentiveRule, useCultureWrite, useIncentiveRules } from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useSession } from "../../session"
import { useCriterionName, useScorecards } from "./LowScore"
import { usePercent, useText2 } from "./shared"

const RuleDialog = ({ rule, onClose }: { rule: IncentiveRule | null; onClose: () => void }) => {
  const { t } = useTranslation()
  const session = useSession()
  const cards = useScorecards(session.can("quality:read"))
  const criterionName = useCriterionName()
  const write = useCultureWrite()
  const [form, setForm] = useState(() => ({
    id: rule?.id ?? "",
    zh: rule?.name["zh-CN"] ?? "",
    en: rule?.name.en ?? "",
    scorecardId: rule?.scorecardId ?? "",
    criterionId: rule?.criterionId ?? "",
    percent: rule ? String(Math.round(rule.minResult * 1000) / 10) : "90",
    points: String(rule?.points ?? 5),
    enabled: rule?.enabled ?? true,
  }))
  const error = write.error instanceof ApiError ? write.error : null
  const card = cards.data?.items.find((c) => c.id === form.scorecardId)
  const criteria = (card ? [card] : (cards.data?.items ?? []))
    .flatMap((c) => c.definition.sections.flatMap((s) => s.criteria))
    .filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i)
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={rule ? t("culture.incentives.editTitle") : t("culture.incentives.newTitle")}
      description={t("culture.incentives.hint")}
    >
      <form
        data-testid="incentive-form"
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate(
            {
              method: "PUT",
              path: `/api/v1/culture/incentive-rules/${encodeURIComponent(form.id.trim())}`,
              body: {
                name: { "zh-CN": form.zh, en: form.en },
                scorecardId: form.scorecardId || null,
                criterionId: form.criterionId || null,
                minResult: Number(form.percent) / 100,
                points: Number(form.points),
                enabled: form.enabled,
              },
            },
            { onSuccess: onClose },
          )
        }}
      >
        <Field label={t("culture.lowScore.id")} hint={t("culture.keyHint")} error={error?.field("id")}>
          {(p) => (
            <Input
              {...p}
              value={form.id}
              disabled={Boolean(rule)}
              maxLength={64}
              onChange={(e) => setForm({ ...form, id: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.incentives.nameZh")} error={error?.field("name/zh-CN")}>
          {(p) => (
            <Input
              {...p}
              value={form.zh}
              onChange={(e) => setForm({ ...form, zh: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.incentives.nameEn")} error={error?.field("name/en")}>
          {(p) => (
            <Input
              {...p}
              value={form.en}
              onChange={(e) => setForm({ ...form, en: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.lowScore.scorecard")} error={error?.field("scorecardId")}>
          {(p) => (
            <Select
              {...p}
              value={form.scorecardId}
              onChange={(e) => setForm({ ...form, scorecardId: e.target.value, criterionId: "" })}
            >
              <option value="">{t("culture.lowScore.anyScorecard")}</option>
              {cards.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("culture.lowScore.measure")} error={error?.field("criterionId")}>
          {(p) => (
            <Select
              {...p}
              value={form.criterionId}
              onChange={(e) => setForm({ ...form, criterionId: e.target.value })}
            >
              <option value="">{t("culture.lowScore.overall")}</option>
              {criteria.map((c) => (
                <option key={c.id} value={c.id}>
                  {t("culture.lowScore.criterion", { name: criterionName(c) })}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("culture.incentives.minimum")} error={error?.field("minResult")}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={0.1}
              max={100}
              step="any"
              value={form.percent}
              onChange={(e) => setForm({ ...form, percent: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.incentives.points")} hint="1–1000" error={error?.field("points")}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={1}
              max={1000}
              step={1}
              value={form.points}
              onChange={(e) => setForm({ ...form, points: e.target.value })}
              required
            />
          )}
        </Field>
        <label>
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
          />{" "}
          {t("culture.lowScore.enabled")}
        </label>
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <DialogActions>
          <Button type="button" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={write.isPending}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

/** The rules, with forms to add, change and delete them (culture:manage). */
export const IncentiveRules = () => {
  const { t } = useTranslation()
  const session = useSession()
  const rules = useIncentiveRules()
  const cards = useScorecards(session.can("quality:read"))
  const criterionName = useCriterionName()
  const text = useText2()
  const pct = usePercent()
  const remove = useCultureWrite()
  const [editing, setEditing] = useState<{ rule: IncentiveRule | null; key: number }>()
  const [deleting, setDeleting] = useState<IncentiveRule>()
  const canManage = session.can("culture:manage")
  const cardNames = new Map((cards.data?.items ?? []).map((c) => [c.id, c.name]))
  const criteria = new Map(
    (cards.data?.items ?? []).flatMap((c) =>
      c.definition.sections.flatMap((s) => s.criteria.map((k) => [k.id, criterionName(k)] as const)),
    ),
  )
  return (
    <Card title={t("culture.incentives.title")}>
      <p className="t-hint">{t("culture.incentives.hint")}</p>
      <ExportLinks
        url="/api/v1/culture/incentive-rules"
        columns={[
          ["name", t("culture.incentives.name")],
          ["scorecardId", t("culture.lowScore.scorecard")],
          ["criterionId", t("culture.criterionSkills.criterion")],
          ["minResult", t("culture.incentives.minimum")],
          ["points", t("culture.incentives.points")],
          ["enabled", t("culture.training.status")],
        ]}
      />
      {editing ? (
        <RuleDialog key={editing.key} rule={editing.rule} onClose={() => setEditing(undefined)} />
      ) : null}
      <ConfirmDialog
        open={Boolean(deleting)}
        title={t("culture.incentives.deleteTitle")}
        confirmLabel={t("culture.lowScore.delete")}
        cancelLabel={t("common.cancel")}
        onCancel={() => setDeleting(undefined)}
        onConfirm={() =>
          deleting &&
          remove.mutate(
            { method: "DELETE", path: `/api/v1/culture/incentive-rules/${encodeURIComponent(deleting.id)}` },
            { onSettled: () => setDeleting(undefined) },
          )
        }
      >
        {t("culture.incentives.deleteConfirm", { id: deleting?.id ?? "" })}
      </ConfirmDialog>
      {remove.error instanceof ApiError ? <Callout tone="bad">{remove.error.text()}</Callout> : null}
      {canManage ? (
        <p>
          <Button variant="primary" onClick={() => setEditing({ rule: null, key: Date.now() })}>
            {t("culture.incentives.new")}
          </Button>
        </p>
      ) : null}
      {rules.data && rules.data.items.length === 0 ? <p>{t("culture.incentives.none")}</p> : null}
      {rules.data?.items.length ? (
        <table className="t-table" data-testid="incentive-rules">
          <thead>
            <tr>
              <th>{t("culture.incentives.name")}</th>
              <th>{t("culture.incentives.when")}</th>
              <th>{t("culture.lowScore.scorecard")}</th>
              <th>{t("culture.incentives.points")}</th>
              <th>{t("culture.training.status")}</th>
              {canManage ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {rules.data.items.map((r) => (
              <tr key={r.id}>
                <td>
                  {text(r.name)} <code className="t-code">{r.id}</code>
                </td>
                <td>
                  {t("culture.incentives.atLeast", {
                    what: r.criterionId
                      ? t("culture.lowScore.criterion", {
                          name: criteria.get(r.criterionId) ?? r.criterionId,
                        })
                      : t("culture.lowScore.overall"),
                    min: pct(r.minResult),
                  })}
                </td>
                <td>
                  {r.scorecardId
                    ? (cardNames.get(r.scorecardId) ?? r.scorecardId)
                    : t("culture.lowScore.anyScorecard")}
                </td>
                <td>{r.points}</td>
                <td>
                  <Badge tone={r.enabled ? "ok" : undefined}>
                    {r.enabled ? t("culture.lowScore.on") : t("culture.lowScore.off")}
                  </Badge>
                </td>
                {canManage ? (
                  <td>
                    <Button
                      aria-label={t("culture.incentives.editOne", { id: r.id })}
                      onClick={() => setEditing({ rule: r, key: Date.now() })}
                    >
                      {t("culture.edit")}
                    </Button>{" "}
                    <Button
                      variant="danger"
                      aria-label={t("culture.incentives.deleteOne", { id: r.id })}
                      onClick={() => setDeleting(r)}
                    >
                      {t("culture.lowScore.delete")}
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  )
}
