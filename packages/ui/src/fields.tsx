/**
 * Form fields in one piece: a `Field` (label, hint, the API's error) with its control, so a form says
 * what it asks for in one line instead of repeating the Field/Input block.
 */
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react"
import { Field, Input, Select } from "./primitives"

interface Labelled {
  readonly label: ReactNode
  readonly hint?: ReactNode
  readonly error?: string | undefined
}

export interface TextFieldProps
  extends Labelled,
    Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange"> {
  readonly value: string
  readonly onChange: (value: string) => void
  /** A text area of this many lines instead of a one-line input. */
  readonly rows?: number | undefined
}
/** A labelled text input (or, with `rows`, a text area) with its hint and its error. */
export const TextField = ({ label, hint, error, value, onChange, rows, ...rest }: TextFieldProps) => (
  <Field label={label} hint={hint} error={error}>
    {(p) =>
      rows ? (
        <textarea
          {...p}
          className="t-input"
          style={{ height: rows * 24 + 16, padding: 8 }}
          value={value}
          required={rest.required}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <Input {...p} {...rest} value={value} onChange={(e) => onChange(e.target.value)} />
      )
    }
  </Field>
)

export interface SelectFieldProps<V extends string>
  extends Labelled,
    Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "value" | "onChange"> {
  readonly value: V
  readonly onChange: (value: V) => void
  /** The choices, in order: a value and what the reader sees. */
  readonly options: ReadonlyArray<{ readonly value: V; readonly label: string }>
}
/** A labelled select with its hint and its error. */
export const SelectField = <V extends string>({
  label,
  hint,
  error,
  value,
  onChange,
  options,
  ...rest
}: SelectFieldProps<V>) => (
  <Field label={label} hint={hint} error={error}>
    {(p) => (
      <Select {...p} {...rest} value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    )}
  </Field>
)

/** A checkbox with its label beside it. */
export const CheckboxField = (props: {
  readonly label: ReactNode
  readonly checked: boolean
  readonly onChange: (checked: boolean) => void
  readonly disabled?: boolean | undefined
}) => (
  <label style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
    <input
      type="checkbox"
      checked={props.checked}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.target.checked)}
    />
    {props.label}
  </label>
)

/** Form fields side by side, two a line unless told otherwise. */
export const FieldRow = ({ children, columns = 2 }: { children: ReactNode; columns?: number }) => (
  <div
    className="t-field-row"
    style={{ display: "grid", gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: 8 }}
  >
    {children}
  </div>
)
