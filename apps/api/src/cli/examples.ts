/** Examples shown under `--help` of every `tenet` command (cli.test.ts checks that none is missing). */
import type { Command } from "commander"

const EXAMPLES: Readonly<Record<string, ReadonlyArray<string>>> = {
  "": ["tenet start", "tenet --json org create --name 示例客服 --slug demo", "tenet start --help"],
  start: ["tenet start", "PORT=8080 TENET_DATA_DIR=/var/lib/tenet tenet start", "TENET_DEMO=0 tenet start"],
  migrate: ["tenet migrate", "DATABASE_URL=postgres://tenet@db/tenet tenet --json migrate"],
  seed: ["tenet seed --demo", "TENET_DEMO_DAYS=30 tenet seed --demo"],
  org: ["tenet org create --name 示例客服 --slug demo"],
  "org create": [
    "tenet org create --name 示例客服 --slug demo",
    "tenet --json org create --name Acme --slug acme --time-zone Europe/Berlin",
  ],
  user: ["tenet user create --org demo --email lead@example.com --password 'a long one' --role supervisor"],
  "user create": [
    "tenet user create --org demo --email owner@example.com --password 'a long one' --role owner",
    "tenet --json user create --org demo --email qa@example.com --password 'a long one' --role qa_analyst --name 陈静",
  ],
  apikey: ["tenet apikey create --org demo --role auditor --name 'nightly export'"],
  "apikey create": [
    "tenet apikey create --org demo --role auditor --name 'nightly export'",
    "tenet --json apikey create --org demo --role admin --name ci",
  ],
  backup: ["tenet backup --out tenet-backup.ndjson"],
  restore: ["tenet restore tenet-backup.ndjson"],
  import: ["tenet import cases cases.csv --org demo"],
  "import cases": [
    "tenet import cases cases.csv --org demo",
    "tenet import cases tickets.json --org demo --format zendesk",
    "tenet import cases freshdesk.ndjson --org demo --format freshdesk",
    "tenet import cases zammad.ndjson --org demo --format zammad",
    'tenet import cases export.csv --org demo --mapping mapping.json   # {"subject": "Title"}',
  ],
  plugin: ["tenet plugin new acme-standard", "tenet plugin validate plugins/acme-standard"],
  "plugin validate": ["tenet plugin validate plugins/acme-standard", "tenet plugin validate ./dist/index.js"],
  "plugin new": ["tenet plugin new acme-standard", "tenet plugin new acme-standard --dir ../my-plugins"],
  audit: ["tenet audit verify", "tenet audit checkpoint"],
  "audit verify": [
    "tenet audit verify",
    "tenet audit verify --org demo --public-key audit-public.pem",
    "tenet --json audit verify",
  ],
  privacy: ["tenet privacy purge --org demo --dry-run", "tenet privacy export --org demo --customer cus_01…"],
  "privacy purge": ["tenet privacy purge --org demo --dry-run", "tenet --json privacy purge --org demo"],
  "privacy export": [
    "tenet privacy export --org demo --customer cus_01… --out customer.json",
    "tenet privacy export --org demo --customer cus_01… --format html --locale en --out customer.html",
  ],
  encryption: ["tenet encryption status", "tenet encryption rotate-key --org demo"],
  "encryption generate-key": ["tenet encryption generate-key > /etc/tenet/encryption.key"],
  "encryption status": ["tenet encryption status", "tenet --json encryption status --org demo"],
  "encryption rotate-key": [
    "tenet encryption rotate-key",
    "tenet encryption rotate-key --org demo --no-reencrypt   # re-seal later with `tenet encryption reencrypt`",
  ],
  "encryption rotate-index-key": [
    "tenet encryption rotate-index-key",
    "tenet encryption rotate-index-key --org demo --no-reencrypt   # re-index later with `tenet encryption reencrypt`",
  ],
  "encryption reencrypt": ["tenet encryption reencrypt", "tenet encryption reencrypt --org demo"],
  "encryption rewrap": [
    "TENET_ENCRYPTION_KEY_PREVIOUS=$OLD TENET_ENCRYPTION_KEY=$NEW tenet encryption rewrap",
  ],
  feedback: ["tenet feedback surveys --org demo", "tenet feedback results --org demo --survey srv_01…"],
  "feedback surveys": [
    "tenet feedback surveys --org demo",
    "tenet --json feedback surveys --org demo --locale en",
  ],
  "feedback results": [
    "tenet feedback results --org demo --survey srv_01…",
    "tenet feedback results --org demo --survey srv_01… --from 2026-09-01 --to 2026-10-01 --locale en",
  ],
  "feedback send-due": ["tenet feedback send-due", "tenet --json feedback send-due --limit 10000"],
  "feedback rebuild-rollups": ["tenet feedback rebuild-rollups --org demo"],
  "audit checkpoint": [
    "TENET_AUDIT_KEY_FILE=audit.pem TENET_AUDIT_CHECKPOINT_DIR=checkpoints tenet audit checkpoint",
  ],
}

const pathOf = (c: Command): string => {
  const names: string[] = []
  for (let at: Command | null = c; at?.parent; at = at.parent) names.unshift(at.name())
  return names.join(" ")
}

/** Every command of the tree, the root first. */
export const allCommands = (root: Command): Command[] => [
  root,
  ...root.commands.flatMap((c) => allCommands(c)),
]

/** Adds "Examples:" under the help of each command; throws when a command has none (caught by the tests). */
export const addExamples = (root: Command) => {
  for (const c of allCommands(root)) {
    const path = pathOf(c)
    const examples = EXAMPLES[path]
    if (!examples) throw new Error(`tenet ${path}: no examples for --help (add them in cli/examples.ts)`)
    c.addHelpText("after", `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`)
  }
}
