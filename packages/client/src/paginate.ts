/** Keyset pagination: the lists that answer `{ items, nextCursor }` take the cursor back as `?cursor=`. */

/** One page of a list. */
export interface Page<T> {
  readonly items: ReadonlyArray<T>
  readonly nextCursor?: string | null | undefined
}

/**
 * Every item of a paged list, one page at a time, following `nextCursor` until there is none:
 *
 * ```ts
 * for await (const record of paginate((cursor) =>
 *   unwrap(client.GET("/api/v1/audit", { params: { query: { cursor, limit: 200 } } })),
 * )) console.log(record.action)
 * ```
 */
export async function* paginate<T>(
  page: (cursor: string | undefined) => Promise<Page<T>>,
  options: { readonly maxPages?: number } = {},
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined
  for (let n = 0; n < (options.maxPages ?? Number.POSITIVE_INFINITY); n++) {
    const { items, nextCursor } = await page(cursor)
    yield* items
    if (!nextCursor || nextCursor === cursor) return
    cursor = nextCursor
  }
}

/** Every item of a paged list in one array (mind the size: `maxPages` bounds it). */
export const collect = async <T>(
  page: (cursor: string | undefined) => Promise<Page<T>>,
  options: { readonly maxPages?: number } = {},
): Promise<T[]> => {
  const out: T[] = []
  for await (const item of paginate(page, options)) out.push(item)
  return out
}
