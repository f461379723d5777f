import { Link, useSearch } from "@tanstack/react-router"
import { Button, Callout, Card, Field, Input } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../api/client"
import { LanguagePicker } from "./SignIn"

export const AcceptInvitationPage = () => {
  const { t } = useTranslation()
  const { token } = useSearch({ strict: false }) as { token?: string }
  const [name, setName] = useState("")
  const [password, setPassword] = useState("")
  const [error, setError] = useState<Error>()
  const [done, setDone] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    try {
      await api("/api/v1/auth/accept-invitation", {
        method: "POST",
        body: { token: token ?? "", name, password },
      })
      setDone(true)
    } catch (err) {
      setError(err as Error)
    }
  }
  const apiError = error instanceof ApiError ? error : undefined
  return (
    <div className="auth-page">
      <div className="auth-card">
        <Card>
          <div className="auth-card__top">
            <h1 style={{ fontSize: 20, margin: 0 }}>{t("accept.title")}</h1>
            <LanguagePicker />
          </div>
          {done ? (
            <>
              <Callout>{t("accept.done")}</Callout>
              <p>
                <Link to="/sign-in">{t("signIn.submit")}</Link>
              </p>
            </>
          ) : !token ? (
            <Callout tone="bad">{t("accept.missingToken")}</Callout>
          ) : (
            <form onSubmit={submit} noValidate>
              <p>{t("accept.intro")}</p>
              <Field label={t("accept.name")} error={apiError?.field("name")}>
                {(p) => (
                  <Input {...p} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
                )}
              </Field>
              <Field
                label={t("accept.password")}
                hint={t("accept.passwordHint")}
                error={apiError?.field("password")}
              >
                {(p) => (
                  <Input
                    {...p}
                    type="password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    autoComplete="new-password"
                  />
                )}
              </Field>
              {apiError?.field("token") ? <Callout tone="bad">{apiError.field("token")}</Callout> : null}
              <Button type="submit" variant="primary">
                {t("accept.submit")}
              </Button>
            </form>
          )}
        </Card>
      </div>
    </div>
  )
}
