import { Button, Callout, DialogActions, Field, Select } from "@tenet/ui"
import { type ReactNode, useState } from "react"
import { useTranslation } from "react-i18next"
import type { ApiError } from "../api/client"
import type { Role } from "../api/types"

/** The role picker of a grant (an API key, an invitation): each role with what it may do. */
export const RoleField = ({
  label,
  role,
  onChange,
  grantable,
  error,
}: {
  label: string
  role: Role
  onChange: (r: Role) => void
  grantable: ReadonlyArray<Role>
  error: ApiError | undefined
}) => {
  const { t } = useTranslation()
  return (
    <Field label={label} hint={t(`roleHelp.${role}`)} error={error?.field("role")}>
      {(p) => (
        <Select {...p} value={role} onChange={(e) => onChange(e.target.value as Role)}>
          {grantable.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </Select>
      )}
    </Field>
  )
}

/** What a grant gives once (a key's secret, an invitation link): shown with a copy button and Close. */
export const ShownOnce = ({
  value,
  note,
  testId,
  onClose,
}: {
  value: string
  note: ReactNode
  testId: string
  onClose: () => void
}) => {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  return (
    <>
      {note}
      <p>
        <code className="t-code" data-testid={testId}>
          {value}
        </code>
      </p>
      <DialogActions>
        <Button
          onClick={() => {
            void navigator.clipboard?.writeText(value)
            setCopied(true)
          }}
        >
          {copied ? t("common.copied") : t("common.copy")}
        </Button>
        <Button variant="primary" onClick={onClose}>
          {t("common.close")}
        </Button>
      </DialogActions>
    </>
  )
}

/** The error of a grant form that names no field. */
export const FormError = ({ error }: { error: ApiError | undefined }) =>
  error && !error.fieldErrors.length ? <Callout tone="bad">{error.detail ?? error.title}</Callout> : null
