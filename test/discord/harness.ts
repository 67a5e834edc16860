/**
 * Test harness: the fake Discord, the real Lectern engine and the real bot
 * (real discord.js client) wired together, with logs captured in memory.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { expect } from 'vitest';
import { startBot, type RunningBot, type StartBotOptions } from '../../src/discord/bot.js';
import { embedViolations, LIMITS } from '../../src/discord/limits.js';
import { Lectern } from '../../src/lectern.js';
import {
  CallbackType,
  FakeDiscord,
  InteractionProbe,
  type FakeDiscordOptions,
  type JsonObject,
  type RecordedRequest,
} from '../../tools/fake-discord/index.js';

/** One parsed pino line. */
export type LogLine = { level: number; msg: string; [key: string]: unknown };

export interface Harness {
  fake: FakeDiscord;
  bot: RunningBot;
  engine: Lectern;
  logs: LogLine[];
  /** Emits 'log' for every line, for `waitForLog`. */
  logEvents: EventEmitter;
  /** Dispatches an interaction and returns a probe on it. */
  interact(payload: Parameters<typeof InteractionProbe.send>[1]): InteractionProbe;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  fake?: FakeDiscordOptions;
  /**
   * A fake Discord already running (a restarted bot logging into the same world): used instead of a new
   * one, and left running by `stop()`, for its owner to stop.
   */
  discord?: FakeDiscord;
  /** Default 10 s: tests answer directly unless they ask for deferral (0). */
  deferAfterMs?: number;
  bot?: Partial<StartBotOptions>;
}

