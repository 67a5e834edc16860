/**
 * The Discord bot under faults, end to end (fake Discord, real discord.js
 * client, real engine):
 * - the gateway drops mid-burst, resumably (RESUME with replay) or not (a new
 *   IDENTIFY): every question is answered exactly once, later ones too;
 * - Discord answers a reply with 429 (retry_after, per route or global), 500
 *   or 403: discord.js retries where it does, the bot logs it and keeps going;
 * - SIGTERM, twice, or Ctrl-C on `npm start` while an answer is in flight:
 *   the real entry point (a child process) sends the reply, or gives up after
 *   SHUTDOWN_TIMEOUT_SECONDS, and exits 0;
 * - the token never shows in logs, errors or crash output (a distinctive
 *   fake token is searched for), and a rejected token gives one clear line;
 * - intents: Message Content only with ASK_CHANNEL_IDS.
 * The bot has no administrative actions (nothing rebuilds the index or changes
 * settings from Discord), so there is no permission check to test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/discord/bot.js';
import { ROOT_DIR } from '../../src/config.js';
import { Lectern } from '../../src/lectern.js';
import {
  CallbackType,
  FakeDiscord,
  Intent,
  InteractionProbe,
  Op,
  slashCommand,
  userMessage,
  type FakeDiscordOptions,
  type JsonObject,
  type RecordedRequest,
} from '../../tools/fake-discord/index.js';
import { checkAllMessages, startHarness, waitForLog, type Harness } from '../discord/harness.js';
import { TSX } from './helpers.js';

/** Shaped like a bot token (three dot-separated parts) and found nowhere else. */
const TOKEN = 'MTE3NTCANARYtokenPART1.Gx7Yq2.CANARY_secret_part_do_not_print_4242';
/** Each part, so a token split or partly redacted is caught too. */
const TOKEN_PARTS = TOKEN.split('.').filter((p) => p.length >= 6);
const QUESTION = 'Who signed the communiqué?';

let lectern: Lectern;

beforeAll(async () => {
  lectern = await Lectern.open();
}, 120_000);

afterAll(async () => {
  await lectern?.close();
});

function expectNoToken(text: string, where: string): void {
  for (const part of TOKEN_PARTS) expect(text.includes(part), `${where} contains (part of) the token`).toBe(false);
}

/** A question the test dispatched: an interaction (id, token) or a user's message (id). */
interface Sent {
  id: string;
  token?: string;
}

function sendAsk(fake: FakeDiscord, question = QUESTION): Sent {
  const payload = slashCommand(fake, 'ask', { question });
  fake.sendInteraction(payload);
  return { id: payload.id, token: payload.token };
}

function sendMention(fake: FakeDiscord, question = QUESTION): Sent {
  const message = userMessage(fake, { content: `<@${fake.world.bot.id}> ${question}`, channel: fake.world.general });
  fake.sendMessage(message);
  return { id: message.id };
}

/**
 * The messages a user would see as the answer to `sent`: a direct reply
 * (callback 4 or 7), the edit completing a deferred one, a follow-up, or a
 * chat reply to the message. Exactly one is right.
 */
