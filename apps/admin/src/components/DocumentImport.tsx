import { useMutation } from "@tanstack/react-query"
import { Button, Callout, Card, Field, Select } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, issueText } from "../api/client"

/**
 * Import a data-only document (a standard library, a workflow definition) as JSON or YAML:
 * pasted text, posted as `{ format, text }`; field errors are listed with their path.
 */
export const DocumentImport = <R,>({
  title,
  hint,
  path,
  onImported,
  testId,
}: {
  title: string
  hint: string
  path: string
  onImported: (r: R) => void
  testId?: string
}) => {
  const { t } = useTranslation()
  const [format, setFormat] = useState<"yaml" | "json">("yaml")
  const [text, setText] = useState("")
  const imp = useMutation({
    mutationFn: () => api<R>(path, { method: "POST", body: { format, text } }),
    onSuccess: (r) => {
      setText("")
      onImported(r)
    },
  })
  const err = imp.error instanceof ApiError ? imp.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    imp.mutate()
  }
  return (
    <Card title={title}>
      <p className="t-hint">{hint}</p>
      <form onSubmit={submit} data-testid={testId}>
        <Field label={t("standards.format")}>
          {(p) => (
            <Select {...p} value={format} onChange={(e) => setFormat(e.target.value as "yaml" | "json")}>
              <option value="yaml">YAML</option>
              <option value="json">JSON</option>
            </Select>
          )}
        </Field>
        <Field label={t("standards.document")}>
          {(p) => (
            <textarea
              {...p}
              className="t-input"
              style={{ height: 160, padding: 8, fontFamily: "var(--font-mono)" }}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
        {err ? (
          <Callout tone="bad">
            {err.fieldErrors.length ? (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {err.fieldErrors.map((f) => (
                  <li key={f.path}>
                    <code className="t-code">{f.path}</code>: {issueText(f)}
                  </li>
                ))}
              </ul>
            ) : (
              (err.detail ?? err.title)
            )}
          </Callout>
        ) : null}
        <div style={{ marginTop: 8 }}>
          <Button type="submit" variant="primary" disabled={!text.trim() || imp.isPending}>
            {title}
          </Button>
        </div>
      </form>
    </Card>
  )
}
