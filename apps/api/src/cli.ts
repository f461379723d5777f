/**
 * The `tenet` command: the `bin` of @tenet/api (`pnpm exec tenet …` in the repository, `npx tenet …` when
 * installed; `pnpm tenet …` is a quiet alias in the repository root). The commands are in `./cli/`.
 *
 * `tenet start` on the embedded database opens it first (PGlite boots on a worker thread while the
 * rest of the program loads), so a start waits for the longer of the two, not for their sum.
 */
import { openEarly } from "./early"

openEarly(process.argv.slice(2), process.env)
await import("./cli/main")
