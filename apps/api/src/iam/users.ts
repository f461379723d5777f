/** Users: global identities (a person may belong to several organisations), argon2id passwords. */
import { hash as argonHash } from "@node-rs/argon2"
import { Errors, Id } from "@tenet/core"
import { sql } from "kysely"
import { forgetSessions } from "./authCache"
import { type Database, tables } from "./db"
import type { UserRow } from "./schema"

const { ValidationError, ConflictError, NotFoundError } = Errors

export interface User {
  readonly id: string
  readonly email: string
  readonly name: string
  readonly locale: string | null
  readonly createdAt: Date
}
export const toUser = (r: Pick<UserRow, "id" | "email" | "name" | "locale" | "created_at">): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  locale: r.locale,
  createdAt: r.created_at,
})

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const checkPassword = (password: string, path: string) =>
  password.length < 8
    ? [{ path: [path], message: "must be at least 8 characters", code: "minLength", params: { min: 8 } }]
    : []

/** `lower(email)`, as the unique index has it. */
export const lowerEmail = sql<string>`lower(email)`

export const createUser = async (
  db: Database,
  input: { email: string; name: string; password: string },
): Promise<User> => {
  const issues = [
    ...(EMAIL.test(input.email)
      ? []
      : [{ path: ["email"], message: "must be an email address", code: "email" }]),
    ...(input.name.trim() ? [] : [{ path: ["name"], message: "must not be empty", code: "required" }]),
    ...checkPassword(input.password, "password"),
  ]
  if (issues.length) throw new ValidationError({ message: "invalid user", issues })
  if (await findUserByEmail(db, input.email))
    throw new ConflictError({
      message: `a user with email ${input.email} exists`,
      field: "email",
      code: "emailTaken",
      params: { value: input.email },
    })
  const passwordHash = await argonHash(input.password)
  const r = await tables(db)
    .insertInto("iam.user")
    .values({
      id: Id.make("usr"),
      email: input.email.trim(),
      name: input.name.trim(),
      password_hash: passwordHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toUser(r)
}

export const findUserByEmail = async (db: Database, email: string): Promise<User | undefined> => {
  const r = await tables(db)
    .selectFrom("iam.user")
    .selectAll()
    .where(lowerEmail, "=", sql<string>`lower(${email.trim()})`)
    .executeTakeFirst()
  return r ? toUser(r) : undefined
}

export const getUser = async (db: Database, id: string): Promise<User> => {
  const r = await tables(db).selectFrom("iam.user").selectAll().where("id", "=", id).executeTakeFirst()
  if (!r) throw new NotFoundError({ entity: "user", id })
  forgetSessions(db)
  return toUser(r)
}

export const updateUser = async (
  db: Database,
  id: string,
  patch: { name?: string | undefined; locale?: string | undefined },
) => {
  if (patch.locale !== undefined && !["zh-CN", "en"].includes(patch.locale))
    throw new ValidationError({
      message: "invalid user",
      issues: [
        {
          path: ["locale"],
          message: 'must be "zh-CN" or "en"',
          code: "oneOf",
          params: { values: "zh-CN, en" },
        },
      ],
    })
  if (patch.name !== undefined && !patch.name.trim())
    throw new ValidationError({
      message: "invalid user",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  const r = await tables(db)
    .updateTable("iam.user")
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst()
  if (!r) throw new NotFoundError({ entity: "user", id })
  return toUser(r)
}
