/**
 * Group commit ("smart batching"): concurrent calls that can share one transaction are queued
 * in a lane; a lane runs a batch at a time (or a few, see `concurrency`), and whatever arrived
 * while a batch ran goes in the next one. An idle lane runs a call at once (no added wait); under load, batches grow by
 * themselves, so a hundred concurrent requests cost a few transactions, not a hundred.
 *
 * When a batch fails, its calls are run one by one, so one bad call fails alone.
 *
 * @since 0.2.0
 */

/** What a lane runs: many inputs in, one output per input (same order) out. @category models @since 0.2.0 */
export type RunBatch<I, O> = (inputs: ReadonlyArray<I>) => Promise<ReadonlyArray<O>>

interface Pending<I, O> {
  readonly input: I
  readonly resolve: (o: O) => void
  readonly reject: (e: unknown) => void
}

interface Lane<I, O> {
  readonly run: RunBatch<I, O>
  queue: Array<Pending<I, O>>
  running: number
}

/** A batcher with lanes by key. @category models @since 0.2.0 */
export interface Batcher<I, O> {
  /** Queue a call in the lane `key`; `run` is the lane's batch function (taken from the first call). */
  readonly submit: (key: string, input: I, run: RunBatch<I, O>) => Promise<O>
  /** Calls waiting or running, over all lanes. */
  readonly size: () => number
}

/**
 * Make a batcher. `maxBatch` caps how many calls share one batch; `concurrency` is how many
 * batches of one lane may run at once (default 1: strictly one after the other). With more than
 * one, `run` must take its locks in a stable order. `parallelFrom` (default 1): a further batch
 * starts beside a running one only when at least that many calls wait — under light load the
 * lane stays one batch at a time (fewer, larger transactions), under heavy load the next batch is
 * written while the previous one commits.
 * @category constructors
 * @since 0.2.0
 */
export const make = <I, O>(
  options: { readonly maxBatch?: number; readonly concurrency?: number; readonly parallelFrom?: number } = {},
): Batcher<I, O> => {
  const maxBatch = options.maxBatch ?? 256
  const concurrency = Math.max(1, options.concurrency ?? 1)
  const parallelFrom = Math.max(1, options.parallelFrom ?? 1)
  const lanes = new Map<string, Lane<I, O>>()
  let pending = 0

  const drain = async (key: string, lane: Lane<I, O>) => {
    lane.running++
    try {
      while (lane.queue.length > 0) {
        const batch = lane.queue.splice(0, maxBatch)
        try {
          const out = await lane.run(batch.map((p) => p.input))
          if (out.length !== batch.length)
            throw new Error(`batch returned ${out.length} results for ${batch.length} inputs`)
          batch.forEach((p, i) => {
            p.resolve(out[i]!)
          })
        } catch (e) {
          if (batch.length === 1) batch[0]!.reject(e)
          else
            for (const p of batch)
              try {
                p.resolve((await lane.run([p.input]))[0]!)
              } catch (one) {
                p.reject(one)
              }
        } finally {
          pending -= batch.length
        }
      }
    } finally {
      lane.running--
      if (lane.queue.length === 0 && lane.running === 0) lanes.delete(key)
    }
  }

  return {
    submit: (key, input, run) =>
      new Promise<O>((resolve, reject) => {
        let lane = lanes.get(key)
        if (!lane) {
          lane = { run, queue: [], running: 0 }
          lanes.set(key, lane)
        }
        lane.queue.push({ input, resolve, reject })
        pending++
        if (lane.running === 0 || (lane.running < concurrency && lane.queue.length >= parallelFrom))
          void drain(key, lane)
      }),
    size: () => pending,
  }
}
