import { Card, EmptyState, PageHeader } from "@tenet/ui"
import { useTranslation } from "react-i18next"

export type ModuleKey =
  | "dashboard"
  | "cases"
  | "standards"
  | "quality"
  | "feedback"
  | "risk"
  | "culture"
  | "improvements"
  | "plugins"

/** A module whose screens are not built yet: says so plainly, and what is planned. */
export const ComingSoon = ({ module }: { module: ModuleKey }) => {
  const { t } = useTranslation()
  const name = t(`nav.${module}`)
  return (
    <>
      <PageHeader title={name} />
      <Card>
        <EmptyState icon="🚧" title={t("comingSoon.title", { module: name })}>
          <p style={{ maxWidth: 560, margin: 0 }}>{t("comingSoon.body")}</p>
          <p style={{ maxWidth: 560, margin: 0 }} className="t-hint">
            {t("comingSoon.planned", { what: t(`comingSoon.${module}`) })}
          </p>
        </EmptyState>
      </Card>
    </>
  )
}