function finalResponses(fake: FakeDiscord, sent: Sent): RecordedRequest[] {
  return fake.requests.filter((r) => {
    if (r.status >= 300) return false;
    if (sent.token) {
      if (r.path === `/interactions/${sent.id}/${sent.token}/callback`) {
        const type = (r.body as { type: number }).type;
        return type === CallbackType.ChannelMessageWithSource || type === CallbackType.UpdateMessage;
      }
      if (!r.path.startsWith('/webhooks/') || !r.path.includes(`/${sent.token}`)) return false;
      return (
        (r.method === 'PATCH' && r.path.endsWith('/messages/@original')) ||
        (r.method === 'POST' && r.path.endsWith(sent.token))
      );
    }
    return (
      r.method === 'POST' &&
      /^\/channels\/\d+\/messages$/.test(r.path) &&
      (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === sent.id
    );
  });
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until each has a response, lets anything duplicated arrive, then checks each has exactly one answer. */
async function expectEachAnsweredOnce(fake: FakeDiscord, sent: Sent[]): Promise<void> {
  await waitUntil(
    () => sent.every((s) => finalResponses(fake, s).length > 0),
    `all ${sent.length} questions are answered`,
  );
  await new Promise((r) => setTimeout(r, 500));
  for (const s of sent) {
    const responses = finalResponses(fake, s);
    expect(responses, `responses to ${s.token ? 'interaction' : 'message'} ${s.id}`).toHaveLength(1);
    const body = responses[0]!.body as JsonObject;
    const payload = (responses[0]!.path.endsWith('/callback') ? body.data : body) as JsonObject;
    // An answer, not an apology.
    expect(JSON.stringify(payload.embeds)).toContain('Kalinin');
  }
}

function identifyFrames(fake: FakeDiscord): Array<{ intents: number; connection: number }> {
  return fake.gatewayFrames
    .filter((f) => f.direction === 'in' && f.op === Op.Identify)
    .map((f) => ({ intents: (f.d as { intents: number }).intents, connection: f.connection }));
}

// ───────────────────────────── gateway ─────────────────────────────

describe('gateway disconnect mid-burst', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const start = (fake: FakeDiscordOptions = {}) =>
    startHarness(lectern, {
      fake: { token: TOKEN, heartbeatIntervalMs: 1000, ...fake },
      env: { RATE_LIMIT_COUNT: '1000' },
    });

  it('resumes after a resumable close, gets what it missed replayed, and answers every question exactly once', async () => {
    h = await start();
    const { fake } = h;
    const before: Sent[] = [];
    for (let i = 0; i < 12; i++) before.push(i % 2 ? sendAsk(fake) : sendMention(fake));
    // Mid-burst: some answered, most not.
    await waitUntil(
      () => before.filter((s) => finalResponses(fake, s).length > 0).length >= 2,
      'the burst is under way',
    );
    const sinceFrame = fake.gatewayFrames.length;
    fake.closeConnection(4000, 'fake: dropped mid-burst');
    // Dispatched while the bot is away: kept in the session and replayed on RESUME.
    const whileAway: Sent[] = [sendAsk(fake), sendMention(fake), sendAsk(fake)];
    await fake.waitForGatewayFrame(Op.Resume, { sinceFrame });
    await waitForLog(h, (l) => l.msg === 'gateway resumed');
    const after: Sent[] = [sendAsk(fake), sendMention(fake), sendAsk(fake), sendMention(fake)];

    await expectEachAnsweredOnce(fake, [...before, ...whileAway, ...after]);
    expect(fake.connections).toBe(2);
    expect(identifyFrames(fake)).toHaveLength(1);
    expect(h.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['gateway reconnecting', 'gateway resumed']));
    checkAllMessages(fake);
  });

  it('identifies anew after a close that cannot be resumed, with the same intents, and answers the questions that follow', async () => {
    h = await start();
    const { fake } = h;
    const before: Sent[] = [];
    for (let i = 0; i < 10; i++) before.push(i % 2 ? sendAsk(fake) : sendMention(fake));
    await waitUntil(
      () => before.filter((s) => finalResponses(fake, s).length > 0).length >= 2,
      'the burst is under way',
    );
    const sinceFrame = fake.gatewayFrames.length;
    // 4007 "invalid seq": the session cannot be resumed; discord.js must IDENTIFY again.
    fake.closeConnection(4007, 'fake: invalid seq');
    await fake.waitForGatewayFrame(Op.Identify, { sinceFrame });
    // Let READY and GUILD_CREATE of the new session through before asking.
    await new Promise((r) => setTimeout(r, 200));
    const after: Sent[] = [];
    for (let i = 0; i < 6; i++) after.push(i % 2 ? sendAsk(fake) : sendMention(fake));

    // Questions the bot had already received are answered over REST, which never went away.
    await expectEachAnsweredOnce(fake, [...before, ...after]);
    const identifies = identifyFrames(fake);
    expect(identifies).toHaveLength(2);
    expect(identifies[1]!.intents).toBe(identifies[0]!.intents);
    expect(fake.requestsSince(0).filter((r) => r.status >= 400)).toEqual([]);
    checkAllMessages(fake);
    expectNoToken(JSON.stringify(h.logs), 'the bot log');
  });
});

