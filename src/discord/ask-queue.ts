/**
 * The queue every engine question waits in (see AskQueue for why).
 */

/**
 * Runs engine questions one at a time, each in its own turn of the event loop.
 *
 * Why: onnxruntime-node runs the embedding model synchronously on the main
 * thread (its `run` only wraps the work in `setImmediate`). When a burst of
 * questions arrives, every one of those `setImmediate`s lands in the same
 * check phase and Node runs them back to back: 150 questions at once blocked
 * the loop for one to two seconds, the gateway heartbeat (a timer) fired late,
 * discord.js took the connection for a zombie and reconnected
 * (test/reliability/discord-load.test.ts). One question at a time, started
 * from a fresh `setImmediate`, blocks the loop for one embedding (~10 ms) at
 * most; the engine is CPU-bound on this thread anyway, so throughput is the
 * same. First come, first served.
 */
export class AskQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** Questions waiting or running. */
  get length(): number {
    return this.queued;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    this.queued += 1;
    const result = this.tail.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(job);
    const settled = result.finally(() => (this.queued -= 1));
    this.tail = settled.catch(() => undefined);
    return settled;
  }
}
