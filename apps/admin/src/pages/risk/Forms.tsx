/**
 * What the risk screens' forms share: the dialog, the POST that refreshes the risk queries, the error
 * shown under its field or above the buttons, date-time inputs, and installing the built-in library.
 * The forms themselves: `RiskForms` (a risk, its rating), `KriForms`, `PlanForm`, `Treatments`, `Exercises`.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Button, Callout, Dialog, DialogActions, useToast } from "@tenet/ui"
import type { FormEvent, ReactNode } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg, issueText } from "../../api/client"
import type { Matrix } from "./model"

const BUILTIN_LIBRARY = "tenet-service-risks"

/** A date-time for a `datetime-local` input, in the browser's time zone. */
export const localInput = (d: Date) =>
  new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
/** A `datetime-local` value as an ISO instant ("" stays "", for the server to name). */
export const isoOf = (v: string) => (v ? new Date(v).toISOString() : "")

export const useMatrices = () =>
  useQuery({
    queryKey: ["risk", "matrices", getCurrentOrg()],
    queryFn: () => api<{ items: Array<Matrix & { isDefault: boolean }> }>("/api/v1/risk/matrices"),
  })

/** A POST (or PATCH) that refreshes every risk query when it succeeds, then calls `done`. */
export const useRiskPost = <B,>(path: string, done: () => void, method: "POST" | "PATCH" = "POST") => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: B) => api<{ id?: string }>(path, { method, body }),
    // the dialog closes once the screens show the change, not before
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["risk"] })
      done()
    },
  })
}

export const errorOf = (e: unknown) => (e instanceof ApiError ? e : undefined)

export const Failure = ({ error }: { error: ApiError | undefined }) =>
  error && error.fieldErrors.length === 0 ? <Callout tone="bad">{error.text()}</Callout> : null

/** Every problem of a failed action that has no form fields to put them under. */
export const Problems = ({ error }: { error: ApiError | undefined }) =>
  error ? (
    <Callout tone="bad">
      {error.fieldErrors.length ? error.fieldErrors.map((e) => issueText(e)).join("；") : error.text()}
    </Callout>
  ) : null

/** Install Tenet's built-in categories and matrices (seed 000 §6.1), for an organisation that has none. */
export const InstallLibrary = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const install = useRiskPost<undefined>(`/api/v1/risk/libraries/${BUILTIN_LIBRARY}/install`, () =>
    toast(t("risk.forms.installed")),
  )
  return (
    <>
      <Button variant="primary" disabled={install.isPending} onClick={() => install.mutate(undefined)}>
        {t("risk.forms.install")}
      </Button>
      <Failure error={errorOf(install.error)} />
    </>
  )
}

export const FormDialog = (props: {
  open: boolean
  onOpenChange: (o: boolean) => void
  title: string
  submit: string
  busy: boolean
  error: ApiError | undefined
  onSubmit: () => void
  children: ReactNode
}) => {
  const { t } = useTranslation()
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange} title={props.title}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault()
          props.onSubmit()
        }}
      >
        {props.children}
        <Failure error={props.error} />
        <DialogActions>
          <Button type="button" onClick={() => props.onOpenChange(false)}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={props.busy}>
            {props.submit}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