// ───────────────────────────── REST ─────────────────────────────

describe('Discord refusing a reply', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(lectern, { fake: { token: TOKEN }, env: { RATE_LIMIT_COUNT: '1000' } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  const callbackOf = (sent: Sent) => ({ method: 'POST', path: `/interactions/${sent.id}/${sent.token}/callback` });
  const channelMessages = () => ({ method: 'POST', path: `/channels/${h.fake.world.general.id}/messages` });
  /** Statuses of the attempts at one reply, in order. */
  const attempts = (since: number, matcher: { method: string; path: string }) =>
    h.fake.requestsSince(since, matcher).map((r) => r.status);

  it('429 with retry_after on an interaction reply: discord.js waits and retries, the bot logs it', async () => {
    const since = h.fake.mark();
    h.fake.failNext(
      { method: 'POST', path: /\/callback$/ },
      { status: 429, body: { message: 'You are being rate limited.', retry_after: 0.3, global: false } },
    );
    const sent = sendAsk(h.fake);
    await expectEachAnsweredOnce(h.fake, [sent]);
    expect(attempts(since, callbackOf(sent))).toEqual([429, 204]);
    const logged = await waitForLog(h, (l) => l.msg.startsWith('Discord answered 429'));
    expect(logged).toMatchObject({
      level: 40,
      discord: {
        status: 429,
        retryAfterMs: 300,
        global: false,
        method: 'POST',
        route: expect.stringMatching(/\/interactions\/\d+\/:token\/callback$/),
      },
    });
  });

  it('429 on a chat reply, per route and then global: waited out and retried, logged', async () => {
    let since = h.fake.mark();
    h.fake.failNext(channelMessages(), {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.25, global: false },
    });
    const first = sendMention(h.fake);
    await expectEachAnsweredOnce(h.fake, [first]);
    expect(attempts(since, channelMessages())).toEqual([429, 200]);

    since = h.fake.mark();
    const logsBefore = h.logs.length;
    h.fake.failNext(channelMessages(), {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.25, global: true },
      headers: { 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
    });
    const second = sendMention(h.fake);
    await expectEachAnsweredOnce(h.fake, [second]);
    expect(attempts(since, channelMessages())).toEqual([429, 200]);
    expect(h.logs.slice(logsBefore).find((l) => l.msg.startsWith('Discord answered 429'))).toMatchObject({
      discord: { global: true, scope: 'global', retryAfterMs: 250 },
    });
  });

  it('one 500 on a reply: discord.js retries it, the bot logs it, one answer arrives', async () => {
    const since = h.fake.mark();
    h.fake.failNext({ method: 'POST', path: /\/callback$/ }, { status: 500 });
    const sent = sendAsk(h.fake);
    await expectEachAnsweredOnce(h.fake, [sent]);
    expect(attempts(since, callbackOf(sent))).toEqual([500, 204]);
    expect(await waitForLog(h, (l) => l.msg.startsWith('Discord answered 500'))).toMatchObject({
      level: 40,
      discord: { status: 500, kind: 'Discord server error' },
    });
  });

  it('a chat reply refused with 500 on every retry: logged as an error, and the next question is answered', async () => {
    const since = h.fake.mark();
    h.fake.failNext(channelMessages(), { status: 500, times: 4 });
    sendMention(h.fake);
    const logged = await waitForLog(h, (l) => l.msg === 'could not reply to a message: Discord server error');
    expect(logged).toMatchObject({ level: 50, guild: h.fake.world.guildId, discord: { status: 500 } });
    expect(attempts(since, channelMessages())).toEqual([500, 500, 500, 500]);
    await expectEachAnsweredOnce(h.fake, [sendMention(h.fake), sendAsk(h.fake)]);
  });

  it('403 Missing Permissions on a chat reply: a warning naming it, no retry, and the bot keeps answering', async () => {
    const since = h.fake.mark();
    h.fake.failNext(channelMessages(), { status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    sendMention(h.fake);
    const logged = await waitForLog(h, (l) => l.msg === 'could not reply to a message: missing permissions');
    expect(logged).toMatchObject({ level: 40, discord: { code: 50013 } });
    expect(attempts(since, channelMessages())).toEqual([403]);
    await expectEachAnsweredOnce(h.fake, [sendMention(h.fake)]);
  });

  it('a deferred answer whose edit keeps failing: the "thinking…" placeholder is removed and the asker told privately', async () => {
    const slow = await startHarness(lectern, { fake: { token: TOKEN }, deferAfterMs: 0 });
    try {
      slow.fake.failNext({ method: 'PATCH', path: /\/messages\/@original$/ }, { status: 500, times: 4 });
      const probe = InteractionProbe.send(slow.fake, slashCommand(slow.fake, 'ask', { question: QUESTION }));
      expect((await probe.callback()).body).toMatchObject({ type: CallbackType.DeferredChannelMessageWithSource });
      await probe.webhook((r) => r.method === 'DELETE' && r.path.endsWith('/messages/@original'));
      const apology = await probe.followUp();
      expect(apology.body).toMatchObject({ flags: 64 });
      expect(JSON.stringify(apology.body)).toContain('Sorry, something went wrong');
      expect(await waitForLog(slow, (l) => l.msg === 'could not send the reply: Discord server error')).toMatchObject({
        level: 50,
      });
      expectNoToken(JSON.stringify(slow.logs), 'the bot log');
    } finally {
      await slow.stop();
    }
  });

  it('nothing in the log holds the token, and no message could ping', () => {
    expect(h.logs.length).toBeGreaterThan(10);
    expectNoToken(JSON.stringify(h.logs), 'the bot log');
    checkAllMessages(h.fake);
  });
});

// ───────────────────────────── intents ─────────────────────────────

describe('intents in IDENTIFY', () => {
  const cases: Array<[string, Record<string, string>, number]> = [
    ['slash commands only (CHAT_MODE=false)', { CHAT_MODE: 'false', ASK_CHANNEL_IDS: '' }, Intent.Guilds],
    [
      'chat mode without ask channels',
      { ASK_CHANNEL_IDS: '' },
      Intent.Guilds | Intent.GuildMessages | Intent.DirectMessages,
    ],
    [
      'chat mode with ASK_CHANNEL_IDS',
      {},
      Intent.Guilds | Intent.GuildMessages | Intent.DirectMessages | Intent.MessageContent,
    ],
  ];
  it.each(cases)('%s', async (_name, env, expected) => {
    const h = await startHarness(lectern, { env });
    try {
      const [identify] = identifyFrames(h.fake);
      expect(identify!.intents).toBe(expected);
      expect((identify!.intents & Intent.MessageContent) !== 0).toBe(
        Boolean(env.ASK_CHANNEL_IDS ?? h.bot.config.askChannelIds.size),
      );
      // Never the other privileged intents.
      expect(identify!.intents & (Intent.GuildMembers | Intent.GuildPresences)).toBe(0);
    } finally {
      await h.stop();
    }
  });
});

// ───────────────────────────── the token ─────────────────────────────

describe('the token in errors', () => {
  it('a token Discord rejects (401): one clear line, and the error holds no token however it is printed', async () => {
    const fake = await FakeDiscord.start({ token: 'the-right-token' });
    try {
      const error = await startBot(lectern, {
        env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl },
        handleSignals: false,
        logger: pino({ level: 'silent' }),
      }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/^Discord rejected DISCORD_TOKEN\. .*Reset Token/);
      expect(error!.message.split('\n')).toHaveLength(1);
      expect(fake.requests.find((r) => r.path === '/gateway/bot')?.status).toBe(401);
      for (const printed of [
        String(error),
        error!.stack ?? '',
        inspect(error, { depth: 10, showHidden: true }),
        JSON.stringify(error),
      ])
        expectNoToken(printed, 'the error');
    } finally {
      await fake.stop();
    }
  });
});

// ───────────────────────────── npm start under signals ─────────────────────────────

interface Child {
  process: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** Runs the real entry point (`npm start` = `tsx src/cli/start.ts`, or `npm start` itself) against the fake, in its own process group. */
function startChild(fake: FakeDiscord, env: Record<string, string> = {}, { viaNpm = false } = {}): Child {
  const child = spawn(viaNpm ? 'npm' : TSX, viaNpm ? ['start'] : [path.join('src', 'cli', 'start.ts')], {
    cwd: ROOT_DIR,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: fake.world.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      LOG_LEVEL: 'debug',
      ...env,
    },
  });
  children.add(child);
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      if (pattern.test(output)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(output)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in the output of npm start:\n${output.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() =>
          setTimeout(() => {
            if (waiters.has(check)) {
              waiters.delete(check);
              clearTimeout(timer);
              reject(new Error(`npm start exited without printing ${pattern}:\n${output.slice(-2000)}`));
            }
          }, 50),
        );
      });
    },
  };
}

