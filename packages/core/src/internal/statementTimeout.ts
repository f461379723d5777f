/**
 * Bounded statement time for a piece of work (reports): inside `withStatementTimeout(ms, fn)`,
 * every statement a `pg` connection runs is cancelled by PostgreSQL after `ms` (SQLSTATE 57014).
 * The connection's `statement_timeout` is set only when it differs from what the work needs, so a
 * connection that serves reports and other work in turn pays one `set` per switch, not per query.
 * A `rollback` (which undoes a `set` made inside the transaction) makes the next query set it again.
 *
 * PGlite runs in single-user mode, where PostgreSQL has no timer to cancel a statement: there the
 * bound does nothing, and reports are kept off the server's thread instead (the worker thread).
 *
 * @internal
 */
import { AsyncLocalStorage } from "node:async_hooks"

const bound = new AsyncLocalStorage<number>()

/** Runs `fn` with every PostgreSQL statement it causes bounded to `ms` milliseconds (0: no bound). */
export const withStatementTimeout = <A>(ms: number, fn: () => Promise<A>): Promise<A> =>
  bound.run(Math.max(0, Math.floor(ms)), fn)

interface PgClient {
  query: (...args: Array<any>) => any
}

export const boundStatements = (client: PgClient): void => {
  const query = client.query.bind(client)
  // the connection's current setting (0: the server's default); NaN: unknown, set it next time
  let current = 0
  client.query = (config: unknown, values?: unknown, callback?: unknown) => {
    const want = bound.getStore() ?? 0
    if (want !== current && callback === undefined) {
      current = want
      // pg runs a connection's queries in order: the set lands before the query it precedes
      query(`set statement_timeout = ${want}`).catch(() => {
        current = Number.NaN
      })
    }
    const text = typeof config === "string" ? config : (config as { text?: string } | null)?.text
    if (typeof text === "string" && /^\s*rollback/i.test(text)) {
      const r = query(config, values, callback)
      current = Number.NaN
      return r
    }
    return query(config, values, callback)
  }
}
