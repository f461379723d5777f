/**
 * The admin's request layer: `tenet` (the typed @tenet/client, generated from the server's OpenAPI document)
 * with `call(...)`, and the older untyped `api<T>(path)` for pages not moved to the client yet. Both send the
 * same-origin session cookie and the current organisation, and throw the same `ApiError` / `NetworkError`.
 */
import { createTenetClient, type Problem } from "@tenet/client"
import { i18next } from "../i18n"
import { ifMatch, remember } from "./versions"

export interface FieldError {
  readonly path: string
  readonly message: string
  /** A code the API gives common messages, translated in `apiErrors`. */
  readonly code?: string
  readonly params?: Readonly<Record<string, string | number>>
}

/** Values that are statuses (of a case, a cycle or a standard's version) or roles are shown by their label. */
const STATUS_PARAMS = new Set(["status", "from", "to"])
const STATUS_NAMESPACE: Readonly<Record<string, string>> = {
  cycleStatus: "improvements.statuses",
  publishBeforeApproval: "standards.statuses",
  versionStepNotAllowed: "standards.statuses",
}
const labelled = (code: string, params: Readonly<Record<string, string | number>> | undefined) =>
  Object.fromEntries(
    Object.entries(params ?? {}).map(([k, v]) => {
      const key =
        k === "role"
          ? `roles.${v}`
          : STATUS_PARAMS.has(k)
            ? `${STATUS_NAMESPACE[code] ?? "statuses"}.${v}`
            : undefined
      return [k, key && i18next.exists(key) ? i18next.t(key) : v]
    }),
  )

/** A field error (or import row error) in the reader's language when its code is known; else the API's text. */
export const issueText = (e: {
  message: string
  code?: string | undefined
  params?: Readonly<Record<string, string | number>> | undefined
}) =>
  e.code && i18next.exists(`apiErrors.${e.code}`)
    ? i18next.t(`apiErrors.${e.code}`, labelled(e.code, e.params))
    : e.message

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly fieldErrors: ReadonlyArray<FieldError>,
    /** A code for the whole problem (a 429's `signInThrottled`), translated in `apiErrors`. */
    readonly code?: string | undefined,
    readonly params?: Readonly<Record<string, string | number>> | undefined,
  ) {
    super(detail ?? title)
  }
  /** The problem in the reader's language when its code is known; else the API's text. */
  text() {
    return issueText({ message: this.detail ?? this.title, code: this.code, params: this.params })
  }
  /** The message for one field ("/email" → "must be an email address"). */
  field(name: string) {
    const e = this.fieldErrors.find((e) => e.path === `/${name}` || e.path.startsWith(`/${name}/`))
    return e ? issueText(e) : undefined
  }
}

export class NetworkError extends Error {}

/**
 * Any error of a request as a sentence in the reader's language: a problem's code (or its first
 * field's) when it is known, else the API's text.
 */
export const problemText = (err: unknown): string => {
  if (err instanceof ApiError) {
    if (err.code && i18next.exists(`apiErrors.${err.code}`)) return err.text()
    const first = err.fieldErrors.find((f) => f.code && i18next.exists(`apiErrors.${f.code}`))
    return first ? issueText(first) : err.text()
  }
  return err instanceof Error ? err.message : String(err)
}

let currentOrg: string | null = localStorage.getItem("tenet.org")
export const getCurrentOrg = () => currentOrg
export const setCurrentOrg = (id: string | null) => {
  currentOrg = id
  if (id) localStorage.setItem("tenet.org", id)
  else localStorage.removeItem("tenet.org")
}

/** The typed client of the API for the current organisation (paths, bodies and answers from the OpenAPI document). */
export const tenet = createTenetClient({ org: () => currentOrg })
tenet.use({
  onRequest({ request }) {
    const tag = ifMatch(request.method, request.url)
    if (tag && !request.headers.has("if-match")) request.headers.set("if-match", tag)
    return request
  },
  onResponse({ request, response }) {
    remember(request.method, request.url, response)
    return response
  },
})

/** A problem answer (problem+json, or any failed answer) as the `ApiError` the pages show. */
const toApiError = (res: Response, body: unknown): ApiError => {
  const data = (typeof body === "object" && body !== null ? body : {}) as Partial<Problem>
  // a problem as a whole with a code (notFound, rateLimited, bodyTooLarge, signInThrottled…): in the
  // reader's language (a conflict's own English detail says more than the generic "conflict")
  const code = typeof data?.code === "string" && data.code !== "conflict" ? data.code : undefined
  const detail = code
    ? issueText({ message: data.detail ?? data.title ?? res.statusText, code, params: data.params })
    : data?.detail
  return new ApiError(
    res.status,
    data?.title ?? res.statusText,
    detail,
    data?.errors ?? [],
    code,
    data?.params,
  )
}

/**
 * The data of a typed request, or the `ApiError` / `NetworkError` the pages show:
 * `call(tenet.GET("/api/v1/org"))`.
 */
export const call = async <R extends { data?: unknown; error?: unknown; response: Response }>(
  request: Promise<R>,
): Promise<Exclude<R["data"], undefined>> => {
  let answer: R
  try {
    answer = await request
  } catch {
    throw new NetworkError("network")
  }
  if (answer.error !== undefined || !answer.response.ok) throw toApiError(answer.response, answer.error)
  return answer.data as Exclude<R["data"], undefined>
}

export const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
  const headers: Record<string, string> = { accept: "application/json" }
  if (init.body !== undefined) headers["content-type"] = "application/json"
  if (currentOrg) headers["x-tenet-org"] = currentOrg
  const method = init.method ?? "GET"
  const tag = ifMatch(method, path)
  if (tag) headers["if-match"] = tag
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    })
  } catch {
    throw new NetworkError("network")
  }
  remember(method, path, res)
  if (res.status === 204) return undefined as T
  const text = await res.text()
  const data = text ? JSON.parse(text) : undefined
  if (!res.ok) throw toApiError(res, data)
  return data as T
}
