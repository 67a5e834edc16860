/**
 * The fake Discord itself, exercised with a bare discord.js Client (no
 * Lectern): login, gateway handshake, heartbeats, REST recording, failure
 * injection and RESUME after a dropped connection. If these break, every
 * end-to-end test would fail for the wrong reason.
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, Intent, Op, userMessage } from '../../tools/fake-discord/index.js';

describe('fake Discord', () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ heartbeatIntervalMs: 300 });
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
      partials: [Partials.Channel],
      rest: { api: fake.apiUrl },
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(fake.token);
    await ready;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.stop();
  });

  it('serves /gateway/bot with the bot token and completes IDENTIFY → READY → GUILD_CREATE', () => {
    const gateway = fake.requests.find((r) => r.path === '/gateway/bot');
    expect(gateway?.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(fake.intents).toBe(Intent.Guilds | Intent.GuildMessages | Intent.DirectMessages);
    expect(client.user?.id).toBe(fake.world.bot.id);
    expect(client.guilds.cache.get(fake.world.guildId)?.channels.cache.has(fake.world.general.id)).toBe(true);
  });

  it('acknowledges heartbeats', async () => {
    const frame = await fake.waitForGatewayFrame(Op.Heartbeat);
    expect(frame.direction).toBe('in');
    const ackIndex = fake.gatewayFrames.indexOf(frame);
    expect(fake.gatewayFrames.slice(ackIndex).some((f) => f.direction === 'out' && f.op === Op.HeartbeatAck)).toBe(
      true,
    );
  });

  it('records REST requests and stores the messages the bot sends', async () => {
    const since = fake.mark();
    const channel = client.channels.cache.get(fake.world.general.id);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    const sent = await channel.send({ content: 'hello' });
    const request = await fake.waitForRequest(
      { method: 'POST', path: `/channels/${fake.world.general.id}/messages` },
      { since },
    );
    expect(request.body).toMatchObject({ content: 'hello' });
    expect(fake.messages.get(sent.id)?.content).toBe('hello');
  });

  it('injects a 500 that discord.js retries, and a persistent 500 that surfaces as an error', async () => {
    const channel = client.channels.cache.get(fake.world.general.id);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    let since = fake.mark();
    fake.failNext({ method: 'POST', path: /\/messages$/ }, { status: 500 });
    await channel.send({ content: 'after one failure' });
    const attempts = fake.requestsSince(since, { method: 'POST', path: /\/messages$/ });
    expect(attempts.map((a) => a.status)).toEqual([500, 200]);

    since = fake.mark();
    fake.failNext({ method: 'POST', path: /\/messages$/ }, { status: 500, times: 10 });
    await expect(channel.send({ content: 'never' })).rejects.toThrow();
    fake.clearFailures();
    expect(fake.requestsSince(since).every((r) => r.status === 500)).toBe(true);
  });

  it('injects a 429 that discord.js waits out and retries', async () => {
    const channel = client.channels.cache.get(fake.world.general.id);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    const since = fake.mark();
    fake.failNext({ method: 'POST', path: /\/messages$/ }, { status: 429 });
    await channel.send({ content: 'rate limited once' });
    expect(fake.requestsSince(since).map((r) => r.status)).toEqual([429, 200]);
  });

  it('delivers MESSAGE_CREATE, including DMs through a partial channel', async () => {
    const received = new Promise<string>((resolve) => client.once(Events.MessageCreate, (m) => resolve(m.content)));
    fake.sendMessage(userMessage(fake, { content: 'a DM', dm: true }));
    expect(await received).toBe('a DM');
  });

  it('lets the client RESUME after the server drops the connection, replaying missed events', async () => {
    const identifies = fake.gatewayFrames.filter((f) => f.direction === 'in' && f.op === Op.Identify).length;
    const sinceFrame = fake.gatewayFrames.length;
    fake.closeConnection(4000);
    // Dispatched while disconnected: must arrive after the RESUME.
    const received = new Promise<string>((resolve) => client.once(Events.MessageCreate, (m) => resolve(m.content)));
    await new Promise((r) => setTimeout(r, 20));
    fake.sendMessage(userMessage(fake, { content: 'sent while away', channel: fake.world.general }));
    await fake.waitForGatewayFrame(Op.Resume, { sinceFrame });
    expect(await received).toBe('sent while away');
    expect(fake.gatewayFrames.filter((f) => f.direction === 'in' && f.op === Op.Identify)).toHaveLength(identifies);
  });
});
