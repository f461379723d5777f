/** A customer's consent history (service contact, surveys, marketing), shown on the customers page. */
import { Badge, Card, ErrorState, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useFormat } from "../../format"
import { useConsents } from "./model"

export const ConsentHistory = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const consents = useConsents(customerId)
  if (consents.isLoading) return <Skeleton height={80} />
  // a role without privacy:read gets 403: say so quietly rather than fail the page
  if (consents.error) return <ErrorState title={t("privacy.loadError")} />
  const items = consents.data?.items ?? []
  return (
    <Card>
      <h2 style={{ fontSize: 16 }} data-testid="consent-history">
        {t("privacy.consents.title")} · <code>{customerId}</code>
      </h2>
      {consents.data?.restrictedSince ? (
        <Badge tone="warn">
          {t("privacy.consents.restricted", { at: f.dateTime(consents.data.restrictedSince) })}
        </Badge>
      ) : null}
      {items.length ? (
        <ul>
          {items.map((c) => (
            <li key={c.id}>
              {t("privacy.consents.line", {
                channel: t(`privacy.consents.channels.${c.channel}`),
                state: t(c.granted ? "privacy.consents.granted" : "privacy.consents.withdrawn"),
                version: c.noticeVersion,
                source: c.source,
                by: c.recordedBy,
                at: f.dateTime(c.recordedAt),
              })}
            </li>
          ))}
        </ul>
      ) : (
        <p className="t-hint">{t("privacy.consents.none")}</p>
      )}
    </Card>
  )
}
