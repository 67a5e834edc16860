/**
 * A burst of questions through the fake Discord, the real discord.js client
 * and the real engine: `npm run load` prints its report, and
 * test/reliability/discord-load.test.ts runs a smaller one in the suite.
 *
 * Every question is dispatched at once (one synchronous loop of gateway
 * events), from `users` readers, mixing slash commands (/ask, /quote), buttons
 * (More passages, Context, ◀ ▶) and chat messages (mentions, DMs). Each one is
 * then followed through the fake's REST log, by interaction id or by the id of
 * the message the bot replies to, until it has its one response: an answer, or
 * a rate-limit notice. A chat message may also be rate-limited silently (one
 * notice per reader per window): the bot logs its id, so it is accounted for,
 * not lost. The report says what was lost or answered twice, latency,
 * throughput, memory before and after, and how punctually heartbeats arrived.
 */
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import pino from 'pino';
import { startBot, type RunningBot } from '../../src/discord/bot.js';
import type { Lectern } from '../../src/lectern.js';
import {
  CallbackType,
  FakeDiscord,
  InteractionProbe,
  buttons,
  buttonClick,
  slashCommand,
  snowflake,
  userMessage,
  type FakeMessage,
  type FakeUser,
  type HeartbeatReport,
  type JsonObject,
  type RecordedRequest,
} from '../../tools/fake-discord/index.js';

