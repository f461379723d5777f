/** Knowledge base, standard phrasing and lessons learned, with search that works for Chinese. */
import { Badge, Card, EmptyState, SearchBox, Skeleton } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useArticles } from "../../api/culture"

export const KnowledgePage = () => {
  const { t } = useTranslation()
  const [q, setQ] = useState("")
  const articles = useArticles(q.trim())
  return (
    <Card title={t("culture.knowledge.title")}>
      <SearchBox
        value={q}
        onSearch={(v) => setQ(v ?? "")}
        label={t("culture.knowledge.search")}
        buttonLabel={t("culture.knowledge.searchButton")}
      />
      {articles.isLoading ? (
        <Skeleton height={80} />
      ) : articles.data?.items.length === 0 ? (
        <EmptyState icon="✦" title={t("culture.knowledge.none")} />
      ) : (
        <ul className="notif-list" data-testid="articles">
          {articles.data?.items.map((a) => (
            <li key={a.id}>
              <div>
                <strong>{a.title}</strong> <Badge>{t(`culture.knowledge.kinds.${a.kind}`)}</Badge>{" "}
                {a.outcome ? (
                  <Badge tone={a.outcome === "success" ? "ok" : "bad"}>
                    {t(`culture.knowledge.outcomes.${a.outcome}`)}
                  </Badge>
                ) : null}
                {a.excerpt ? <p className="notif-list__body">{a.excerpt}</p> : null}
              </div>
              <small>v{a.version}</small>
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}
