/**
 * Where the demo organisation's first seed stands, for the sign-in page: `tenet start` on a new data
 * folder answers at once and seeds the demo behind it (TENET_DEMO_WAIT=1 seeds first, as before).
 */
export type DemoState = "off" | "seeding" | "ready" | "failed"

let state: DemoState = "off"
let since: Date | undefined

export const demoStatus = (): { readonly demo: DemoState; readonly since: string | null } => ({
  demo: state,
  since: since ? since.toISOString() : null,
})

export const setDemoState = (next: DemoState) => {
  state = next
  since = new Date()
}
