import * as RadixDialog from "@radix-ui/react-dialog"
import {
  type ButtonHTMLAttributes,
  createContext,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  useCallback,
  useContext,
  useEffect,
  useId,
  useState,
} from "react"

const cx = (...c: Array<string | false | undefined | null>) => c.filter(Boolean).join(" ")

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly variant?: "default" | "primary" | "danger" | "ghost"
  readonly size?: "md" | "sm"
}
/** A button. `variant="primary"` for the one main action of a view. */
export const Button = ({
  variant = "default",
  size = "md",
  className,
  type = "button",
  ...rest
}: ButtonProps) => (
  <button
    type={type}
    className={cx(
      "t-btn",
      variant !== "default" && `t-btn--${variant}`,
      size === "sm" && "t-btn--sm",
      className,
    )}
    {...rest}
  />
)

export interface FieldProps {
  readonly label: ReactNode
  readonly hint?: ReactNode
  readonly error?: string | undefined
  readonly children: (props: {
    id: string
    "aria-invalid": boolean
    "aria-describedby"?: string
  }) => ReactNode
}
/** A labelled form field with its hint and its error (from the API's problem+json `errors`). */
export const Field = ({ label, hint, error, children }: FieldProps) => {
  const id = useId()
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined
  return (
    <div className="t-field">
      <label className="t-label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        "aria-invalid": Boolean(error),
        ...(described ? { "aria-describedby": described } : {}),
      })}
      {error ? (
        <span className="t-error-text" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="t-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  )
}

export const Input = ({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) => (
  <input className={cx("t-input", className)} {...rest} />
)
export const Select = ({ className, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) => (
  <select className={cx("t-select", className)} {...rest} />
)

export const Badge = ({
  tone,
  children,
  title,
}: {
  tone?: "ok" | "warn" | "bad" | "accent" | undefined
  children: ReactNode
  title?: string | undefined
}) => (
  <span className={cx("t-badge", tone && `t-badge--${tone}`)} title={title}>
    {children}
  </span>
)

export const Card = ({
  title,
  children,
  className,
}: {
  title?: ReactNode
  children: ReactNode
  className?: string
}) => (
  <section className={cx("t-card", className)}>
    <div className="t-card__body">
      {title ? <h2 className="t-card__title">{title}</h2> : null}
      {children}
    </div>
  </section>
)

export const PageHeader = ({
  title,
  description,
  actions,
}: {
  title: ReactNode
  description?: ReactNode
  actions?: ReactNode
}) => (
  <header className="t-page-header">
    <div>
      <h1>{title}</h1>
      {description ? <p>{description}</p> : null}
    </div>
    {actions ? <div style={{ display: "flex", gap: 8 }}>{actions}</div> : null}
  </header>
)

export const EmptyState = ({
  icon = "○",
  title,
  children,
}: {
  icon?: ReactNode
  title: ReactNode
  children?: ReactNode
}) => (
  <div className="t-state" role="status">
    <div className="t-state__icon" aria-hidden>
      {icon}
    </div>
    <div className="t-state__title">{title}</div>
    {children}
  </div>
)

export const ErrorState = ({
  title,
  children,
  onRetry,
  retryLabel,
}: {
  title: ReactNode
  children?: ReactNode
  onRetry?: () => void
  retryLabel?: string
}) => (
  <div className="t-state t-state--error" role="alert">
    <div className="t-state__icon" aria-hidden>
      ⚠
    </div>
    <div className="t-state__title">{title}</div>
    {children}
    {onRetry ? <Button onClick={onRetry}>{retryLabel ?? "Retry"}</Button> : null}
  </div>
)

export const Skeleton = ({ width = "100%", height = 14 }: { width?: number | string; height?: number }) => (
  <div className="t-skeleton" style={{ width, height }} aria-hidden />
)

export const Callout = ({ tone, children }: { tone?: "warn" | "bad" | undefined; children: ReactNode }) => (
  <div className={cx("t-callout", tone && `t-callout--${tone}`)}>{children}</div>
)

export interface DialogProps {
  readonly open: boolean
  readonly onOpenChange: (open: boolean) => void
  readonly title: ReactNode
  readonly description?: ReactNode
  readonly children: ReactNode
}
/** A modal dialog on Radix (focus trap, Escape, aria wiring). */
export const Dialog = ({ open, onOpenChange, title, description, children }: DialogProps) => (
  <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="t-dialog-overlay" />
      <RadixDialog.Content className="t-dialog" {...(description ? {} : { "aria-describedby": undefined })}>
        <RadixDialog.Title className="t-dialog__title">{title}</RadixDialog.Title>
        {description ? (
          <RadixDialog.Description className="t-dialog__desc">{description}</RadixDialog.Description>
        ) : null}
        {children}
      </RadixDialog.Content>
    </RadixDialog.Portal>
  </RadixDialog.Root>
)
export const DialogActions = ({ children }: { children: ReactNode }) => (
  <div className="t-dialog__actions">{children}</div>
)

interface Toast {
  id: number
  text: ReactNode
  tone?: "bad" | undefined
}
const ToastContext = createContext<(text: ReactNode, tone?: "bad") => void>(() => {})
/** Transient messages, announced to screen readers. */
export const ToastProvider = ({ children }: { children: ReactNode }) => {
  const [toasts, setToasts] = useState<Toast[]>([])
  const push = useCallback((text: ReactNode, tone?: "bad") => {
    const id = Date.now() + Math.random()
    setToasts((t) => [...t, { id, text, tone }])
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 5000)
  }, [])
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className="t-toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={cx("t-toast", t.tone === "bad" && "t-toast--bad")}>
            {t.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}
export const useToast = () => useContext(ToastContext)

/** Ask before a destructive action. */
export const ConfirmDialog = ({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean
  title: ReactNode
  children: ReactNode
  confirmLabel: string
  cancelLabel: string
  onConfirm: () => void
  onCancel: () => void
}) => (
  <Dialog open={open} onOpenChange={(o) => !o && onCancel()} title={title}>
    <p>{children}</p>
    <DialogActions>
      <Button onClick={onCancel}>{cancelLabel}</Button>
      <Button variant="danger" onClick={onConfirm}>
        {confirmLabel}
      </Button>
    </DialogActions>
  </Dialog>
)

/** A search box that applies on Enter or with its button (tables keep the query in the URL). */
export const SearchBox = ({
  value,
  onSearch,
  label,
  buttonLabel,
  width,
}: {
  value: string
  onSearch: (q: string | undefined) => void
  label: string
  buttonLabel: string
  width?: number
}) => {
  const [q, setQ] = useState(value)
  useEffect(() => setQ(value), [value])
  return (
    // biome-ignore lint/a11y/useSemanticElements: a form is the control here; role="search" names it a landmark (the <search> element is not in React's DOM types yet)
    <form
      onSubmit={(e) => {
        e.preventDefault()
        onSearch(q.trim() || undefined)
      }}
      style={{ display: "flex", gap: 6 }}
      role="search"
    >
      <Input
        aria-label={label}
        placeholder={label}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        style={width ? { width } : undefined}
      />
      <Button type="submit" size="sm">
        {buttonLabel}
      </Button>
    </form>
  )
}