/** Starts a fake Discord and logs the bot into it. */
export async function startHarness(engine: Lectern, options: HarnessOptions = {}): Promise<Harness> {
  const fake = options.discord ?? (await FakeDiscord.start(options.fake));
  const logs: LogLine[] = [];
  const logEvents = new EventEmitter();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const parsed = JSON.parse(line) as LogLine;
        logs.push(parsed);
        logEvents.emit('log', parsed);
      }
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  // Each bot gets its own store (clubs, bookmarks) unless the test names one: never the checkout's data/.
  const dataDir =
    options.env?.LECTERN_DATA_DIR === undefined && options.bot?.store === undefined
      ? await mkdtemp(path.join(tmpdir(), 'lectern-bot-'))
      : undefined;
  const env = {
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    ASK_CHANNEL_IDS: fake.world.askChannel.id,
    // Books are downloaded only from configured hosts: here, the fake Discord's CDN.
    LECTERN_ATTACHMENT_HOSTS: fake.attachmentOrigin,
    ...(dataDir ? { LECTERN_DATA_DIR: dataDir } : {}),
    ...options.env,
  };
  const bot = await startBot(engine, {
    env,
    logger,
    deferAfterMs: options.deferAfterMs ?? 10_000,
    handleSignals: false,
    ...options.bot,
  });
  return {
    fake,
    bot,
    engine,
    logs,
    logEvents,
    interact: (payload) => InteractionProbe.send(fake, payload),
    async stop() {
      await bot.stop();
      if (!options.discord) await fake.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether a request creates or edits a message (and so must carry `allowed_mentions`). */
export function carriesMessage(request: RecordedRequest): boolean {
  const body = request.body as JsonObject | undefined;
  if (!body || typeof body !== 'object') return false;
  if (request.path.endsWith('/callback')) {
    const type = body.type as number;
    return type === CallbackType.ChannelMessageWithSource || type === CallbackType.UpdateMessage;
  }
  if (request.path.includes('/threads')) return false;
  return (
    (request.method === 'POST' &&
      (/^\/channels\/\d+\/messages$/.test(request.path) || /^\/webhooks\/\d+\/[^/]+$/.test(request.path))) ||
    (request.method === 'PATCH' &&
      (/^\/webhooks\//.test(request.path) || /^\/channels\/\d+\/messages\/\d+$/.test(request.path)))
  );
}

/** The message payload of a request: callback `data`, or the body. */
export function messageBody(request: RecordedRequest): JsonObject {
  const body = request.body as JsonObject;
  return request.path.endsWith('/callback') ? ((body.data ?? {}) as JsonObject) : body;
}

/** Asserts a message request pings nobody: no parse, no users, no roles, no replied user. */
export function expectNoPings(request: RecordedRequest): void {
  const allowed = messageBody(request).allowed_mentions as
    { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean } | undefined;
  expect(allowed, `${request.method} ${request.path} has allowed_mentions`).toBeDefined();
  expect(allowed!.parse ?? []).toEqual([]);
  expect(allowed!.users ?? []).toEqual([]);
  expect(allowed!.roles ?? []).toEqual([]);
  expect(allowed!.replied_user ?? false).toBe(false);
}

/** Asserts a message payload is within every Discord limit. */
export function expectWithinLimits(payload: JsonObject): void {
  const content = (payload.content as string | undefined) ?? '';
  expect(content.length).toBeLessThanOrEqual(LIMITS.content);
  const embeds = (payload.embeds ?? []) as Parameters<typeof embedViolations>[0];
  expect(embedViolations(embeds)).toEqual([]);
  const rows = (payload.components ?? []) as Array<{ components: Array<{ custom_id?: string; label?: string }> }>;
  expect(rows.length).toBeLessThanOrEqual(LIMITS.actionRows);
  for (const row of rows) {
    expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    for (const c of row.components) {
      expect(c.custom_id?.length ?? 0).toBeLessThanOrEqual(LIMITS.customId);
      expect(c.label?.length ?? 0).toBeLessThanOrEqual(LIMITS.buttonLabel);
    }
  }
}

/** Checks every message the bot sent so far: no pings, within limits. Returns how many were checked. */
export function checkAllMessages(fake: FakeDiscord): number {
  const sent = fake.requests.filter(carriesMessage);
  for (const request of sent) {
    expectNoPings(request);
    expectWithinLimits(messageBody(request));
  }
  return sent.length;
}

/** Log lines for questions (event "question"). */
export function questionLogs(logs: LogLine[]): LogLine[] {
  return logs.filter((l) => l.event === 'question');
}

/** Removes rendering from embed text: block-quote markers, bold, escapes. What a reader sees. */
export function visibleText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => line.replace(/^> ?/, ''))
    .join('\n')
    .replace(/\*\*/g, '')
    .replace(/\\([^0-9A-Za-z\s])/g, '$1');
}

/** Resolves after `ms`. Used only to let a request that must NOT happen have its chance. */
export const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The first log line matching `predicate`, waiting for it if need be (the bot logs after the failing request). */
export function waitForLog(
  harness: Harness,
  predicate: (line: LogLine) => boolean,
  timeoutMs = 30_000,
): Promise<LogLine> {
  const found = harness.logs.find(predicate);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onLog = (line: LogLine): void => {
      if (!predicate(line)) return;
      clearTimeout(timer);
      harness.logEvents.off('log', onLog);
      resolve(line);
    };
    const timer = setTimeout(() => {
      harness.logEvents.off('log', onLog);
      reject(new Error(`no matching log line; last lines: ${JSON.stringify(harness.logs.slice(-3))}`));
    }, timeoutMs);
    harness.logEvents.on('log', onLog);
  });
}

/** The real engine and a bot on a fake Discord, as most end-to-end files use them (rate limit out of the way). */
export async function openBot(
  options: HarnessOptions = { env: { RATE_LIMIT_COUNT: '1000' } },
): Promise<{ lectern: Lectern; h: Harness }> {
  const lectern = await Lectern.open();
  return { lectern, h: await startHarness(lectern, options) };
}

/** Stops what {@link openBot} started; safe when it failed halfway. */
export async function closeBot(h: Harness | undefined, lectern: Lectern | undefined): Promise<void> {
  await h?.stop();
  await lectern?.close();
}

/** The embeds of a message payload, with the fields the tests read. */
export type Embed = {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: Array<{ name: string; value: string }>;
  author?: { name: string };
};
export const embedsOf = (payload: { embeds?: unknown }): Embed[] => (payload.embeds ?? []) as Embed[];
