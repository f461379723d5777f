/**
 * The `tenet` command: the `bin` of @tenet/api (`pnpm exec tenet …` in the repository, `npx tenet …` when
 * installed; `pnpm tenet …` is a quiet alias in the repository root).
 * Every command prints JSON on stdout with --json, and one clear line on stderr with a
 * non-zero exit on bad input. One file per group of commands under `./cli/`.
 */
import { CommanderError } from "commander"
import { registerAdminCommands } from "./admin"
import { registerAuditCommands } from "./audit"
import { registerDataCommands } from "./data"
import { registerEncryptionCommands } from "./encryption"
import { addExamples } from "./examples"
import { registerFeedbackCommands } from "./feedback"
import { registerPluginCommands } from "./plugins"
import { registerPrivacyCommands } from "./privacy"
import { explain, program } from "./shared"

registerAdminCommands()
registerDataCommands()
registerPluginCommands()
registerAuditCommands()
registerPrivacyCommands()
registerEncryptionCommands()
registerFeedbackCommands()
addExamples(program)

const main = async () => {
  try {
    await program.parseAsync(process.argv)
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 1
      return
    }
    process.stderr.write(`tenet: ${explain(e)}\n`)
    process.exitCode = 1
  }
}

await main()
