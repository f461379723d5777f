/** The recognition wall, the points ranking (privacy respected) and giving kudos. */
import { Button, Callout, Card, Field, Input, Select } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { useCultureWrite, useRoster, useWall } from "../../api/culture"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { IncentiveRules } from "./Incentives"

export const RecognitionPage = () => {
  const { t } = useTranslation()
  const wall = useWall()
  const roster = useRoster()
  const session = useSession()
  const fmt = useFormat()
  const write = useCultureWrite()
  const [to, setTo] = useState("")
  const [message, setMessage] = useState("")
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  return (
    <div
      style={{
        display: "grid",
        gap: "var(--space-5)",
        gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))",
      }}
    >
      <Card title={t("culture.recognition.give")}>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            write.mutate(
              { method: "POST", path: "/api/v1/culture/kudos", body: { toUser: to, message } },
              { onSuccess: () => setMessage("") },
            )
          }}
        >
          <Field label={t("culture.recognition.to")}>
            {(p) => (
              <Select {...p} value={to} onChange={(e) => setTo(e.target.value)} required>
                <option value="">—</option>
                {roster.data?.items
                  .filter((person) => person.userId !== session.me?.user.id)
                  .map((person) => (
                    <option key={person.userId} value={person.userId}>
                      {person.displayName}
                    </option>
                  ))}
              </Select>
            )}
          </Field>
          <Field label={t("culture.recognition.message")}>
            {(p) => (
              <Input
                {...p}
                value={message}
                maxLength={200}
                onChange={(e) => setMessage(e.target.value)}
                required
              />
            )}
          </Field>
          <Button type="submit" variant="primary" disabled={write.isPending}>
            {t("culture.recognition.send")}
          </Button>
        </form>
        {write.error instanceof ApiError ? <Callout tone="bad">{write.error.text()}</Callout> : null}
      </Card>
      <Card title={t("culture.recognition.ranking")}>
        <ol>
          {wall.data?.ranking.map((r) => (
            <li key={`${r.rank}-${r.userId ?? "hidden"}`}>
              {r.hidden ? t("culture.recognition.hidden") : (names.get(r.userId ?? "") ?? r.userId)} —{" "}
              {t("culture.recognition.points", { points: r.points, n: r.kudos })}
              {r.incentivePoints ? (
                <small className="t-hint">
                  {" "}
                  ({t("culture.recognition.fromRules", { points: r.incentivePoints })})
                </small>
              ) : null}
            </li>
          ))}
        </ol>
      </Card>
      {/* a table of rules: the whole row of the grid, not one narrow column */}
      <div style={{ gridColumn: "1 / -1" }}>
        <IncentiveRules />
      </div>
      <Card title={t("culture.recognition.wall")}>
        <ul className="notif-list">
          {wall.data?.items.map((k) => (
            <li key={k.id}>
              <div>
                <strong>{names.get(k.from_user) ?? k.from_user}</strong> →{" "}
                <strong>{names.get(k.to_user) ?? k.to_user}</strong>
                <p className="notif-list__body">{k.message}</p>
              </div>
              <small>{fmt.date(k.created_at)}</small>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  )
}
