/**
 * Time for the reminder scheduler: the system clock in the bot, a FakeClock in
 * tests, which moves only when the test says so (no test waits for real time).
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves once now() >= time, or at once when `signal` aborts (never rejects). */
  sleepUntil(time: number, signal?: AbortSignal): Promise<void>;
}

/** setTimeout's longest delay (about 24.8 days); longer sleeps are taken in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleepUntil(time, signal) {
    while (!signal?.aborted && Date.now() < time) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(time - Date.now(), MAX_TIMEOUT_MS));
        signal?.addEventListener('abort', done, { once: true });
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
      });
    }
  },
};

interface Sleeper {
  time: number;
  resolve: () => void;
}

export class FakeClock implements Clock {
  private sleepers: Sleeper[] = [];
  private sleepWaiters: (() => void)[] = [];

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  sleepUntil(time: number, signal?: AbortSignal): Promise<void> {
    if (time <= this.time || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = {
        time,
        resolve: () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          signal?.removeEventListener('abort', sleeper.resolve);
          resolve();
        },
      };
      signal?.addEventListener('abort', sleeper.resolve, { once: true });
      this.sleepers.push(sleeper);
      for (const wake of this.sleepWaiters.splice(0)) wake();
    });
  }

  /** Moves time to `time` (never backwards) and wakes every sleeper whose time has come. */
  setTime(time: number): void {
    this.time = Math.max(this.time, time);
    for (const sleeper of [...this.sleepers]) if (sleeper.time <= this.time) sleeper.resolve();
  }

  advance(ms: number): void {
    this.setTime(this.time + ms);
  }

  /** How many callers are asleep. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** Resolves when someone is asleep: for a test, "the scheduler has finished its pass and waits". */
  nextSleep(): Promise<void> {
    if (this.sleepers.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.sleepWaiters.push(resolve));
  }
}