/** What a question is: a slash command, a button click or a chat message. */
export const LOAD_KINDS = ['ask', 'quote', 'more', 'context', 'page', 'mention', 'dm'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

/** Kinds that ask the engine and so count against the per-reader rate limit (Context and ◀ ▶ only read the library). */
export const RATE_LIMITED_KINDS: ReadonlySet<LoadKind> = new Set(['ask', 'quote', 'more', 'mention', 'dm']);

/** Default share of each kind, in parts. */
export const DEFAULT_MIX: Readonly<Record<LoadKind, number>> = {
  ask: 24,
  quote: 14,
  more: 8,
  context: 7,
  page: 7,
  mention: 22,
  dm: 18,
};

export interface LoadOptions {
  /** Questions in the burst (default 1,000). */
  questions?: number;
  /** Distinct readers asking them, round-robin (default 200). */
  users?: number;
  /** RATE_LIMIT_COUNT for the run (window: one hour, so admission does not depend on timing). Default 4. */
  rateLimit?: number;
  /** Gateway heartbeat interval (default 1,000 ms): short, so a blocked event loop shows. */
  heartbeatIntervalMs?: number;
  /** The fake closes a connection whose heartbeat is this late (default 3 intervals). */
  heartbeatDeadlineMs?: number;
  /** A heartbeat more than this past its interval counts as late in the report (default half an interval). */
  heartbeatToleranceMs?: number;
  /** The bot's deferAfterMs (default: the bot's own, 1,200 ms), so slow answers are deferred as in production. */
  deferAfterMs?: number;
  /** Shares of each kind. */
  mix?: Partial<Record<LoadKind, number>>;
  /** Seed for the order of kinds (default 1). */
  seed?: number;
  /** Give up waiting for responses after this long (default 180 s). */
  timeoutMs?: number;
  /** Progress lines (default: none). */
  progress?: (line: string) => void;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
}

export interface KindReport {
  sent: number;
  answered: number;
  rateLimitNotices: number;
  rateLimitedSilently: number;
}

export interface LoadReport {
  questions: number;
  users: number;
  rateLimit: number;
  byKind: Record<LoadKind, KindReport>;
  answered: number;
  rateLimitNotices: number;
  /** Chat messages rate-limited after the reader's one notice for the window: logged by id, deliberately not answered. */
  rateLimitedSilently: number;
  /** Ids with no response at all (and no log line saying why). */
  lost: string[];
  /** Ids with more than one response (a second callback, edit, reply or any follow-up). */
  duplicated: string[];
  /** Ids whose response was neither an answer nor a rate-limit notice (an apology, "restarting"…). */
  unexpected: string[];
  /** Readers whose answered / rate-limited counts differ from min(limit, asked) / the rest. */
  rateLimitMismatches: string[];
  /** Messages sent without `allowed_mentions` that block every ping. */
  pingViolations: string[];
  /** REST requests Discord (the fake) refused, and bot messages not tied to any question. */
  restErrors: string[];
  unattributed: string[];
  /** Warnings and errors the bot logged (other than rate-limit waits). */
  botProblems: string[];
  /** Requests discord.js held back to respect a rate limit (mostly its own 50/s global limit). */
  restWaits: number;
  /** Interactions answered after a "thinking…" deferral. */
  deferred: number;
  restRequests: number;
  durationMs: number;
  /** Questions per second, first dispatch to last response. */
  throughput: number;
  /** Question dispatched → reply request seen by the fake, in ms. */
  latency: LatencySummary;
  latencyByKind: Record<LoadKind, LatencySummary>;
  memory: { before: MemorySample; after: MemorySample };
  /** What the client still holds after the run, to explain memory: discord.js caches and REST handlers (swept after an hour idle). */
  retained: { restHandlers: number; channels: number; users: number; cachedMessages: number };
  heartbeats: HeartbeatReport;
  /** True when every check passed. */
  ok: boolean;
  /** One line per failed check. */
  failures: string[];
}

interface Item {
  /** Interaction id, or the id of the user's message. */
  id: string;
  kind: LoadKind;
  user: FakeUser;
  token?: string;
  dispatchedAt: number;
  callbacks: number;
  deferred: boolean;
  edits: number;
  followUps: number;
  replies: number;
  finalAt?: number;
  outcome?: 'answered' | 'rate-limited' | 'unexpected';
  silent: boolean;
}

/** Questions the readers ask: the evaluation sets' questions, cycled. */
const QUESTIONS = [
  'Who signed the communiqué?',
  'What was Yagoda accused of?',
  'When did Yagoda sympathize with the Right Opposition?',
  'Who built the prison cells of the G.P.U.?',
  'What happened to the technicians?',
  'Who was Rakovsky?',
  'What did Serge picture Yagoda doing in his cell?',
  'Which posts did Yagoda hold?',
  'What does the author say about the Moscow trials?',
  'Who replaced Yagoda at the head of the G.P.U.?',
  'How do I bake sourdough bread?',
  'Where was this article published?',
];

const RATE_LIMIT_NOTICE = /^You're asking faster than I can keep up with/;

/** Runs one burst against `engine` and reports; never throws for a failed check (see `ok`, `failures`). */
export async function runDiscordLoad(engine: Lectern, options: LoadOptions = {}): Promise<LoadReport> {
  const questions = options.questions ?? 1000;
  const userCount = options.users ?? 200;
  const rateLimit = options.rateLimit ?? 4;
  const intervalMs = options.heartbeatIntervalMs ?? 1000;
  const progress = options.progress ?? (() => undefined);
  const gc = exposeGc();

  const fake = await FakeDiscord.start({
    heartbeatIntervalMs: intervalMs,
    heartbeatDeadlineMs: options.heartbeatDeadlineMs ?? intervalMs * 3,
  });
  const botLog = new BotLog();
  let bot: RunningBot | undefined;
  try {
    bot = await startBot(engine, {
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        RATE_LIMIT_COUNT: String(rateLimit),
        RATE_LIMIT_WINDOW_SECONDS: '3600',
      },
      logger: pino({ level: 'debug' }, botLog.stream),
      handleSignals: false,
      ...(options.deferAfterMs !== undefined ? { deferAfterMs: options.deferAfterMs } : {}),
    });

    // Warm-up, by readers outside the burst: JIT the paths, and make the messages whose buttons the burst clicks.
    progress('warming up');
    const [warmA, warmB] = [makeUser('warmup-a'), makeUser('warmup-b')];
    const answer = await firstResponse(fake, slashCommand(fake, 'ask', { question: QUESTIONS[0]! }, { user: warmA }));
    const passage = await firstResponse(
      fake,
      slashCommand(fake, 'passage', { paragraph: 3, public: true }, { user: warmA }),
    );
    const more = customId(answer, 'More passages');
    const context = customId(answer, 'Context');
    const pages = buttons(passage)
      .filter((b) => b.custom_id && !b.disabled)
      .map((b) => b.custom_id!);
    await firstResponse(fake, buttonClick(fake, answer, more, { user: warmB }));
    await firstResponse(fake, buttonClick(fake, answer, context, { user: warmB }));
    for (const place of [{ channel: fake.world.general }, { dm: true }]) {
      const message = userMessage(fake, {
        author: warmB,
        content: `<@${fake.world.bot.id}> ${QUESTIONS[1]}`,
        ...place,
      });
      const since = fake.mark();
      fake.sendMessage(message);
      await fake.waitForRequest(
        (r) =>
          (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id ===
          message.id,
        { since },
      );
    }
    await sleep(200);
    fake.forget();
    const before = measure(gc);
    progress(`before: rss ${mib(before.rss)} MiB, heap ${mib(before.heapUsed)} MiB`);

    // The plan: kinds in seeded random order, readers round-robin.
    const users = Array.from({ length: userCount }, (_, i) => makeUser(`reader${i}`));
    const kinds = planKinds(questions, { ...DEFAULT_MIX, ...options.mix }, options.seed ?? 1);
    const items: Item[] = [];
    const byId = new Map<string, Item>();
    const byToken = new Map<string, Item>();
    const restErrors: string[] = [];
    const unattributed: string[] = [];
    const pingViolations: string[] = [];
    let restRequests = 0;
    let lastResponseAt = 0;

    const finish = (item: Item, payload: JsonObject, at: number): void => {
      if (item.finalAt !== undefined) return;
      item.finalAt = at;
      lastResponseAt = Math.max(lastResponseAt, at);
      const description = String(
        ((payload.embeds as JsonObject[] | undefined)?.[0]?.description as string | undefined) ?? '',
      );
      item.outcome = RATE_LIMIT_NOTICE.test(description)
        ? 'rate-limited'
        : /^(Sorry, something went wrong|Lectern is restarting)/.test(description) ||
            !(payload.embeds as unknown[] | undefined)?.length
          ? 'unexpected'
          : 'answered';
    };

    fake.on('request', (r: RecordedRequest) => {
      const at = performance.now();
      restRequests += 1;
      if (r.status >= 400) restErrors.push(`${r.method} ${r.path} -> ${r.status}`);
      const ping = pingViolation(r);
      if (ping) pingViolations.push(ping);
      const ok = r.status < 300;
      const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(r.path);
      if (callback) {
        const item = byId.get(callback[1]!);
        if (!item) return void unattributed.push(`${r.method} ${r.path}`);
        if (!ok) return;
        item.callbacks += 1;
        const body = r.body as { type: number; data?: JsonObject };
        if (
          body.type === CallbackType.DeferredChannelMessageWithSource ||
          body.type === CallbackType.DeferredUpdateMessage
        )
          item.deferred = true;
        else finish(item, body.data ?? {}, at);
        return;
      }
      const webhook = /^\/webhooks\/\d+\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(r.path);
      if (webhook) {
        const item = byToken.get(webhook[1]!);
        if (!item) return void unattributed.push(`${r.method} ${r.path}`);
        if (!ok) return;
        if (r.method === 'PATCH' && webhook[2] === '@original') {
          item.edits += 1;
          finish(item, r.body as JsonObject, at);
        } else if (r.method === 'POST' && webhook[2] === undefined) {
          item.followUps += 1;
        }
        return;
      }
      if (r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)) {
        const ref = (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id;
        const item = ref ? byId.get(ref) : undefined;
        if (!item) return void unattributed.push(`${r.method} ${r.path} (reply to ${ref ?? 'nothing'})`);
        if (!ok) return;
        item.replies += 1;
        finish(item, r.body as JsonObject, at);
      }
    });
    botLog.onSilent = (messageId) => {
      const item = byId.get(messageId);
      if (item) item.silent = true;
    };

    // Build every payload first, so the dispatch loop does nothing else.
    const payloads = kinds.map((kind, i) => {
      const user = users[i % userCount]!;
      const question = QUESTIONS[(i * 7) % QUESTIONS.length]!;
      switch (kind) {
        case 'ask':
          return { kind, user, interaction: slashCommand(fake, 'ask', { question }, { user }) };
        case 'quote':
          return {
            kind,
            user,
            interaction: slashCommand(fake, 'quote', { query: question, count: 1 + (i % 3) }, { user }),
          };
        case 'more':
          return { kind, user, interaction: buttonClick(fake, answer, more, { user }) };
        case 'context':
          return { kind, user, interaction: buttonClick(fake, answer, context, { user }) };
        case 'page':
          return { kind, user, interaction: buttonClick(fake, passage, pages[i % pages.length]!, { user }) };
        case 'mention':
          return {
            kind,
            user,
            message: userMessage(fake, {
              author: user,
              channel: fake.world.general,
              content: `<@${fake.world.bot.id}> ${question}`,
            }),
          };
        case 'dm':
          return { kind, user, message: userMessage(fake, { author: user, dm: true, content: question }) };
      }
    });

    progress(`dispatching ${questions} questions from ${userCount} readers at once`);
    const started = performance.now();
    for (const p of payloads) {
      const item: Item = {
        id: p.interaction ? p.interaction.id : p.message!.id,
        kind: p.kind,
        user: p.user,
        ...(p.interaction ? { token: p.interaction.token } : {}),
        dispatchedAt: performance.now(),
        callbacks: 0,
        deferred: false,
        edits: 0,
        followUps: 0,
        replies: 0,
        silent: false,
      };
      items.push(item);
      byId.set(item.id, item);
      if (item.token) byToken.set(item.token, item);
      if (p.interaction) fake.sendInteraction(p.interaction);
      else fake.sendMessage(p.message!);
    }

    const deadline = performance.now() + (options.timeoutMs ?? 180_000);
    let reported = 0;
    for (;;) {
      const done = items.filter((i) => i.finalAt !== undefined || i.silent).length;
      if (done === items.length || performance.now() > deadline) break;
      if (done - reported >= Math.max(50, questions / 10)) {
        progress(`${done}/${items.length} answered or turned away`);
        reported = done;
      }
      await sleep(50);
    }
    // Let anything that would come twice arrive before judging.
    await sleep(750);
    const durationMs = (lastResponseAt || performance.now()) - started;
    const heartbeats = fake.heartbeatReport(options.heartbeatToleranceMs);

    // ── judging ──
    const lost = items.filter((i) => i.finalAt === undefined && !i.silent).map((i) => `${i.kind} ${i.id}`);
    const duplicated = items
      .filter(
        (i) =>
          i.callbacks > 1 ||
          i.edits > 1 ||
          i.replies > 1 ||
          i.followUps > 0 ||
          (i.silent && i.replies > 0) ||
          (i.deferred && i.edits === 0 && i.finalAt !== undefined),
      )
      .map(
        (i) =>
          `${i.kind} ${i.id} (callbacks ${i.callbacks}, edits ${i.edits}, replies ${i.replies}, follow-ups ${i.followUps}${i.silent ? ', also logged as silently limited' : ''})`,
      );
    const unexpected = items.filter((i) => i.outcome === 'unexpected').map((i) => `${i.kind} ${i.id}`);
    const rateLimitMismatches: string[] = [];
    for (const user of users) {
      const mine = items.filter((i) => i.user === user && RATE_LIMITED_KINDS.has(i.kind));
      const answered = mine.filter((i) => i.outcome === 'answered').length;
      const limited = mine.filter((i) => i.outcome === 'rate-limited' || i.silent).length;
      const expected = Math.min(rateLimit, mine.length);
      if (answered !== expected || limited !== mine.length - expected) {
        rateLimitMismatches.push(
          `${user.username}: asked ${mine.length}, answered ${answered} (expected ${expected}), rate-limited ${limited}`,
        );
      }
    }

    const byKind = Object.fromEntries(
      LOAD_KINDS.map((kind) => {
        const mine = items.filter((i) => i.kind === kind);
        return [
          kind,
          {
            sent: mine.length,
            answered: mine.filter((i) => i.outcome === 'answered').length,
            rateLimitNotices: mine.filter((i) => i.outcome === 'rate-limited').length,
            rateLimitedSilently: mine.filter((i) => i.silent).length,
          },
        ];
      }),
    ) as Record<LoadKind, KindReport>;
    const latencies = (list: Item[]): LatencySummary =>
      summarize(list.filter((i) => i.finalAt !== undefined).map((i) => i.finalAt! - i.dispatchedAt));
    const latency = latencies(items);
    const latencyByKind = Object.fromEntries(
      LOAD_KINDS.map((k) => [k, latencies(items.filter((i) => i.kind === k))]),
    ) as Record<LoadKind, LatencySummary>;
    const answeredCount = items.filter((i) => i.outcome === 'answered').length;
    const notices = items.filter((i) => i.outcome === 'rate-limited').length;
    const silent = items.filter((i) => i.silent).length;
    const deferred = items.filter((i) => i.deferred).length;

    const client = bot.client;
    const retained = {
      restHandlers: client.rest.handlers.size,
      channels: client.channels.cache.size,
      users: client.users.cache.size,
      cachedMessages: client.channels.cache.reduce((n, c) => n + ('messages' in c ? c.messages.cache.size : 0), 0),
    };

    // Memory: drop the fake's records and this run's bookkeeping, then collect.
    items.length = 0;
    byId.clear();
    byToken.clear();
    payloads.length = 0;
    fake.forget();
    await sleep(200);
    const after = measure(gc);
    progress(`after: rss ${mib(after.rss)} MiB, heap ${mib(after.heapUsed)} MiB`);

    const failures: string[] = [];
    const check = (ok: boolean, line: string): void => {
      if (!ok) failures.push(line);
    };
    check(lost.length === 0, `${lost.length} questions lost: ${lost.slice(0, 5).join(', ')}`);
    check(duplicated.length === 0, `${duplicated.length} answered twice: ${duplicated.slice(0, 5).join('; ')}`);
    check(
      unexpected.length === 0,
      `${unexpected.length} got neither an answer nor a rate-limit notice: ${unexpected.slice(0, 5).join(', ')}`,
    );
    check(
      rateLimitMismatches.length === 0,
      `rate limit miscounted for ${rateLimitMismatches.length} readers: ${rateLimitMismatches.slice(0, 3).join('; ')}`,
    );
    check(
      pingViolations.length === 0,
      `${pingViolations.length} messages could ping: ${pingViolations.slice(0, 3).join('; ')}`,
    );
    check(restErrors.length === 0, `${restErrors.length} REST requests refused: ${restErrors.slice(0, 5).join(', ')}`);
    check(
      unattributed.length === 0,
      `${unattributed.length} bot messages tied to no question: ${unattributed.slice(0, 5).join(', ')}`,
    );
    check(
      botLog.problems.length === 0,
      `the bot logged ${botLog.problems.length} warnings or errors: ${botLog.problems.slice(0, 3).join('; ')}`,
    );
    check(
      heartbeats.connections === 1 && heartbeats.timedOut === 0,
      `the gateway connection did not hold: ${heartbeats.connections} connections, ${heartbeats.timedOut} timed out`,
    );
    check(
      heartbeats.late.length === 0,
      `${heartbeats.late.length} heartbeats late (longest wait ${heartbeats.maxGapMs} ms for a ${intervalMs} ms interval)`,
    );

    return {
      questions,
      users: userCount,
      rateLimit,
      byKind,
      answered: answeredCount,
      rateLimitNotices: notices,
      rateLimitedSilently: silent,
      lost,
      duplicated,
      unexpected,
      rateLimitMismatches,
      pingViolations,
      restErrors,
      unattributed,
      botProblems: botLog.problems,
      restWaits: botLog.restWaits,
      deferred,
      restRequests,
      durationMs,
      throughput: questions / (durationMs / 1000),
      latency,
      latencyByKind,
      memory: { before, after },
      retained,
      heartbeats,
      ok: failures.length === 0,
      failures,
    };
  } finally {
    await bot?.stop();
    await fake.stop();
  }
}

/** Whether the memory after a run is within `margin` of before (default: 10% of the heap, at least 16 MiB; RSS 20%, at least 48 MiB). */
export function memoryWithinMargin(
  report: Pick<LoadReport, 'memory'>,
  margin = { heapMiB: 16, heapShare: 0.1, rssMiB: 48, rssShare: 0.2 },
): { ok: boolean; heapGrowthMiB: number; rssGrowthMiB: number } {
  const { before, after } = report.memory;
  const heapGrowth = after.heapUsed - before.heapUsed;
  const rssGrowth = after.rss - before.rss;
  const heapAllowed = Math.max(margin.heapMiB * 2 ** 20, before.heapUsed * margin.heapShare);
  const rssAllowed = Math.max(margin.rssMiB * 2 ** 20, before.rss * margin.rssShare);
  return {
    ok: heapGrowth <= heapAllowed && rssGrowth <= rssAllowed,
    heapGrowthMiB: heapGrowth / 2 ** 20,
    rssGrowthMiB: rssGrowth / 2 ** 20,
  };
}

/** The report as the lines `npm run load` prints. */
export function formatReport(r: LoadReport): string {
  const ms = (n: number): string => `${Math.round(n)} ms`;
  const memory = memoryWithinMargin(r);
  const lines = [
    `Questions: ${r.questions} from ${r.users} readers at once (RATE_LIMIT_COUNT=${r.rateLimit})`,
    `  answered ${r.answered}, rate-limit notices ${r.rateLimitNotices}, rate-limited silently (logged) ${r.rateLimitedSilently}`,
    `  lost ${r.lost.length}, answered twice ${r.duplicated.length}, neither ${r.unexpected.length}`,
    '',
    '  kind       sent  answered  notices  silent   p50      p99',
    ...LOAD_KINDS.map((k) => {
      const s = r.byKind[k];
      const l = r.latencyByKind[k];
      return `  ${k.padEnd(9)} ${String(s.sent).padStart(5)} ${String(s.answered).padStart(9)} ${String(s.rateLimitNotices).padStart(8)} ${String(s.rateLimitedSilently).padStart(7)}   ${ms(l.p50).padEnd(8)} ${ms(l.p99)}`;
    }),
    '',
    `Throughput: ${r.throughput.toFixed(1)} questions/s (${(r.durationMs / 1000).toFixed(1)} s, first dispatch to last response; ${r.restRequests} REST requests, ${r.restWaits} held back by discord.js's rate limiter, ${r.deferred} deferred)`,
    `Latency (dispatched → reply request seen): p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}`,
    `Memory after GC: heap ${mib(r.memory.before.heapUsed)} → ${mib(r.memory.after.heapUsed)} MiB (${signed(memory.heapGrowthMiB)}), rss ${mib(r.memory.before.rss)} → ${mib(r.memory.after.rss)} MiB (${signed(memory.rssGrowthMiB)})${memory.ok ? '' : '  ← over the margin'}`,
    `  still cached by discord.js: ${r.retained.channels} channels, ${r.retained.users} users, ${r.retained.cachedMessages} messages, ${r.retained.restHandlers} REST handlers (one per interaction token, swept after an hour idle)`,
    `Heartbeats: ${r.heartbeats.beats} every ${r.heartbeats.intervalMs} ms, longest wait ${r.heartbeats.maxGapMs} ms, ${r.heartbeats.late.length} late; ${r.heartbeats.connections} gateway connection(s), ${r.heartbeats.timedOut} timed out`,
    '',
    r.ok && memory.ok
      ? 'OK: every question got exactly one answer or rate-limit notice.'
      : `FAILED:\n${[...r.failures, ...(memory.ok ? [] : ['memory grew past the margin'])].map((f) => `  - ${f}`).join('\n')}`,
  ];
  return lines.join('\n');
}

// ───────────────────────────── helpers ─────────────────────────────

/** Collects the bot's pino lines: warnings and errors, and chat messages rate-limited without a notice. */
class BotLog {
  readonly problems: string[] = [];
  /** discord.js waiting out a rate limit (its own 50 requests/s global limit, under a burst): expected, counted apart. */
  restWaits = 0;
  onSilent: (messageId: string) => void = () => undefined;
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const parsed = JSON.parse(line) as {
          level: number;
          msg: string;
          event?: string;
          message?: string;
          notified?: boolean;
        };
        if (parsed.msg === 'Discord rate limit hit; waiting') this.restWaits += 1;
        else if (parsed.level >= 40) this.problems.push(`${parsed.msg} ${line.slice(0, 300)}`);
        if (parsed.event === 'rate_limited' && parsed.message && parsed.notified === false)
          this.onSilent(parsed.message);
      }
      callback();
    },
  });
}

