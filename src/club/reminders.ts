/**
 * Weekly reminders: at the start of each scheduled week, the week's assignment
 * and due date are posted in the club's channel (by the injected `post`).
 *
 * The next post time is persisted per club (next_post_at). A reminder is
 * claimed before it is posted, by a compare-and-set in the store, so it is
 * posted at most once however many processes run and however often they
 * restart; a reminder that fell due while no process ran is found on the next
 * pass and posted once. Claim, then post: if the process dies between the two
 * (or Discord refuses the post), that week's reminder is lost, never doubled.
 */
import type { ClubRecord, Store } from '../store/types.js';
import type { Clock } from './clock.js';
import { reminderAt, type WeekAssignment } from './timeline.js';

export interface ReminderSchedulerOptions {
  store: Store;
  clock: Clock;
  /** Posts the week's assignment in the club's channel. */
  post: (club: ClubRecord, week: WeekAssignment) => Promise<void>;
  /** A failed post or store read; the scheduler carries on. Default: ignored. */
  onError?: (error: unknown, club?: ClubRecord) => void;
  /**
   * The longest sleep between passes. Another process (or shard) may start a
   * club whose first reminder is sooner than any this one knows of; weekly
   * reminders a minute late are fine.
   * @default 60000
   */
  pollIntervalMs?: number;
  /**
   * Clubs claimed per store query; more are fetched until none is due.
   * @default 50
   */
  batchSize?: number;
}

export interface PostedReminder {
  club: ClubRecord;
  week: WeekAssignment;
}

export class ReminderScheduler {
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private running: Promise<void> | undefined;
  private stopping = new AbortController();
  private wakeUp = new AbortController();

  constructor(private readonly options: ReminderSchedulerOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 60_000;
    this.batchSize = options.batchSize ?? 50;
  }

  /** One pass: claims and posts every reminder due now. Returns the ones this process posted. */
  async runDue(): Promise<PostedReminder[]> {
    const { store, clock, post } = this.options;
    const posted: PostedReminder[] = [];
    for (;;) {
      const now = clock.now();
      const due = await store.dueReminders(now, this.batchSize);
      for (const club of due) {
        const { week, nextPostAt } = reminderAt(club, now);
        const claimed = await store.claimReminder({
          guildId: club.guildId,
          clubId: club.id,
          expectedNextPostAt: club.nextPostAt!,
          week: week?.index ?? null,
          nextPostAt,
        });
        if (!claimed || !week) continue;
        try {
          await post(club, week);
          posted.push({ club, week });
        } catch (error) {
          this.options.onError?.(error, club);
        }
      }
      // Every due club was claimed (by us or another process) and is no longer due, so this ends.
      if (due.length < this.batchSize) return posted;
    }
  }

  /** Runs passes until stop(): after each, sleeps until the next reminder (at most pollIntervalMs). */
  start(): void {
    if (this.running) return;
    this.stopping = new AbortController();
    this.running = this.loop();
  }

  /** A club started or resumed: look again now rather than at the end of the current sleep. */
  wake(): void {
    this.wakeUp.abort();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp.abort();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    const { store, clock } = this.options;
    while (!this.stopping.signal.aborted) {
      // Renewed before the pass, so a wake() during the pass cuts the following sleep short.
      this.wakeUp = new AbortController();
      let next: number | undefined;
      try {
        await this.runDue();
        next = await store.nextReminderAt();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (this.stopping.signal.aborted) return;
      const poll = clock.now() + this.pollIntervalMs;
      await clock.sleepUntil(Math.min(next ?? poll, poll), AbortSignal.any([this.stopping.signal, this.wakeUp.signal]));
    }
  }
}
