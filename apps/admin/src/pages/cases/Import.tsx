/** Importing cases from a file, and the history of imports with their row errors. */
import { useQueryClient } from "@tanstack/react-query"
import { IMPORT_FORMATS } from "@tenet/process/case"
import { Badge, Button, Callout, Card, Field, Select } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { issueText } from "../../api/client"
import { type ImportRowError, useImports } from "../../api/process"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { ImportColumns } from "./ImportColumns"

export const ImportPage = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const qc = useQueryClient()
  const session = useSession()
  const [file, setFile] = useState<File>()
  const [format, setFormat] = useState<(typeof IMPORT_FORMATS)[number]>("csv")
  const [busy, setBusy] = useState(false)
  const imports = useImports(busy)
  const [summary, setSummary] = useState<{
    runId: string
    rows: number
    imported: number
    skipped: number
    failed: number
    errors: ImportRowError[]
  }>()
  const [error, setError] = useState<string>()
  const run = async (e: FormEvent) => {
    e.preventDefault()
    if (!file) return
    setBusy(true)
    setError(undefined)
    try {
      const res = await fetch(
        `/api/v1/process/imports?format=${format}&name=${encodeURIComponent(file.name)}`,
        {
          method: "POST",
          body: file,
          credentials: "same-origin",
          headers: {
            "content-type": "application/octet-stream",
            ...(localStorage.getItem("tenet.org")
              ? { "x-tenet-org": localStorage.getItem("tenet.org")! }
              : {}),
          },
        },
      )
      const body = await res.json()
      if (!res.ok) setError(body.errors?.[0]?.message ?? body.detail ?? body.title)
      else setSummary(body)
      await qc.invalidateQueries({ queryKey: ["imports"] })
      await qc.invalidateQueries({ queryKey: ["cases"] })
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="grid-2">
      <Card title={t("imports.title")}>
        <p className="t-hint">{t("imports.description")}</p>
        <form onSubmit={run}>
          <Field label={t("imports.file")}>
            {(p) => (
              <input
                {...p}
                type="file"
                accept=".csv,.ndjson,.json,.jsonl,.txt"
                onChange={(e) => setFile(e.target.files?.[0])}
              />
            )}
          </Field>
          <Field label={t("imports.format")}>
            {(p) => (
              <Select
                {...p}
                value={format}
                onChange={(e) => setFormat(e.target.value as (typeof IMPORT_FORMATS)[number])}
              >
                {IMPORT_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {t(`imports.formats.${f}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button type="submit" variant="primary" disabled={!file || busy || !session.can("cases:write")}>
            {busy ? t("imports.running") : t("imports.start")}
          </Button>
        </form>
        <ImportColumns format={format} />
        {error ? <Callout tone="bad">{error}</Callout> : null}
        {summary ? (
          <div style={{ marginTop: 12 }}>
            <Callout tone={summary.failed ? "warn" : undefined}>{t("imports.result", summary)}</Callout>
            {summary.errors.length ? <ErrorsTable runId={summary.runId} errors={summary.errors} /> : null}
          </div>
        ) : null}
      </Card>
      <Card title={t("imports.history")}>
        {imports.data?.items.length ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {imports.data.items.map((i) => (
              <li key={i.id}>
                {fmt.dateTime(i.startedAt)} · {i.source} · {t(`imports.formats.${i.format}`)} ·{" "}
                <Badge
                  tone={
                    i.status === "failed" || i.status === "interrupted"
                      ? "bad"
                      : i.status === "running"
                        ? "warn"
                        : "ok"
                  }
                >
                  {t(`imports.runStatus.${i.status}`)}
                </Badge>{" "}
                — {i.status === "running" ? t("imports.progress", i) : t("imports.result", i)}
                {i.status === "interrupted" ? <p className="t-hint">{t("imports.interruptedHint")}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="t-hint">{t("imports.empty")}</p>
        )}
      </Card>
    </div>
  )
}

const ErrorsTable = ({ runId, errors }: { runId: string; errors: ReadonlyArray<ImportRowError> }) => {
  const { t } = useTranslation()
  return (
    <>
      <ExportLinks
        url={`/api/v1/process/imports/${runId}`}
        columns={[
          ["line", t("imports.line")],
          ["field", t("imports.field")],
          ["message", t("imports.message")],
          ["code", t("imports.code")],
        ]}
      />
      <table className="t-table" style={{ marginTop: 8 }}>
        <thead>
          <tr>
            <th scope="col">{t("imports.line")}</th>
            <th scope="col">{t("imports.field")}</th>
            <th scope="col">{t("imports.message")}</th>
          </tr>
        </thead>
        <tbody>
          {errors.slice(0, 100).map((e) => (
            <tr key={`${e.line}-${e.field}`}>
              <td>{e.line}</td>
              <td>
                <code className="t-code">{e.field}</code>
              </td>
              <td>{issueText(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
