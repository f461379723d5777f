/** Real servers for the notification tests, on loopback: an SMTP server (smtp-server) and a webhook receiver. */
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { type ParsedMail, simpleParser } from "mailparser"
import { SMTPServer } from "smtp-server"

export interface Mailbox {
  readonly url: string
  readonly messages: Array<{ to: string[]; mail: ParsedMail }>
  readonly close: () => Promise<void>
}

/** An SMTP server that keeps every message it receives. */
export const startSmtp = async (): Promise<Mailbox> => {
  const messages: Mailbox["messages"] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({ to: session.envelope.rcptTo.map((r) => r.address), mail })
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export interface Receiver {
  readonly url: string
  readonly received: Array<{ at: number; headers: IncomingHttpHeaders; body: string }>
  /** The status to answer with (default 200). */
  status: number
  readonly close: () => Promise<void>
}

/** An HTTP server that records each POST and answers `status`. */
export const startReceiver = async (): Promise<Receiver> => {
  const r: Receiver = {
    url: "",
    received: [],
    status: 200,
    close: async () => {},
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      r.received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString("utf8") })
      res.writeHead(r.status, { "content-type": "text/plain" })
      res.end(r.status < 300 ? "ok" : "receiver is down")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

export interface TestAccount {
  readonly email: string
  readonly email_verified: boolean
  readonly name: string
  readonly groups: ReadonlyArray<string>
}

export interface OpenIdProvider {
  /** The issuer (discovery) URL, http on loopback. */
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  /** Accounts by the login typed into the provider's form (any password is accepted). */
  readonly accounts: Map<string, TestAccount>
  readonly close: () => Promise<void>
}

/**
 * A real OpenID provider (panva's oidc-provider) on 127.0.0.1: one confidential client that must
 * use PKCE, its development login form (any password) for the accounts in `accounts`, consent
 * taken as given, and the claims email, email_verified, name and groups.
 */
export const startOpenIdProvider = async (redirectUris: ReadonlyArray<string>): Promise<OpenIdProvider> => {
  const { default: Provider } = await import("oidc-provider")
  const accounts = new Map<string, TestAccount>()
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const clientId = "tenet-test"
  const clientSecret = "tenet-test-secret-0123456789abcdef"
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...redirectUris],
        // RP-initiated logout sends the browser back to the sign-in page of the same origin
        post_logout_redirect_uris: redirectUris.map((u) => `${new URL(u).origin}/sign-in`),
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    cookies: { keys: ["tenet-test-cookie-key"] },
    findAccount: async (_ctx, id) => {
      const a = accounts.get(id)
      return a ? { accountId: id, claims: async () => ({ sub: id, ...a, groups: [...a.groups] }) } : undefined
    },
    // consent taken as given: the grant holds every scope asked for
    loadExistingGrant: async (ctx) => {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId)
      if (grantId) return ctx.oidc.provider.Grant.find(grantId)
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      })
      grant.addOIDCScope(ctx.oidc.params!.scope as string)
      grant.addOIDCClaims(["email", "email_verified", "name", "groups"])
      await grant.save()
      return grant
    },
  })
  server.on("request", provider.callback())
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
