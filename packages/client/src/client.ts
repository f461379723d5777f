/** `createTenetClient`: openapi-fetch over the generated `paths`, with the API key or session and the organisation. */
import createClient, { type Client } from "openapi-fetch"
import type { paths } from "./schema.gen"

/** The answers the typed methods read: JSON, and problems (exports as files are read from `response`). */
export type JsonMedia = "application/json" | "application/problem+json"
export type TenetClient = Client<paths, JsonMedia>

export interface TenetClientOptions {
  /** The server, e.g. `http://localhost:3000`; empty (the default) in a browser on the server's own origin. */
  readonly baseUrl?: string | undefined
  /** An API key (`tnt_…`, Settings → API keys or `tenet apikey create`): sent as `Authorization: Bearer`. */
  readonly apiKey?: string | undefined
  /**
   * A session token (the `tenet_session` cookie's value) for a script that signed in; in a browser leave it
   * out: the browser sends the cookie itself (`credentials: "same-origin"`).
   */
  readonly session?: string | undefined
  /** With a session: the organisation each request runs for (id or slug), or a function read per request. */
  readonly org?: string | (() => string | null | undefined) | undefined
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch | undefined
}

/**
 * A typed client: `client.GET("/api/v1/org")` answers `{ data, error, response }` where `data` is the
 * organisation and `error` a `Problem`; `unwrap(...)` gives the data or throws a `TenetProblem`.
 */
export const createTenetClient = (options: TenetClientOptions = {}): TenetClient => {
  const client = createClient<paths, JsonMedia>({
    baseUrl: options.baseUrl ?? "",
    credentials: "same-origin",
    headers: { accept: "application/json", ...options.headers },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  client.use({
    onRequest({ request }) {
      if (options.apiKey) request.headers.set("authorization", `Bearer ${options.apiKey}`)
      if (options.session) {
        request.headers.set("cookie", `tenet_session=${options.session}`)
        // a cookie-authenticated change must name the server's own origin (CSRF protection)
        if (!request.headers.has("origin")) request.headers.set("origin", new URL(request.url).origin)
      }
      const org = typeof options.org === "function" ? options.org() : options.org
      if (org) request.headers.set("x-tenet-org", org)
      return request
    },
  })
  return client
}
