/** Teams and roster, and the organisation's certification gate. */
import { Badge, Button, Callout, Card, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { useCultureWrite, useGate, useRoster, useTeams } from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { PeopleMetrics } from "./PeopleMetrics"
import { useText2 } from "./shared"

export const TeamsPage = () => {
  const { t } = useTranslation()
  const session = useSession()
  const teams = useTeams()
  const roster = useRoster()
  const gate = useGate()
  const write = useCultureWrite()
  const fmt = useFormat()
  const text = useText2()
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  return (
    <div style={{ display: "grid", gap: "var(--space-5)" }}>
      <Card title={t("culture.gate.title")}>
        <p>{t("culture.gate.hint")}</p>
        {gate.data ? (
          <p>
            <Badge tone={gate.data.gateEnabled ? "ok" : undefined}>
              {gate.data.gateEnabled ? t("culture.gate.on") : t("culture.gate.off")}
            </Badge>{" "}
            {session.can("culture:manage") ? (
              <Button
                onClick={() =>
                  write.mutate({
                    method: "PUT",
                    path: "/api/v1/culture/eligibility",
                    body: { gateEnabled: !gate.data.gateEnabled },
                  })
                }
                disabled={write.isPending}
              >
                {gate.data.gateEnabled ? t("culture.gate.turnOff") : t("culture.gate.turnOn")}
              </Button>
            ) : null}
          </p>
        ) : null}
        {write.error instanceof ApiError ? <Callout tone="bad">{write.error.text()}</Callout> : null}
      </Card>
      <Card title={t("culture.teams.title")}>
        <ExportLinks
          url="/api/v1/culture/teams"
          columns={[
            ["name", t("culture.teams.team")],
            ["leaderId", t("culture.teams.leader"), "user"],
            ["channels", t("culture.teams.serves")],
            ["queues", t("culture.teams.queues")],
            ["members.userId", t("culture.teams.members"), "user"],
          ]}
        />
        {teams.isLoading ? (
          <Skeleton height={80} />
        ) : (
          <table className="t-table">
            <thead>
              <tr>
                <th>{t("culture.teams.team")}</th>
                <th>{t("culture.teams.leader")}</th>
                <th>{t("culture.teams.serves")}</th>
                <th>{t("culture.teams.members")}</th>
              </tr>
            </thead>
            <tbody>
              {teams.data?.items.map((team) => (
                <tr key={team.id}>
                  <td>
                    {text(team.name)} <code className="t-code">{team.id}</code>
                  </td>
                  <td>{team.leaderId ? (names.get(team.leaderId) ?? team.leaderId) : "—"}</td>
                  <td>{[...team.channels, ...team.queues].join(", ") || "—"}</td>
                  <td>
                    {team.members
                      .map((m) => `${names.get(m.userId) ?? m.userId} (${t(`culture.levels.${m.level}`)})`)
                      .join("、") || "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <PeopleMetrics />
      <Card title={t("culture.roster.title")}>
        <ExportLinks
          url="/api/v1/culture/roster"
          columns={[
            ["displayName", t("culture.roster.name")],
            ["startedOn", t("culture.roster.started")],
            ["leftOn", t("culture.roster.left")],
            ["languages", t("culture.roster.languages")],
          ]}
        />
        <table className="t-table">
          <thead>
            <tr>
              <th>{t("culture.roster.name")}</th>
              <th>{t("culture.roster.started")}</th>
              <th>{t("culture.roster.left")}</th>
              <th>{t("culture.roster.languages")}</th>
              <th>{t("culture.roster.teams")}</th>
            </tr>
          </thead>
          <tbody>
            {roster.data?.items.map((p) => (
              <tr key={p.userId}>
                <td>{p.displayName}</td>
                <td>{fmt.date(p.startedOn)}</td>
                <td>{p.leftOn ? fmt.date(p.leftOn) : "—"}</td>
                <td>{p.languages.join(", ")}</td>
                <td>{p.teams.map((m) => m.teamId).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  )
}
