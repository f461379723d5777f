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
