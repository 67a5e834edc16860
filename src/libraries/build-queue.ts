/**
 * The queue of library builds: one at a time per process, first come first served. Embedding a novel
 * takes both cores for a minute or more; two at once would take as long in all, delay the first book
 * by the second's length, and starve the answers the bot keeps giving meanwhile.
 */

/** A build waiting or running. */
export interface QueuedBuild {
  /** The server it is for. */
  readonly guildId: string;
  /**
   * Runs the build; `signal` aborts with reason {@link CANCELLED} when someone cancels it, or
   * {@link SHUTDOWN} when the process stops (then the build is left queued, to resume on restart).
   */
  run(signal: AbortSignal): Promise<void>;
  /** Told the build's place whenever it changes while it waits: 1 is next. */
  onPosition?(position: number): void;
}

/** The abort reason of a build someone cancelled. */
export const CANCELLED = 'cancelled';
/** The abort reason of a build stopped because the process is shutting down. */
export const SHUTDOWN = 'shutdown';

interface Entry {
  build: QueuedBuild;
  stop: AbortController;
  done: Promise<void>;
  settle: () => void;
}

export class BuildQueue {
  private readonly waiting: Entry[] = [];
  private running: Entry | null = null;
  private closed = false;

  /**
   * Adds a build; returns its place (0: it runs now, 1: next) and a promise settled when it has run,
   * been cancelled or failed (the build reports its own outcome; this never rejects).
   */
  enqueue(build: QueuedBuild): { position: number; done: Promise<void>; cancel: () => void } {
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const entry: Entry = { build, stop: new AbortController(), done, settle };
    this.waiting.push(entry);
    const position = this.running ? this.waiting.length : 0;
    queueMicrotask(() => this.next());
    return { position, done, cancel: () => this.cancel(entry) };
  }

  private cancel(entry: Entry): void {
    entry.stop.abort(CANCELLED);
    const index = this.waiting.indexOf(entry);
    if (index >= 0) {
      // Not started: run it with its signal aborted, so it reports "cancelled" through its own path.
      this.waiting.splice(index, 1);
      void this.start(entry).finally(() => this.tellPositions());
    }
  }

  private next(): void {
    if (this.running || this.closed) return;
    const entry = this.waiting.shift();
    if (!entry) return;
    this.running = entry;
    this.tellPositions();
    void this.start(entry).finally(() => {
      this.running = null;
      this.next();
    });
  }

  private async start(entry: Entry): Promise<void> {
    try {
      await entry.build.run(entry.stop.signal);
    } catch {
      // A build reports its own failure; the queue goes on.
    } finally {
      entry.settle();
    }
  }

  private tellPositions(): void {
    this.waiting.forEach((entry, i) => entry.build.onPosition?.(i + 1));
  }

  /** Stops the running build (it stays queued, to resume on restart), drops the waiting ones, and waits. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.waiting.splice(0)) entry.settle();
    const running = this.running;
    running?.stop.abort(SHUTDOWN);
    await running?.done;
  }
}