function makeUser(username: string): FakeUser {
  return { id: snowflake(), username, global_name: username, discriminator: '0', avatar: null };
}

/** Kinds in proportion to `mix`, in a seeded random order. */
function planKinds(count: number, mix: Record<LoadKind, number>, seed: number): LoadKind[] {
  const total = LOAD_KINDS.reduce((n, k) => n + mix[k], 0);
  const kinds: LoadKind[] = [];
  for (const k of LOAD_KINDS) for (let i = 0; i < Math.floor((count * mix[k]) / total); i++) kinds.push(k);
  for (let i = 0; kinds.length < count; i++) kinds.push(LOAD_KINDS[i % LOAD_KINDS.length]!);
  const random = mulberry32(seed);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dispatches an interaction and returns the message the bot answered with (waiting through a deferral). */
async function firstResponse(
  fake: FakeDiscord,
  payload: Parameters<typeof InteractionProbe.send>[1],
): Promise<FakeMessage> {
  const probe = InteractionProbe.send(fake, payload);
  const reply = await probe.final();
  const stored = probe.storedMessage();
  if (stored) return stored;
  // Ephemeral answers are stored as well; a button's UPDATE has none of its own.
  return { ...(reply.payload as object), id: snowflake(), channel_id: payload.channel_id } as FakeMessage;
}

function customId(message: FakeMessage, label: string): string {
  const id = buttons(message).find((b) => b.label === label)?.custom_id;
  if (!id) throw new Error(`the warm-up answer has no "${label}" button`);
  return id;
}

/** Why a request that carries a message could ping someone, or undefined. */
function pingViolation(r: RecordedRequest): string | undefined {
  const body = r.body as JsonObject | undefined;
  if (!body || typeof body !== 'object' || r.status >= 300) return undefined;
  let payload: JsonObject | undefined;
  if (r.path.endsWith('/callback')) {
    const type = body.type as number;
    if (type === CallbackType.ChannelMessageWithSource || type === CallbackType.UpdateMessage)
      payload = (body.data ?? {}) as JsonObject;
  } else if (
    (r.method === 'POST' || r.method === 'PATCH') &&
    (/^\/channels\/\d+\/messages(\/\d+)?$/.test(r.path) || r.path.startsWith('/webhooks/'))
  ) {
    payload = body;
  }
  if (!payload) return undefined;
  const allowed = payload.allowed_mentions as
    { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean } | undefined;
  if (
    !allowed ||
    (allowed.parse ?? []).length ||
    (allowed.users ?? []).length ||
    (allowed.roles ?? []).length ||
    allowed.replied_user
  ) {
    return `${r.method} ${r.path}: allowed_mentions ${JSON.stringify(allowed)}`;
  }
  return undefined;
}

function summarize(values: number[]): LatencySummary {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

/** `global.gc`, exposing it at run time when node was started without --expose-gc. */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function measure(gc: () => void): MemorySample {
  for (let i = 0; i < 3; i++) gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(1)} MiB`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
