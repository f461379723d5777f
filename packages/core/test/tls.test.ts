// TLS to PostgreSQL is configured in DATABASE_URL (`sslmode`, `sslrootcert`): the driver honours it.
// Runs against the test server when TENET_TEST_DATABASE_URL is set (CI's server has no TLS, so
// `sslmode=verify-full` must fail and `sslmode=disable` must work — proof the setting is read).
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { Db } from "../src/index"

const url = process.env.TENET_TEST_DATABASE_URL

describe.skipIf(!url)("sslmode in DATABASE_URL", () => {
  const withMode = (mode: string) => {
    const u = new URL(url!)
    u.searchParams.set("sslmode", mode)
    return u.toString()
  }
  it("sslmode=disable connects in clear; sslmode=verify-full refuses a server without TLS", async () => {
    const plain = await Db.open(Db.configFromEnv({ DATABASE_URL: withMode("disable") }))
    expect((await sql<{ one: number }>`select 1 as one`.execute(plain.kysely)).rows[0]!.one).toBe(1)
    await plain.close()
    const tls = await Db.open({ kind: "postgres", url: withMode("verify-full"), max: 1 })
    const ssl = await sql<{ ssl: boolean }>`select ssl from pg_stat_ssl where pid = pg_backend_pid()`
      .execute(tls.kysely)
      .then((r) => r.rows[0]?.ssl === true)
      .catch((e: Error) => e.message)
    await tls.close()
    // either the server speaks TLS (then the connection is encrypted) or the driver refused to go on in clear
    expect(ssl === true || /SSL|TLS|certificate/i.test(String(ssl))).toBe(true)
  })
})
