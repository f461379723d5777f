/**
 * A per-connection cache of prepared statements for `pg` (the statement cache of pgx and
 * postgres.js, sized like pgx's). Every query with parameters is sent as a named statement: the
 * first time on a connection PostgreSQL parses and plans it; afterwards the client sends only the
 * values, and PostgreSQL skips parsing, analysis and — once it has settled on a generic plan —
 * planning. For the case intake's large statements that is a quarter of the server's work.
 *
 * Queries without parameters keep the simple protocol (migrations send several statements in one
 * text). The least recently used statement is deallocated when a connection holds `capacity`; names
 * are never reused, so a deallocation lost in an aborted transaction cannot collide with a later one.
 * When a statement's result type changes under it (a table altered while the process runs),
 * PostgreSQL refuses it with 0A000; the statement is then forgotten and prepared anew next time.
 *
 * @internal
 */

interface PgClient {
  // pg's query is overloaded (config or text, values, callback; a promise or void); this wrapper
  // passes every form through unchanged
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query, passed through unchanged (see above)
  query: (...args: Array<any>) => any
  // pg's connection keeps the statements it has parsed (not in its types)
  readonly connection?: unknown
}

let next = 0

export const prepareStatements = (client: PgClient, capacity = 256): void => {
  const query = client.query.bind(client)
  // insertion order is recency order: a hit is deleted and set again
  const names = new Map<string, string>()
  const forget = (text: string, name: string, deallocate: boolean) => {
    names.delete(text)
    const parsed = (client.connection as { parsedStatements?: Record<string, string> } | undefined)
      ?.parsedStatements
    if (parsed) delete parsed[name]
    if (deallocate) query(`deallocate ${name}`).catch(() => {})
  }
  client.query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config !== "string" || !Array.isArray(values) || values.length === 0 || callback !== undefined)
      return query(config, values, callback)
    let name = names.get(config)
    if (name === undefined) {
      if (names.size >= capacity) {
        const [oldText, oldName] = names.entries().next().value as [string, string]
        forget(oldText, oldName, true)
      }
      name = `tenet_${(next++).toString(36)}`
    } else names.delete(config)
    names.set(config, name)
    const text = config
    const stmt = name
    return query({ name: stmt, text, values }).catch((error: { code?: string }) => {
      if (error?.code === "0A000" || error?.code === "26000") forget(text, stmt, error.code === "0A000")
      throw error
    })
  }
}
