/**
 * Knowledge base (articles and the standard service phrasing, seed 002 §4.3 b), with versions,
 * owners and review dates, and the lessons-learned register (successes and failures, seed 002
 * §5.4), linked to the improvement cycle they came from. Search works for Chinese (see `grams.ts`).
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import { sql } from "kysely"
import { type Ctx, change, type Database, tables } from "../db"
import type { ArticleKind } from "../migrations/schema"
import { grams, queryGrams } from "./grams"

/** @category models @since 0.1.0 */
export interface ArticleInput {
  readonly id?: string | undefined
  readonly kind: ArticleKind
  readonly title: string
  readonly body: string
  readonly ownerId?: string | undefined
  readonly reviewOn?: string | undefined
  readonly outcome?: "success" | "failure" | undefined
  readonly cycleId?: string | undefined
}

/** Write an article (a new one, or the next version of `id`). @category constructors @since 0.1.0 */
export const saveArticle = async (db: Database, ctx: Ctx, input: ArticleInput) => {
  const issues: Errors.FieldIssue[] = []
  if (!input.title.trim()) issues.push({ path: ["title"], message: "required", code: "required" })
  if (!input.body.trim()) issues.push({ path: ["body"], message: "required", code: "required" })
  if (input.kind === "lesson" && !input.outcome)
    issues.push({ path: ["outcome"], message: "a lesson is a success or a failure", code: "required" })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid article", issues })
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const id = input.id ?? Id.make("art")
    const before = input.id
      ? await tx
          .selectFrom("culture.article")
          .select(["version"])
          .where("org_id", "=", ctx.orgId)
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst()
      : undefined
    if (input.id && !before) throw new Errors.NotFoundError({ entity: "article", id })
    const version = (before?.version ?? 0) + 1
    const row = {
      kind: input.kind,
      title: input.title.trim(),
      body: input.body,
      owner_id: input.ownerId ?? ctx.actor.id,
      version,
      review_on: input.reviewOn ?? null,
      outcome: input.outcome ?? null,
      cycle_id: input.cycleId ?? null,
      grams: grams(`${input.title}\n${input.body}`),
      updated_at: new Date(),
    }
    if (before)
      await tx
        .updateTable("culture.article")
        .set(row)
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", id)
        .execute()
    else
      await tx
        .insertInto("culture.article")
        .values({ org_id: ctx.orgId, id, ...row })
        .execute()
    await tx
      .insertInto("culture.article_version")
      .values({
        org_id: ctx.orgId,
        article_id: id,
        version,
        title: row.title,
        body: row.body,
        edited_by: ctx.actor.id,
      })
      .execute()
    await audit({
      action: before ? "culture.article_revised" : "culture.article_created",
      entityType: "article",
      entityId: id,
      after: { version, kind: input.kind, title: row.title },
    })
    await emit({
      type: "culture.article.saved",
      aggregateType: "article",
      aggregateId: id,
      payload: { version, kind: input.kind },
    })
    return { id, version }
  })
}

/**
 * Search the knowledge base and the lessons: articles holding every gram of the query, the ones
 * with the most occurrences of the query in the title first.
 * @category getters
 * @since 0.1.0
 */
export const search = async (
  db: Database,
  orgId: string,
  query: string,
  options: { kind?: ArticleKind | undefined; limit?: number } = {},
) => {
  const q = queryGrams(query)
  if (!q.length) return []
  const rows = await sql<{
    id: string
    kind: ArticleKind
    title: string
    body: string
    version: number
    owner_id: string
    review_on: string | null
    outcome: string | null
    cycle_id: string | null
  }>`
    select id, kind, title, body, version, owner_id, review_on::text as review_on, outcome, cycle_id
    from culture.article
    where org_id = ${orgId} and grams @> ${sql`array[${sql.join(q)}]::text[]`}
      ${options.kind ? sql`and kind = ${options.kind}` : sql``}
    order by (position(${query.trim().toLowerCase()} in lower(title)) > 0) desc, updated_at desc
    limit ${options.limit ?? 50}`.execute(db.kysely)
  return rows.rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    excerpt: r.body.slice(0, 200),
    version: r.version,
    ownerId: r.owner_id,
    reviewOn: r.review_on,
    outcome: r.outcome,
    cycleId: r.cycle_id,
  }))
}

/** Articles and lessons, newest first. @category getters @since 0.1.0 */
export const listArticles = async (db: Database, orgId: string, kind?: ArticleKind) =>
  tables(db)
    .selectFrom("culture.article")
    .select(["id", "kind", "title", "version", "owner_id", "review_on", "outcome", "cycle_id", "updated_at"])
    .where("org_id", "=", orgId)
    .$if(Boolean(kind), (q) => q.where("kind", "=", kind!))
    .orderBy("updated_at", "desc")
    .limit(200)
    .execute()

/** An article's versions. @category getters @since 0.1.0 */
export const versions = async (db: Database, orgId: string, id: string) =>
  tables(db)
    .selectFrom("culture.article_version")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("article_id", "=", id)
    .orderBy("version", "desc")
    .execute()
