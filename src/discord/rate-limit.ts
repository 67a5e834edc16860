/**
 * Per-user sliding-window rate limit: at most `count` questions in any
 * `windowMs`. Kept in memory; a restart forgives everyone, which is fine for
 * a limit whose purpose is to keep one person from flooding the engine.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  /** Users already told they are limited in their current window, so chat mode does not spam notices. */
  private readonly notified = new Map<string, number>();

  constructor(
    readonly count: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records a question from `key` if allowed.
   * @returns `{ ok: true }`, or `{ ok: false, retryAfterMs }` with the time until the oldest question leaves the window.
   */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.count) {
      this.hits.set(key, recent);
      return { ok: false, retryAfterMs: Math.max(0, recent[0]! + this.windowMs - now) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    this.notified.delete(key);
    this.sweep(now);
    return { ok: true };
  }

  /** True the first time it is called for `key` while limited in a window, false after (until the user is allowed again). */
  shouldNotify(key: string): boolean {
    const now = this.now();
    const at = this.notified.get(key);
    if (at !== undefined && now - at < this.windowMs) return false;
    this.notified.set(key, now);
    return true;
  }

  /** Forgets users idle for a whole window, so the maps do not grow without bound. */
  private sweep(now: number): void {
    if (this.hits.size < 1000) return;
    for (const [key, times] of this.hits) {
      if (times.every((t) => now - t >= this.windowMs)) this.hits.delete(key);
    }
    for (const [key, at] of this.notified) if (now - at >= this.windowMs) this.notified.delete(key);
  }
}