/** Parsed pino lines of a child's output (its one-line errors are not JSON and are skipped). */
function childLogs(child: Child): Array<{ level: number; msg: string; [key: string]: unknown }> {
  return child
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });
}

describe('npm start and errors nothing caught', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: TOKEN });
  });
  afterAll(async () => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await fake?.stop();
  });

  it('a malformed gateway payload that makes discord.js throw is logged, and the bot keeps answering', async () => {
    const child = startChild(fake);
    await child.waitFor(/Lectern is online on Discord/);
    // Measured: discord.js rejects on each of these inside its own event handling (nothing of Lectern's on the stack).
    fake.dispatch('MESSAGE_CREATE', null);
    fake.dispatch('INTERACTION_CREATE', null);
    fake.dispatch('CHANNEL_CREATE', null);
    await child.waitFor(
      /unhandled promise rejection; still serving[\s\S]*unhandled promise rejection; still serving[\s\S]*unhandled promise rejection; still serving/,
    );
    const reply = await InteractionProbe.send(fake, slashCommand(fake, 'ask', { question: QUESTION })).final();
    expect(JSON.stringify(reply.payload)).toContain('communiqu');
    const logged = childLogs(child).filter((l) => l.event === 'unhandled_rejection');
    expect(logged).toHaveLength(3);
    expect(logged.every((l) => l.level === 50 && typeof (l.err as { message?: string }).message === 'string')).toBe(
      true,
    );
    expect(child.output()).not.toContain(TOKEN);
    child.process.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
  });
});

