/**
 * State shared by the bot's handlers: engine, settings, logger, rate limiter,
 * and the in-flight work that shutdown waits for. Also the one place where
 * questions are asked, timed and logged.
 */
import type { Logger } from 'pino';
import type { Answer, LibraryDocument } from '../types.js';
import type { DiscordConfig } from './config.js';
import { cleanQuestion, truncateQuestion } from '../search/ask.js';
import { describeError } from './respond.js';
import { renderContextFor, type BotAskOptions, type BotEngine } from './engine.js';
import { RateLimiter } from './rate-limit.js';
import { escapedLine, type RenderContext } from './render.js';

/** Longest question the bot accepts; longer ones get a short message asking for a shorter one. */
export const MAX_QUESTION_CHARS = 1000;

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

/** Where a question came from, for logs. */
export interface QuestionMeta {
  /** e.g. "/ask", "/quote", "chat", "button:more". */
  source: string;
  guildId: string | null;
  channelId: string | null;
}

export class BotContext {
  readonly limiter: RateLimiter;
  readonly render: RenderContext;
  private readonly inflight = new Set<Promise<unknown>>();
  /** Engine questions run through this, one at a time (see AskQueue). */
  private readonly queue = new AskQueue();
  /** Set when shutting down: new work is refused. */
  closing = false;

  constructor(
    readonly engine: BotEngine,
    readonly config: DiscordConfig,
    readonly logger: Logger,
    /** Defer an interaction when the answer is not ready after this long (Discord allows 3 s in all). */
    readonly deferAfterMs: number,
  ) {
    this.limiter = new RateLimiter(config.rateLimit.count, config.rateLimit.windowMs);
    this.render = renderContextFor(engine);
  }

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
  async ask(question: string, options: BotAskOptions, meta: QuestionMeta): Promise<Answer> {
    const started = performance.now();
    const base = {
      event: 'question',
      source: meta.source,
      guild: meta.guildId ?? 'dm',
      channel: meta.channelId,
      ...(options.docId ? { docId: options.docId } : {}),
      ...(options.offset ? { offset: options.offset } : {}),
      followUp: Boolean(options.followUpOf),
      ...(this.config.logQuestions ? { question, ...(options.followUpOf ? { followUpOf: options.followUpOf } : {}) } : {}),
    };
    try {
      const answer = await this.queue.run(() => this.engine.ask(question, options));
      this.logger.info(
        { ...base, latencyMs: Math.round(performance.now() - started), answered: answer.answered, status: answer.status, passages: answer.passages.length, queued: this.queue.length },
        'question answered',
      );
      return answer;
    } catch (error) {
      this.logger.error({ ...base, latencyMs: Math.round(performance.now() - started), answered: false, err: describeError(error) }, 'question failed');
      throw error;
    }
  }

  /** Position of a document in the library (what buttons store instead of long ids). */
  docIndex(docId: string): number {
    return this.engine.library.documents.findIndex((d) => d.id === docId);
  }

  docAt(index: number): LibraryDocument | undefined {
    return this.engine.library.documents[index];
  }

  /**
   * The document a `text:` option names: its id (what autocomplete sends) or,
   * when someone typed instead of picking, the best title match.
   */
  resolveText(text: string | null | undefined): { doc?: LibraryDocument; error?: string } {
    if (!text) return {};
    const library = this.engine.library;
    const doc = library.getDocument(text) ?? library.searchTitles(text)[0];
    if (doc) return { doc };
    // The reader's words come back cleaned (no control, bidi or invalid characters) and escaped:
    // echoed raw, "**x**", "<@&id>" or a code fence would render, and a cut could split an emoji.
    const shown = escapedLine(truncateQuestion(cleanQuestion(text), 100).text, 250);
    return { error: `I have no text matching “${shown}”. See /sources for the texts I can quote.` };
  }
}
