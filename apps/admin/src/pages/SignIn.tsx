import { useQuery, useQueryClient } from "@tanstack/react-query"
import { useNavigate, useSearch } from "@tanstack/react-router"
import { Button, Callout, Card, Field, Input, Select } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, call, issueText, tenet } from "../api/client"
import { LANGUAGES, type Language, setLanguage } from "../i18n"

interface SsoProvider {
  slug: string
  organization: string
  displayName: string
  passwordSignIn: boolean
}

/**
 * Single sign-on on the sign-in page: the organisation by its short name (from `?org=`, as in the
 * link Settings → Single sign-on gives, or typed), then a button to its identity provider.
 */
const SsoSection = ({ initialOrg, ssoError }: { initialOrg: string; ssoError: string | undefined }) => {
  const { t } = useTranslation()
  const [typed, setTyped] = useState(initialOrg)
  const [slug, setSlug] = useState(initialOrg)
  const provider = useQuery({
    queryKey: ["sso-provider", slug],
    queryFn: () => api<{ provider: SsoProvider | null }>(`/api/v1/auth/sso/orgs/${encodeURIComponent(slug)}`),
    enabled: slug !== "",
  })
  const p = provider.data?.provider
  return (
    <div style={{ marginTop: 16, borderTop: "1px solid var(--t-border, #ddd)", paddingTop: 12 }}>
      {ssoError ? (
        <div style={{ marginBottom: 12 }}>
          <Callout tone="bad">{issueText({ message: ssoError, code: ssoError })}</Callout>
        </div>
      ) : null}
      {p ? (
        <>
          {!p.passwordSignIn ? (
            <p className="t-hint">{t("sso.passwordOff", { org: p.organization })}</p>
          ) : null}
          <a
            className="t-btn t-btn--primary"
            href={`/api/v1/auth/sso/orgs/${encodeURIComponent(p.slug)}/start`}
            data-testid="sso-sign-in"
            style={{ display: "flex", width: "100%", justifyContent: "center", textDecoration: "none" }}
          >
            {t("sso.signInWith", { name: p.displayName })}
          </a>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            setSlug(typed.trim().toLowerCase())
          }}
          style={{ display: "flex", gap: 8, alignItems: "flex-end" }}
        >
          <div style={{ flex: 1 }}>
            <Field
              label={`${t("sso.orSso")} · ${t("sso.orgSlug")}`}
              error={provider.data && !p ? t("sso.unknownOrg") : undefined}
            >
              {(f) => (
                <Input
                  {...f}
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                  data-testid="sso-org"
                />
              )}
            </Field>
          </div>
          <Button type="submit" style={{ marginBottom: 12 }}>
            {t("sso.continue")}
          </Button>
        </form>
      )}
    </div>
  )
}

export const LanguagePicker = () => {
  const { t, i18n } = useTranslation()
  return (
    <Select
      aria-label={t("topbar.language")}
      value={i18n.language}
      onChange={(e) => void setLanguage(e.target.value as Language)}
      data-testid="language-switcher"
    >
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.label}
        </option>
      ))}
    </Select>
  )
}

/** While `tenet start` seeds the demo organisation behind a new data folder: say so, and when it is done. */
const DemoSeeding = () => {
  const { t } = useTranslation()
  const status = useQuery({
    queryKey: ["server-status"],
    queryFn: () => call(tenet.GET("/api/v1/status")),
    refetchInterval: (q) => (q.state.data?.demo === "seeding" ? 2000 : false),
  })
  const demo = status.data?.demo
  if (demo === "seeding")
    return (
      <div style={{ marginBottom: 12 }} data-testid="demo-seeding">
        <Callout>{t("signIn.demoSeeding")}</Callout>
      </div>
    )
  if (demo === "failed")
    return (
      <div style={{ marginBottom: 12 }}>
        <Callout tone="bad">{t("signIn.demoFailed")}</Callout>
      </div>
    )
  return null
}

export const SignInPage = () => {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const search = useSearch({ from: "/sign-in" })
  const [email, setEmail] = useState("")
  const [password, setPassword] = useState("")
  const [error, setError] = useState<ApiError | Error | undefined>()
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await api("/api/v1/auth/sign-in", { method: "POST", body: { email, password } })
      await qc.invalidateQueries({ queryKey: ["me"] })
      await navigate({ to: "/" })
    } catch (err) {
      setError(err as Error)
    } finally {
      setBusy(false)
    }
  }
  const apiError = error instanceof ApiError ? error : undefined
  return (
    <div className="auth-page">
      <div className="auth-card">
        <Card>
          <div className="auth-card__top">
            <div className="brand" style={{ padding: 0 }}>
              <span className="brand__mark" aria-hidden>
                T
              </span>
              <span>
                <strong>{t("app.name")}</strong>
                <small>{t("app.tagline")}</small>
              </span>
            </div>
            <LanguagePicker />
          </div>
          <h1 style={{ fontSize: 20, margin: "0 0 16px" }}>{t("signIn.title")}</h1>
          <DemoSeeding />
          <form onSubmit={submit} noValidate>
            <Field label={t("signIn.email")} error={apiError?.field("email")}>
              {(p) => (
                <Input
                  {...p}
                  type="email"
                  autoComplete="username"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  required
                />
              )}
            </Field>
            <Field label={t("signIn.password")} error={apiError?.field("password")}>
              {(p) => (
                <Input
                  {...p}
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  required
                />
              )}
            </Field>
            {error && !apiError?.fieldErrors.length ? (
              <div style={{ marginBottom: 12 }}>
                <Callout tone="bad">{apiError ? apiError.text() : t("errors.network")}</Callout>
              </div>
            ) : null}
            <Button
              type="submit"
              variant="primary"
              disabled={busy}
              style={{ width: "100%", justifyContent: "center" }}
            >
              {busy ? t("signIn.submitting") : t("signIn.submit")}
            </Button>
          </form>
          <SsoSection initialOrg={search.org ?? ""} ssoError={search.ssoError} />
          <p className="t-hint" style={{ marginTop: 16 }}>
            {t("signIn.demoHint", { email: "owner@demo.tenet.local", password: "tenet-demo-2026" })}
          </p>
        </Card>
      </div>
    </div>
  )
}
