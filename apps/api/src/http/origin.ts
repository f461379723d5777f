/**
 * Who the server is, as a browser sees it, and who the client is. The server's own origin comes
 * from configuration (`TENET_PUBLIC_URL`), else from the address it listens on; never from the
 * request's Host header, which any client sets. `X-Forwarded-Proto`, `-Host` and `-For` are
 * believed only from a trusted proxy (`TENET_TRUST_PROXY`).
 */
import { networkInterfaces } from "node:os"
import { getConnInfo } from "@hono/node-server/conninfo"
import type { Context } from "hono"

/** `true`: any peer is a proxy whose X-Forwarded-* headers are believed; a list: only these addresses. */
export type TrustProxy = boolean | ReadonlyArray<string>

export interface OriginPolicy {
  /** TENET_PUBLIC_URL: the URL people open Tenet at (scheme, host, port). */
  readonly publicUrl?: string | undefined
  readonly trustProxy?: TrustProxy | undefined
  /** The address the server listens on (the port filled in once bound). */
  readonly listen?: { readonly host: string; port: number } | undefined
}

/** Parse TENET_TRUST_PROXY: `1`/`true` (every peer), `0`/unset (none) or a comma-separated list of addresses. */
export const parseTrustProxy = (value: string | undefined): TrustProxy => {
  const v = value?.trim() ?? ""
  if (v === "" || v === "0" || v.toLowerCase() === "false") return false
  if (v === "1" || v.toLowerCase() === "true") return true
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
}

const peerAddress = (c: Context): string | undefined => {
  try {
    return getConnInfo(c).remote.address ?? undefined
  } catch {
    return undefined // not on a socket (app.request in tests)
  }
}

const normalise = (address: string) => address.replace(/^::ffff:/, "")

/** Whether this request came through a proxy we trust. */
export const fromTrustedProxy = (c: Context, policy: OriginPolicy): boolean => {
  const trust = policy.trustProxy ?? false
  if (trust === true) return true
  if (trust === false) return false
  const peer = peerAddress(c)
  return peer !== undefined && trust.map(normalise).includes(normalise(peer))
}

/** The client's address: the socket's peer, or the address a trusted proxy reports. */
export const clientAddress = (c: Context, policy: OriginPolicy): string => {
  if (fromTrustedProxy(c, policy)) {
    // the proxy appends the address it saw: the last entry is the one we can believe
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim()
    if (forwarded) return normalise(forwarded)
  }
  const peer = peerAddress(c)
  return peer ? normalise(peer) : "local"
}

const forwardedProto = (c: Context) => c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase()

/** Whether the browser reached us over https (the public URL says so, or a trusted proxy does). */
export const isHttps = (c: Context, policy: OriginPolicy): boolean => {
  if (policy.publicUrl) return new URL(policy.publicUrl).protocol === "https:"
  if (fromTrustedProxy(c, policy) && forwardedProto(c)) return forwardedProto(c) === "https"
  return new URL(c.req.url).protocol === "https:"
}

const withPort = (scheme: string, host: string, port: number) =>
  (scheme === "http" && port === 80) || (scheme === "https" && port === 443)
    ? `${scheme}://${host}`
    : `${scheme}://${host}:${port}`

const bracket = (address: string) => (address.includes(":") ? `[${address}]` : address)

/**
 * The origins that are this server's own: the public URL's; else what a trusted proxy forwards;
 * else the listening address (every local interface's address when it listens on all of them).
 * Without either (a test driving the app directly) the request URL's origin.
 */
export const ownOrigins = (c: Context, policy: OriginPolicy): ReadonlySet<string> => {
  if (policy.publicUrl) return new Set([new URL(policy.publicUrl).origin])
  if (fromTrustedProxy(c, policy)) {
    const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim()
    const proto = forwardedProto(c) ?? new URL(c.req.url).protocol.replace(":", "")
    if (host) return new Set([`${proto}://${host}`])
  }
  const listen = policy.listen
  if (!listen) return new Set([new URL(c.req.url).origin])
  const hosts =
    listen.host === "0.0.0.0" || listen.host === "::" || listen.host === ""
      ? [
          "localhost",
          ...Object.values(networkInterfaces())
            .flat()
            .filter((i) => i !== undefined && (listen.host === "::" || i.family === "IPv4"))
            .map((i) => bracket(i!.address)),
        ]
      : [bracket(listen.host), ...(listen.host === "127.0.0.1" || listen.host === "::1" ? ["localhost"] : [])]
  return new Set(hosts.map((h) => withPort("http", h, listen.port)))
}

/**
 * Whether a browser request comes from our own origin: by its Origin header, else by
 * Sec-Fetch-Site. `undefined` when the request carries neither (not a browser).
 */
export const sameOrigin = (c: Context, policy: OriginPolicy): boolean | undefined => {
  const origin = c.req.header("origin")
  if (origin) return ownOrigins(c, policy).has(origin)
  const site = c.req.header("sec-fetch-site")
  if (site) return site === "same-origin" || site === "none"
  return undefined
}

/**
 * The Strict-Transport-Security max-age sent over TLS, in seconds: `TENET_HSTS_MAX_AGE` (default one
 * year, 31536000; 0 tells browsers to forget it).
 */
export const hstsMaxAge = (env: Record<string, string | undefined> = process.env): number => {
  const n = Number(env.TENET_HSTS_MAX_AGE ?? 31_536_000)
  return Number.isInteger(n) && n >= 0 ? n : 31_536_000
}
