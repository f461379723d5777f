/**
 * Request coalescing: while a computation for a key is in flight, a request for the same key
 * shares it instead of starting another. Nothing is kept after it settles, so no answer is older
 * than the request that waits for it by more than one computation's time (used for the dashboard,
 * where ten supervisors opening the same period at once cost one computation).
 */
export const coalescer = <A>() => {
  const inFlight = new Map<string, Promise<A>>()
  return (key: string, compute: () => Promise<A>): Promise<A> => {
    const running = inFlight.get(key)
    if (running) return running
    const p = compute().finally(() => inFlight.delete(key))
    inFlight.set(key, p)
    return p
  }
}
