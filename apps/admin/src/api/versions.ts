/**
 * Optimistic concurrency for the admin's editors: the `ETag` of every resource read (a cycle, a draft
 * standard, a risk, a survey) is remembered, and a change sent to that resource or below it
 * (`/cycles/7` → `PATCH /cycles/7/fields`) carries it as `If-Match`. When someone else changed the
 * resource meanwhile the server answers 412 `preconditionFailed`, which the pages show translated;
 * the next read remembers the new version.
 */
const tags = new Map<string, string>()

const pathOf = (url: string) => new URL(url, "http://admin.local").pathname

/** Remember the version a response names (a read, or a change that answers the new version). */
export const remember = (method: string, url: string, res: Response) => {
  const tag = res.headers.get("etag")
  const key = method === "GET" ? pathOf(url) : versionedPath(pathOf(url))
  if (!key) return
  if (tag) tags.set(key, tag)
  else if (res.status === 412) tags.delete(key)
}

/** The remembered resource a path belongs to: the longest read path it equals or lies below. */
const versionedPath = (path: string) => {
  let best: string | undefined
  for (const k of tags.keys())
    if ((path === k || path.startsWith(`${k}/`)) && (!best || k.length > best.length)) best = k
  return best
}

/** The `If-Match` a change should carry, if the resource it changes was read. */
export const ifMatch = (method: string, url: string): string | undefined => {
  if (method === "GET" || method === "HEAD") return undefined
  const key = versionedPath(pathOf(url))
  return key ? tags.get(key) : undefined
}
