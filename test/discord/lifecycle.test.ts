/**
 * The bot's life: the intents it asks for, clear start-up errors, chat mode
 * off, reconnecting after a dropped gateway connection, graceful shutdown
 * that waits for answers in flight, and registering commands.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/discord/bot.js';
import type { AskOptions } from '../../src/lectern.js';
import type { ConverseOptions } from '../../src/search/follow-up.js';
import { commandDefinitions } from '../../src/discord/commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { LecternError } from '../../src/errors.js';
import { Lectern } from '../../src/lectern.js';
import {
  FakeDiscord,
  Intent,
  InteractionProbe,
  Op,
  slashCommand,
  userMessage,
  type JsonObject,
} from '../../tools/fake-discord/index.js';
import { startHarness, waitForLog, type Harness } from './harness.js';

let lectern: Lectern;

beforeAll(async () => {
  lectern = await Lectern.open();
}, 120_000);

afterAll(async () => {
  await lectern?.close();
});

describe('intents', () => {
  it('asks for Message Content only when ask channels need it', async () => {
    const withChannels = await startHarness(lectern);
    expect(withChannels.fake.intents).toBe(
      Intent.Guilds | Intent.GuildMessages | Intent.DirectMessages | Intent.MessageContent,
    );
    await withChannels.stop();

    const mentionsOnly = await startHarness(lectern, { env: { ASK_CHANNEL_IDS: '' } });
    expect(mentionsOnly.fake.intents).toBe(Intent.Guilds | Intent.GuildMessages | Intent.DirectMessages);
    await mentionsOnly.stop();
  });

  it('with CHAT_MODE=false connects with Guilds only and ignores mentions, while slash commands work', async () => {
    const h = await startHarness(lectern, { env: { CHAT_MODE: 'false' } });
    try {
      expect(h.fake.intents).toBe(Intent.Guilds);
      const since = h.fake.mark();
      h.fake.sendMessage(userMessage(h.fake, { content: `<@${h.fake.world.bot.id}> Who signed the communiqué?` }));
      const reply = await InteractionProbe.send(
        h.fake,
        slashCommand(h.fake, 'ask', { question: 'Who signed the communiqué?' }),
      ).final();
      expect(reply.callbackType).toBe(4);
      expect(h.fake.requestsSince(since).filter((r) => r.path.startsWith('/channels/'))).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});

describe('start-up errors', () => {
  it('says in one line that Discord rejected the token, without printing it', async () => {
    const fake = await FakeDiscord.start();
    try {
      const attempt = startBot(lectern, {
        env: { DISCORD_TOKEN: 'wrong.token-value_123', DISCORD_API_URL: fake.apiUrl },
        handleSignals: false,
        logger: silent(),
      });
      await expect(attempt).rejects.toThrow(LecternError);
      await expect(attempt).rejects.toThrow(/^Discord rejected DISCORD_TOKEN\./);
      await expect(attempt).rejects.not.toThrow(/wrong\.token/);
    } finally {
      await fake.stop();
    }
  });

  it('explains that the Message Content intent must be enabled for ask channels', async () => {
    const fake = await FakeDiscord.start({ privilegedIntentsAllowed: false });
    try {
      const attempt = startBot(lectern, {
        env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, ASK_CHANNEL_IDS: fake.world.askChannel.id },
        handleSignals: false,
        logger: silent(),
        readyTimeoutMs: 10_000,
      });
      await expect(attempt).rejects.toThrow(/Message Content intent/);
    } finally {
      await fake.stop();
    }
  });

  it('rejects bad settings before connecting', async () => {
    await expect(startBot(lectern, { env: {}, handleSignals: false })).rejects.toThrow(
      'Invalid Discord configuration: DISCORD_TOKEN is required',
    );
    await expect(
      startBot(lectern, { env: { DISCORD_TOKEN: 'abc', ASK_CHANNEL_IDS: '123, general' }, handleSignals: false }),
    ).rejects.toThrow(/^Invalid Discord configuration: ASK_CHANNEL_IDS must be a Discord id/);
  });
});

describe('reconnecting', () => {
  it('resumes after the gateway drops the connection and answers the next question', async () => {
    const h = await startHarness(lectern);
    try {
      const sinceFrame = h.fake.gatewayFrames.length;
      h.fake.closeConnection(4000);
      await h.fake.waitForGatewayFrame(Op.Resume, { sinceFrame });
      const reply = await InteractionProbe.send(
        h.fake,
        slashCommand(h.fake, 'ask', { question: 'Who signed the communiqué?' }),
      ).final();
      expect(reply.callbackType).toBe(4);
      await waitForLog(h, (l) => l.msg === 'gateway resumed');
    } finally {
      await h.stop();
    }
  });
});

describe('graceful shutdown', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.fake.stop();
  });

  it('stops taking questions, waits for the answer in flight, then disconnects', async () => {
    h = await startHarness(lectern);
    const { fake } = h;
    // Hold Discord's answer to the bot's reply, so the reply is in flight when stop() is called.
    const hold = fake.holdNext({ method: 'POST', path: `/channels/${fake.world.askChannel.id}/messages` });
    fake.sendMessage(userMessage(fake, { content: 'Who signed the communiqué?', channel: fake.world.askChannel }));
    await hold.held;

    const order: string[] = [];
    const stopped = h.bot.stop().then(() => order.push('stopped'));
    // A question arriving during shutdown is turned away politely.
    const late = await InteractionProbe.send(fake, slashCommand(fake, 'ask', { question: 'Who?' })).final();
    expect((late.payload.embeds as JsonObject[])[0]!.description as string).toContain('restarting');
    expect(order).toEqual([]);

    order.push('released');
    hold.release();
    await stopped;
    expect(order).toEqual(['released', 'stopped']);
    const reply = fake.requests.find(
      (r) => r.method === 'POST' && r.path === `/channels/${fake.world.askChannel.id}/messages`,
    );
    expect(reply?.status).toBe(200);
    expect(fake.connected).toBe(false);
    expect(h.logs.some((l) => l.msg === 'disconnected from Discord')).toBe(true);
  });

  it('gives up waiting after SHUTDOWN_TIMEOUT_SECONDS', async () => {
    const bounded = await startHarness(lectern, { env: { SHUTDOWN_TIMEOUT_SECONDS: '1' } });
    const { fake } = bounded;
    const hold = fake.holdNext({ method: 'POST', path: `/channels/${fake.world.askChannel.id}/messages` });
    fake.sendMessage(userMessage(fake, { content: 'Who signed the communiqué?', channel: fake.world.askChannel }));
    await hold.held;
    await bounded.bot.stop();
    expect(bounded.logs.find((l) => l.msg === 'shutting down with answers still in progress')).toMatchObject({
      inFlight: 1,
    });
    hold.release();
    await fake.stop();
  });
});

describe('failures', () => {
  let h: Harness;
  beforeAll(async () => {
    // The real engine, except that one question makes it fail: the only way to see the apology path.
    // The real engine (by prototype: the bot serves it as the shared library) with answers that can fail.
    const failing = Object.assign(Object.create(lectern) as Lectern, {
      ask: (question: string, options?: AskOptions) =>
        question.includes('EXPLODE') ? Promise.reject(new Error('engine exploded')) : lectern.ask(question, options),
      converse: (key: string, question: string, options?: ConverseOptions) =>
        question.includes('EXPLODE')
          ? Promise.reject(new Error('engine exploded'))
          : lectern.converse(key, question, options),
      close: () => Promise.resolve(),
    });
    h = await startHarness(failing, { env: { RATE_LIMIT_COUNT: '1000' } });
  }, 60_000);
  afterAll(async () => h?.stop());

  it('apologises ephemerally for a failed /ask, logs it with context, and answers the next one', async () => {
    const reply = await InteractionProbe.send(
      h.fake,
      slashCommand(h.fake, 'ask', { question: 'EXPLODE please' }),
    ).final();
    expect(reply.flags & 64).toBe(64);
    expect((reply.payload.embeds as JsonObject[])[0]!.description as string).toMatch(/^Sorry, something went wrong/);
    const logged = await waitForLog(h, (l) => l.msg === 'answering failed');
    expect(logged).toMatchObject({
      level: 50,
      command: 'ask',
      guild: h.fake.world.guildId,
      channel: h.fake.world.general.id,
      err: { message: 'engine exploded' },
    });
    expect(await waitForLog(h, (l) => l.msg === 'question failed')).toMatchObject({ source: '/ask', answered: false });
    const next = await InteractionProbe.send(
      h.fake,
      slashCommand(h.fake, 'ask', { question: 'Who signed the communiqué?' }),
    ).final();
    expect(next.flags & 64).toBe(0);
  });

  it('removes the public "thinking…" placeholder of a deferred answer before apologising privately', async () => {
    const slow = await startHarness(h.engine, { deferAfterMs: 0 });
    try {
      const probe = InteractionProbe.send(slow.fake, slashCommand(slow.fake, 'ask', { question: 'EXPLODE again' }));
      expect((await probe.callback()).body).toMatchObject({ type: 5, data: { flags: 0 } });
      await probe.webhook((r) => r.method === 'DELETE' && r.path.endsWith('/messages/@original'));
      const apology = await probe.followUp();
      expect(apology.body).toMatchObject({ flags: 64 });
    } finally {
      await slow.stop();
    }
  });

  it('apologises in chat with a reply', async () => {
    const { fake } = h;
    const message = userMessage(fake, { content: `<@${fake.world.bot.id}> EXPLODE`, channel: fake.world.general });
    const since = fake.mark();
    fake.sendMessage(message);
    const reply = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${fake.world.general.id}/messages`,
      { since },
    );
    expect(JSON.stringify(reply.body)).toContain('Sorry, something went wrong');
  });

  it('logs an interaction reply that Discord keeps refusing with 500, and keeps running', async () => {
    const { fake } = h;
    fake.failNext({ method: 'POST', path: /\/callback$/ }, { status: 500, times: 4 });
    const lost = InteractionProbe.send(fake, slashCommand(fake, 'ask', { question: 'Who signed the communiqué?' }));
    await waitForLog(h, (l) => l.msg === 'could not send the reply: Discord server error');
    expect(lost.requests().filter((r) => r.injected)).toHaveLength(4);
    const next = await InteractionProbe.send(
      fake,
      slashCommand(fake, 'ask', { question: 'Who signed the communiqué?' }),
    ).final();
    expect(next.callback.status).toBe(204);
  });
});

describe('npm run deploy-commands', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(async () => fake?.stop());

  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_CLIENT_ID: fake.world.applicationId,
    ...extra,
  });

  it('registers every command to the guild when DISCORD_GUILD_ID is set', async () => {
    const result = await deployCommands(env({ DISCORD_GUILD_ID: fake.world.guildId }));
    expect(result).toEqual({
      scope: 'guild',
      guildId: fake.world.guildId,
      commands: ['ask', 'quote', 'passage', 'sources', 'club', 'bookmark', 'library', 'help'],
    });
    const put = fake.requests.find(
      (r) =>
        r.method === 'PUT' &&
        r.path === `/applications/${fake.world.applicationId}/guilds/${fake.world.guildId}/commands`,
    );
    expect(put?.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(put?.body).toEqual(commandDefinitions());
    const ask = (
      put!.body as Array<{
        name: string;
        options: Array<{ name: string; autocomplete?: boolean; max_length?: number; required?: boolean }>;
      }>
    ).find((c) => c.name === 'ask')!;
    expect(ask.options).toEqual([
      expect.objectContaining({ name: 'question', required: true, max_length: 1000 }),
      expect.objectContaining({ name: 'text', autocomplete: true }),
      expect.objectContaining({ name: 'chapter', autocomplete: true, max_length: 40 }),
    ]);
    const passage = (
      put!.body as Array<{ name: string; options: Array<{ name: string; autocomplete?: boolean }> }>
    ).find((c) => c.name === 'passage')!;
    expect(passage.options.map((o) => o.name)).toEqual(['chapter', 'paragraph', 'reference', 'text', 'public']);
    expect(passage.options[0]).toMatchObject({ autocomplete: true });
    const quote = (
      put!.body as Array<{ name: string; options: Array<{ name: string; min_value?: number; max_value?: number }> }>
    ).find((c) => c.name === 'quote')!;
    expect(quote.options.find((o) => o.name === 'count')).toMatchObject({ min_value: 1, max_value: 5 });
  });

  it('registers globally without DISCORD_GUILD_ID', async () => {
    const result = await deployCommands(env({}));
    expect(result.scope).toBe('global');
    expect(fake.registeredCommands.get('global')?.map((c) => c.name)).toEqual([
      'ask',
      'quote',
      'passage',
      'sources',
      'club',
      'bookmark',
      'library',
      'help',
    ]);
  });

  it('requires DISCORD_CLIENT_ID', async () => {
    await expect(deployCommands({ DISCORD_TOKEN: fake.token })).rejects.toThrow(/DISCORD_CLIENT_ID is required/);
  });
});

/** A logger that discards everything: these tests look at the thrown error. */
function silent() {
  return pino({ level: 'silent' });
}
