// Where the KEK comes from: the process-wide encryption configuration, set once at start
// (`configure`), read from `TENET_ENCRYPTION_KEY` / `TENET_ENCRYPTION_KEY_PREVIOUS`.
import { type Kek, parseKek } from "./kek"

/** The process's encryption configuration. */
export interface EncryptionConfig {
  /** Wraps new organisation keys. */
  readonly current: Kek
  /** Older KEKs still able to unwrap (during a KEK rotation). */
  readonly previous: ReadonlyArray<Kek>
  /** Where the key came from, for the start-up log. */
  readonly source: string
}

let active: EncryptionConfig | null = null
const listeners = new Set<() => void>()

/** Set (or clear, with `null`) the process-wide encryption configuration. */
export const configure = (config: EncryptionConfig | null): void => {
  active = config
  for (const l of listeners) l()
}

/** The configuration in force, or null when personal fields are stored in clear. */
export const current = (): EncryptionConfig | null => active

/** Called whenever `configure` runs (caches drop their keys). */
export const onConfigure = (f: () => void): void => {
  listeners.add(f)
}

/**
 * The configuration from the environment: `TENET_ENCRYPTION_KEY` (32 bytes, base64 or hex) and,
 * while rotating the KEK, `TENET_ENCRYPTION_KEY_PREVIOUS` (comma-separated). Null without a key.
 */
export const fromEnv = (env: Record<string, string | undefined> = process.env): EncryptionConfig | null => {
  const text = env.TENET_ENCRYPTION_KEY?.trim()
  if (!text) return null
  return {
    current: parseKek(text),
    previous: (env.TENET_ENCRYPTION_KEY_PREVIOUS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map(parseKek),
    source: "TENET_ENCRYPTION_KEY",
  }
}

/** A configuration from one KEK text (tests, the dev key file). */
export const fromKey = (text: string, source = "key"): EncryptionConfig => ({
  current: parseKek(text),
  previous: [],
  source,
})