describe('npm start under signals', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: TOKEN });
  });
  afterAll(async () => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await fake?.stop();
  });

  /** Starts the bot, asks a question and holds Discord's answer to the reply, so the reply is in flight. */
  async function answerInFlight(env: Record<string, string>, options?: { viaNpm?: boolean }) {
    const child = startChild(fake, env, options);
    await child.waitFor(/Lectern is online on Discord/);
    const hold = fake.holdNext({ method: 'POST', path: /\/callback$/ });
    const probe = InteractionProbe.send(fake, slashCommand(fake, 'ask', { question: QUESTION }));
    await hold.held;
    return { child, hold, probe };
  }

  it('SIGTERM during an answer: the reply in flight is sent, late questions are turned away, then exit 0', async () => {
    const { child, hold, probe } = await answerInFlight({ SHUTDOWN_TIMEOUT_SECONDS: '30' });
    child.process.kill('SIGTERM');
    await child.waitFor(/"msg":"shutting down"/);
    // A question arriving now is answered politely, not dropped.
    const late = await InteractionProbe.send(fake, slashCommand(fake, 'ask', { question: QUESTION })).final();
    expect(JSON.stringify(late.payload.embeds)).toContain('restarting');
    // Still waiting for the reply Discord has not acknowledged.
    await new Promise((r) => setTimeout(r, 500));
    expect(child.process.exitCode).toBeNull();
    expect(child.output()).not.toContain('disconnected from Discord');

    hold.release();
    expect(await child.exited).toEqual({ code: 0, signal: null });
    const reply = await probe.final();
    expect(reply.callback.status).toBe(204);
    expect(JSON.stringify(reply.payload.embeds)).toContain('Kalinin');
    const logs = childLogs(child);
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'disconnected from Discord']));
    expect(logs.find((l) => l.msg === 'shutting down with answers still in progress')).toBeUndefined();
    // The real entry point asks for no Message Content intent without ask channels.
    expect(identifyFrames(fake).at(-1)!.intents & Intent.MessageContent).toBe(0);
    expectNoToken(child.output(), 'the output of npm start');
  });

  it('gives up after SHUTDOWN_TIMEOUT_SECONDS when the reply never completes, and still exits 0', async () => {
    const { child, hold } = await answerInFlight({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    hold.release();
    expect(childLogs(child).find((l) => l.msg === 'shutting down with answers still in progress')).toMatchObject({
      level: 40,
      inFlight: 1,
    });
    expectNoToken(child.output(), 'the output of npm start');
  });

  it('a second SIGTERM during the drain does not kill the answer in flight', async () => {
    const { child, hold, probe } = await answerInFlight({ SHUTDOWN_TIMEOUT_SECONDS: '30' });
    child.process.kill('SIGTERM');
    await child.waitFor(/"msg":"shutting down"/);
    child.process.kill('SIGTERM');
    await child.waitFor(/already shutting down/);
    await new Promise((r) => setTimeout(r, 300));
    expect(child.process.exitCode).toBeNull();
    hold.release();
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect((await probe.final()).callback.status).toBe(204);
    expectNoToken(child.output(), 'the output of npm start');
  });

  it('Ctrl-C on `npm start` (SIGINT to the whole process group, which npm forwards again) drains too', async () => {
    const { child, hold, probe } = await answerInFlight({ SHUTDOWN_TIMEOUT_SECONDS: '30' }, { viaNpm: true });
    process.kill(-child.process.pid!, 'SIGINT');
    await child.waitFor(/"msg":"shutting down"/);
    await new Promise((r) => setTimeout(r, 300));
    expect(child.output()).not.toContain('disconnected from Discord');
    hold.release();
    await child.exited; // npm itself then exits by re-raising SIGINT, as it does for every script
    expect((await probe.final()).callback.status).toBe(204);
    expect(childLogs(child).map((l) => l.msg)).toContain('disconnected from Discord');
    expectNoToken(child.output(), 'the output of npm start');
  });

  it('a token Discord rejects: exit 1 with one clear line, no token', async () => {
    const other = await FakeDiscord.start({ token: 'the-right-token' });
    try {
      const child = startChild(other);
      const { code } = await child.exited;
      expect(code).toBe(1);
      const lines = child
        .output()
        .split('\n')
        .filter((l) => l.trim() !== '');
      expect(lines).toEqual([expect.stringMatching(/^lectern: Discord rejected DISCORD_TOKEN\. /)]);
      expectNoToken(child.output(), 'the output of npm start');
    } finally {
      await other.stop();
    }
  });

  it('Discord unreachable, with LECTERN_DEBUG=1: one clear line, no token, no stack', async () => {
    // A port held by a server that drops every connection. (A port freed by stopping a fake was
    // taken, once, by another test file's fake Discord before this child connected, which answered 401.)
    const sink = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/api`;
    const child = startChild(fake, { DISCORD_API_URL: apiUrl, LECTERN_DEBUG: '1' });
    const { code } = await child.exited.finally(() => new Promise((resolve) => sink.close(resolve)));
    expect(code).toBe(1);
    const lines = child
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('{'));
    expect(lines).toEqual([expect.stringMatching(/^lectern: Could not connect to Discord: /)]);
    expect(child.output()).not.toMatch(/^\s+at .+/m);
    expectNoToken(child.output(), 'the output of npm start');
  });
});
