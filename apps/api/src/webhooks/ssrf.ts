/**
 * SSRF guard for webhook targets: a URL's host is resolved and every address checked with
 * ipaddr.js (maintained, knows every reserved range of IPv4 and IPv6, IPv4-mapped addresses
 * included). Only public unicast addresses pass, unless the operator allows private targets
 * (`TENET_WEBHOOKS_ALLOW_PRIVATE=1`). The check runs again at connect time (`guardedLookup`), so a
 * name that changes its answer after the first check (DNS rebinding) is refused too.
 */
import { promises as dns, type LookupAddress, lookup } from "node:dns"
import { isIP } from "node:net"
import ipaddr from "ipaddr.js"

export class ForbiddenTarget extends Error {
  readonly _tag = "ForbiddenTarget"
}

/** Whether an address is public unicast (not loopback, private, link-local, reserved…). */
export const isPublicAddress = (address: string) => {
  if (!ipaddr.isValid(address)) return false
  const parsed = ipaddr.process(address)
  return parsed.range() === "unicast"
}

const refuse = (host: string, address: string) =>
  new ForbiddenTarget(
    `${host} resolves to ${address}, a private, loopback or reserved address (set TENET_WEBHOOKS_ALLOW_PRIVATE=1 to allow)`,
  )

/** Resolve a name within `ms` (a slow resolver must not hold a request). */
const resolveWithin = (host: string, ms: number) => {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    dns.lookup(host, { all: true, verbatim: true }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), ms)
    }),
  ])
    .catch(() => {
      throw new ForbiddenTarget(`${host} does not resolve`)
    })
    .finally(() => clearTimeout(timer))
}

/** Check a URL's scheme and every address its host resolves to. Throws ForbiddenTarget. */
export const checkTarget = async (raw: string, allowPrivate: boolean) => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ForbiddenTarget("not a URL")
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ForbiddenTarget("must be http or https")
  if (url.username || url.password) throw new ForbiddenTarget("must not carry a user name or password")
  if (allowPrivate) return
  const host = url.hostname.replace(/^\[|\]$/g, "")
  const addresses = isIP(host) ? [host] : (await resolveWithin(host, 3000)).map((a) => a.address)
  for (const a of addresses) if (!isPublicAddress(a)) throw refuse(host, a)
}

/** A `lookup` for http.request that refuses private answers at connect time. */
export const guardedLookup =
  (allowPrivate: boolean) =>
  (
    hostname: string,
    options: object,
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, "")
      const list = addresses as LookupAddress[]
      if (!allowPrivate) {
        const bad = list.find((a) => !isPublicAddress(a.address))
        if (bad) return callback(refuse(hostname, bad.address), "")
      }
      if ((options as { all?: boolean }).all) return callback(null, list)
      callback(null, list[0]!.address, list[0]!.family)
    })
  }
