import { Db, Migrations, Organizations, Tenancy } from "@tenet/core"
import { configFromEnv, describeDb } from "../config"
import { DEMO, seedDemo } from "../demo"
import * as Iam from "../iam/service"
import { acquireLock } from "../lock"
import { MODULES } from "../modules"
import { start } from "../server"
import { orgBySlug, out, program, role, withDb } from "./shared"

export const registerAdminCommands = () => {
  program
    .command("start")
    .description("start the API and admin app on one port (PORT, default 3000)")
    .action(async () => {
      // a new data folder answers at once; the demo is seeded behind it (TENET_DEMO_WAIT=1: before)
      const config = { ...configFromEnv(), demoInBackground: process.env.TENET_DEMO_WAIT !== "1" }
      const running = await start(config)
      const shutdown = async () => {
        await running.stop()
        process.exit(0)
      }
      process.once("SIGINT", shutdown)
      process.once("SIGTERM", shutdown)
    })

  program
    .command("migrate")
    .description("apply pending migrations of every module")
    .action(async () => {
      const config = configFromEnv()
      const release = config.db.kind === "pglite" ? acquireLock(config.dataDir, "cli") : () => {}
      try {
        const db = await Db.open(config.db)
        try {
          const reports = await Migrations.migrate(db, MODULES)
          const applied = reports.flatMap((r) => r.applied.map((a) => `${r.module}/${a}`))
          out(applied.length ? `applied ${applied.join(", ")}` : "the database is up to date", {
            database: describeDb(config.db),
            applied,
          })
        } finally {
          await db.close()
        }
      } finally {
        release()
      }
    })

  program
    .command("seed")
    .description("seed data")
    .requiredOption("--demo", "seed the demo organisation")
    .action(async () =>
      withDb(async (db) => {
        const r = await seedDemo(db)
        out(
          r.seeded
            ? `seeded the demo organisation; sign in as ${DEMO.people[0]!.email} / ${DEMO.password}`
            : "the demo organisation already exists",
          { ...r, email: DEMO.people[0]!.email },
        )
      }),
    )

  program
    .command("org")
    .description("organisations")
    .command("create")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--slug <slug>", "short name used in URLs")
    .option("--time-zone <tz>", "IANA time zone", "Asia/Shanghai")
    .action(async (o: { name: string; slug: string; timeZone: string }) =>
      withDb(async (db) => {
        const org = await Organizations.create(
          db,
          { type: "system", id: "cli" },
          { name: o.name, slug: o.slug, timeZone: o.timeZone },
        )
        out(`created organisation ${org.slug} (${org.id})`, org)
      }),
    )

  program
    .command("user")
    .description("users")
    .command("create")
    .requiredOption("--org <slug>", "organisation slug")
    .requiredOption("--email <email>")
    .requiredOption("--password <password>", "at least 8 characters")
    .requiredOption("--role <role>", Tenancy.ROLES.join(" | "))
    .option("--name <name>", "display name (defaults to the email's name)")
    .action(async (o: { org: string; email: string; password: string; role: string; name?: string }) =>
      withDb(async (db) => {
        const r = role(o.role)
        const org = await orgBySlug(db, o.org)
        const user =
          (await Iam.findUserByEmail(db, o.email)) ??
          (await Iam.createUser(db, {
            email: o.email,
            password: o.password,
            name: o.name ?? o.email.split("@")[0]!,
          }))
        await Iam.addMember(db, Tenancy.system(org.id, "cli"), { userId: user.id, role: r })
        out(`${user.email} is now ${r} of ${org.slug}`, {
          userId: user.id,
          email: user.email,
          org: org.slug,
          role: r,
        })
      }),
    )

  program
    .command("apikey")
    .description("API keys")
    .command("create")
    .requiredOption("--org <slug>", "organisation slug")
    .requiredOption("--role <role>", Tenancy.ROLES.join(" | "))
    .requiredOption("--name <name>", "what the key is for")
    .action(async (o: { org: string; role: string; name: string }) =>
      withDb(async (db) => {
        const r = role(o.role)
        const org = await orgBySlug(db, o.org)
        const { key, secret } = await Iam.createApiKey(db, Tenancy.system(org.id, "cli"), {
          name: o.name,
          role: r,
        })
        out(`${secret}\n(shown once: store it now; id ${key.id}, role ${r})`, { ...key, secret })
      }),
    )
}
