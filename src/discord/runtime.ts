/**
 * The bot's runtime state (see BotRuntime).
 */
import type { Logger } from 'pino';
import type { Clock } from '../club/clock.js';
import type { Store } from '../store/types.js';
import type { Answer } from '../types.js';
import { AskQueue } from './ask-queue.js';
import type { DiscordConfig } from './config.js';
import type { BotAskOptions, BotConverseOptions, BotEngine, BotLibraries } from './engine.js';
import { libraryViewOf, type LibraryView } from './library-view.js';
import { describeError } from './log-failure.js';
import { RateLimiter } from './rate-limit.js';
import type { Responder } from './reply.js';

/** Where a question came from, for logs. */
export interface QuestionMeta {
  /** e.g. "/ask", "/quote", "chat", "button:more". */
  source: string;
  guildId: string | null;
  channelId: string | null;
}

/**
 * The running bot's shared state, passed to every handler: engine, settings,
 * logger, rate limiter, the library as views read it, the store of clubs and
 * bookmarks with its clock, and the work in flight that shutdown waits for. Also the one place where questions are asked,
 * queued, timed and logged.
 */
export class BotRuntime implements Responder {
  readonly limiter: RateLimiter;
  /** The engine's library as views and buttons read it. */
  readonly library: LibraryView;
  private readonly inflight = new Set<Promise<unknown>>();
  /** Engine questions run through this, one at a time (see AskQueue). */
  private readonly queue = new AskQueue();
  /** Set when shutting down: new work is refused. */
  closing = false;
  /**
   * False when the place this runtime reads for (see {@link in}) can see no text at all: a server
   * without books of its own when LECTERN_SHARED_TEXTS=false, or a DM then. Commands that read the
   * library are refused (admission.ts `seesTexts`).
   */
  readonly seesTexts: boolean = true;

  constructor(
    readonly engine: BotEngine,
    readonly config: DiscordConfig,
    readonly logger: Logger,
    /** Defer an interaction when the answer is not ready after this long (Discord allows 3 s in all). */
    readonly deferAfterMs: number,
    /** Clubs and bookmarks (src/store): SQLite, or PostgreSQL for several processes. */
    readonly store: Store,
    /** The time clubs are read at: the system clock, a FakeClock in tests. */
    readonly clock: Clock,
    /** Per-server libraries: what each server's questions are answered from, and /library. */
    readonly libraries: BotLibraries,
    /** Tells the reminder scheduler that a club started or resumed, so it looks again now. */
    readonly wakeReminders: () => void = () => undefined,
  ) {
    this.limiter = new RateLimiter(config.rateLimit.count, config.rateLimit.windowMs);
    this.library = libraryViewOf(engine);
  }

  /**
   * The runtime as one place reads it: the same bot (its queue, rate limiter, store and work in flight,
   * shared through the prototype) answering from the library of server `guildId`, or of a DM for null.
   * Every handler is given this view, never the bot itself, so no path can read another server's texts.
   * The library stays open until {@link release} (a server's index may be evicted meanwhile).
   */
  async in(guildId: string | null): Promise<BotRuntime> {
    const { engine, release } = await this.libraries.borrow(guildId);
    const view = Object.create(this) as BotRuntime;
    const served = engine ?? this.engine;
    Object.defineProperties(view, {
      engine: { value: served },
      library: { value: libraryViewOf(served) },
      seesTexts: { value: engine !== null },
      release: { value: release },
    });
    return view;
  }

  /** Lets the library a view of {@link in} holds be closed, if it was evicted meanwhile. */
  release(): void {}

  /** Runs `work`, counting it as in flight until it settles (shutdown waits for these). Never rejects. */
  track(work: () => Promise<unknown>): Promise<void> {
    const promise = work().catch((error: unknown) => {
      this.logger.error({ err: describeError(error) }, 'unhandled error in a Discord handler');
    });
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
    return promise.then(() => undefined);
  }

  /** Waits until nothing is in flight, or `timeoutMs` passes. Returns how many were still running. */
  async drain(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.inflight]), timeout]);
    clearTimeout(timer);
    return this.inflight.size;
  }

  /** Asks the engine, logging guild, channel, latency and outcome (and the question only when LOG_QUESTIONS=true). */
  ask(question: string, options: BotAskOptions, meta: QuestionMeta): Promise<Answer> {
    return this.logged(question, options, meta, () => this.engine.ask(question, options));
  }

  /**
   * One message of the conversation of `userId` in a channel (or DM): a new question or a
   * follow-up of the last one ("why?"). Logged like {@link ask}, with the follow-up's kind.
   */
  converse(question: string, options: BotConverseOptions, meta: QuestionMeta & { userId: string }): Promise<Answer> {
    const key = conversationKey(meta.guildId, meta.channelId, meta.userId);
    return this.logged(
      question,
      options,
      meta,
      async () => (await this.engine.converse(key, question, options)).answer,
    );
  }

  private async logged(
    question: string,
    options: BotAskOptions,
    meta: QuestionMeta,
    run: () => Promise<Answer>,
  ): Promise<Answer> {
    const started = performance.now();
    const base = {
      event: 'question',
      source: meta.source,
      guild: meta.guildId ?? 'dm',
      channel: meta.channelId,
      ...(options.docId ? { docId: options.docId } : {}),
      ...(options.chapter ? { chapter: options.chapter } : {}),
      ...(options.until ? { until: options.until.through } : {}),
      ...(options.offset ? { offset: options.offset } : {}),
      ...(this.config.logQuestions
        ? { question, ...(options.followUpOf ? { followUpOf: options.followUpOf } : {}) }
        : {}),
    };
    try {
      const answer = await this.queue.run(run);
      this.logger.info(
        {
          ...base,
          // What the message was: a new question (null) or a follow-up's kind ("why", "more", "context").
          followUp: answer.followUp?.kind ?? null,
          ...(this.config.logQuestions && answer.followUp ? { followUpOf: answer.followUp.of } : {}),
          latencyMs: Math.round(performance.now() - started),
          answered: answer.answered,
          status: answer.status,
          passages: answer.passages.length,
          queued: this.queue.length,
        },
        'question answered',
      );
      return answer;
    } catch (error) {
      this.logger.error(
        { ...base, latencyMs: Math.round(performance.now() - started), answered: false, err: describeError(error) },
        'question failed',
      );
      throw error;
    }
  }
}

/** The conversation of one user in one channel (or DM): `${guildId ?? 'dm'}:${channelId}:${userId}`. */
export function conversationKey(guildId: string | null, channelId: string | null, userId: string): string {
  return `${guildId ?? 'dm'}:${channelId ?? ''}:${userId}`;
}
