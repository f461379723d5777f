/**
 * Risk libraries: Tenet's own and the loaded plugins' (installed with one click), importing one's own
 * (`tenet-risk-library/v1`, YAML or JSON, pasted or read from a file; each problem listed with the path
 * it is at in the document), and the matrices and categories the organisation holds.
 */
import { Badge, Button, Callout, Card, FieldRow, SelectField, Skeleton, TextField, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { type ApiError, issueText } from "../../api/client"
import { useSession } from "../../session"
import { errorOf, useMatrices, useRiskPost } from "./Forms"
import { type LibraryInfo, loc, useCategories, useLibraries } from "./model"

/** Each problem of a refused import with where it is: `matrices[0].bands[1].colour: 颜色须写作 #rrggbb。` */
const ImportProblems = ({ error }: { error: ApiError | undefined }) => {
  const { t } = useTranslation()
  if (!error) return null
  if (!error.fieldErrors.length) return <Callout tone="bad">{error.text()}</Callout>
  return (
    <Callout tone="bad">
      <strong>{t("risk.library.refused", { n: error.fieldErrors.length })}</strong>
      <ul data-testid="library-problems" style={{ margin: "4px 0 0" }}>
        {error.fieldErrors.map((e, i) => {
          const at = String(e.params?.at ?? e.path.replace(/^\/(document\/?)?/, "").replace(/\//g, "."))
          return (
            <li key={i}>
              <code>{at || t("risk.library.document")}</code>: {issueText(e)}
            </li>
          )
        })}
      </ul>
    </Callout>
  )
}

const Install = ({ lib }: { lib: LibraryInfo }) => {
  const { t, i18n } = useTranslation()
  const toast = useToast()
  const install = useRiskPost<undefined>(`/api/v1/risk/libraries/${encodeURIComponent(lib.id)}/install`, () =>
    toast(t("risk.library.installed", { name: loc(lib.name, i18n.language) })),
  )
  return (
    <>
      <Button size="sm" disabled={install.isPending} onClick={() => install.mutate(undefined)}>
        {t("risk.library.install")}
      </Button>
      <ImportProblems error={errorOf(install.error)} />
    </>
  )
}

const ImportCard = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const [format, setFormat] = useState<"yaml" | "json">("yaml")
  const [text, setText] = useState("")
  const save = useRiskPost<{ format: string; text: string }>("/api/v1/risk/libraries", () => {
    toast(t("risk.library.imported"))
    setText("")
  })
  const read = async (file: File | undefined) => {
    if (!file) return
    setFormat(/\.json$/i.test(file.name) ? "json" : "yaml")
    setText(await file.text())
  }
  return (
    <Card>
      <h2 style={{ fontSize: 16 }}>{t("risk.library.importTitle")}</h2>
      <p className="t-hint">{t("risk.library.importHint")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate({ format, text })
        }}
      >
        <FieldRow>
          <SelectField
            label={t("risk.library.format")}
            value={format}
            onChange={setFormat}
            options={[
              { value: "yaml", label: "YAML" },
              { value: "json", label: "JSON" },
            ]}
          />
          <label className="t-field">
            <span className="t-label">{t("risk.library.file")}</span>
            <input type="file" accept=".yaml,.yml,.json" onChange={(e) => void read(e.target.files?.[0])} />
          </label>
        </FieldRow>
        <TextField label={t("risk.library.text")} rows={10} value={text} onChange={setText} />
        <ImportProblems error={errorOf(save.error)} />
        <Button type="submit" variant="primary" disabled={!text.trim() || save.isPending}>
          {t("risk.library.import")}
        </Button>
      </form>
    </Card>
  )
}

export const LibrariesPage = () => {
  const { t, i18n } = useTranslation()
  const libs = useLibraries()
  const matrices = useMatrices()
  const cats = useCategories()
  const session = useSession()
  if (libs.isLoading || matrices.isLoading) return <Skeleton height={240} />
  const canManage = session.can("risk:manage")
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("risk.library.available")}</h2>
        <ul data-testid="risk-libraries">
          {(libs.data?.items ?? []).map((l) => (
            <li key={`${l.source}-${l.id}`}>
              {loc(l.name, i18n.language)}{" "}
              <Badge>{l.source === "builtin" ? t("risk.library.builtin") : l.source}</Badge>{" "}
              <span className="t-hint">
                {t("risk.library.holds", {
                  version: l.version,
                  matrices: l.matrices.length,
                  categories: l.categories.length,
                })}
              </span>{" "}
              {canManage ? <Install lib={l} /> : null}
            </li>
          ))}
        </ul>
      </Card>
      {canManage ? <ImportCard /> : null}
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("risk.library.matrices")}</h2>
        {(matrices.data?.items ?? []).map((m) => (
          <section key={m.id} aria-label={loc(m.name, i18n.language)} style={{ marginBottom: 8 }}>
            <h3 style={{ fontSize: 14 }}>
              {loc(m.name, i18n.language)} · {m.likelihood.length}×{m.impact.length}{" "}
              {m.isDefault ? <Badge tone="accent">{t("risk.library.default")}</Badge> : null}{" "}
              <span className="t-hint">{m.id}</span>
            </h3>
            <p style={{ display: "flex", flexWrap: "wrap", gap: 8, margin: 0 }}>
              {m.bands.map((b) => (
                <span key={b.id}>
                  <span
                    aria-hidden
                    style={{
                      display: "inline-block",
                      width: 10,
                      height: 10,
                      borderRadius: 5,
                      background: b.colour,
                      marginRight: 4,
                    }}
                  />
                  {loc(b.name, i18n.language)} {b.min}–{b.max}
                </span>
              ))}
            </p>
          </section>
        ))}
      </Card>
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("risk.library.categories")}</h2>
        <ul data-testid="risk-categories">
          {(cats.data?.items ?? []).map((c) => (
            <li key={c.id}>
              {loc(c.name, i18n.language)} <span className="t-hint">{c.id}</span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  )
}
