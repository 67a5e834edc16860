/**
 * The fake Discord itself, exercised with a bare discord.js Client (no
 * Lectern): login, gateway handshake, heartbeats, REST recording, failure
 * injection, RESUME after a dropped connection, and the CDN: attachments
 * served well and badly, and file options on slash commands. If these break,
 * every end-to-end test would fail for the wrong reason.
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FakeDiscord,
  Intent,
  InteractionProbe,
  Op,
  slashCommand,
  userMessage,
  type JsonObject,
} from '../../tools/fake-discord/index.js';

/** 4 KiB that are not all one byte, so a cut or shifted body cannot compare equal. */
const FILE = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) % 256);

/** What the test bot replies to a command with a `file` option: how discord.js read the attachment. */
type SeenAttachment = { command: string; subcommand: string | null; url: string; size: number; name: string };

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
    // The test bot for file options: replies with what discord.js made of the `file` option.
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const file = interaction.options.getAttachment('file', true);
      const seen: SeenAttachment = {
        command: interaction.commandName,
        subcommand: interaction.options.getSubcommand(false),
        url: file.url,
        size: file.size,
        name: file.name,
      };
      void interaction.reply({ content: JSON.stringify(seen) });
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

  describe('attachments', () => {
    /** Sends `/library add file:<attachment>` and returns what the test bot saw through discord.js. */
    async function sendFile(attachment: ReturnType<FakeDiscord['addAttachment']>): Promise<SeenAttachment> {
      const payload = slashCommand(fake, 'library add', { file: attachment });
      const callback = await InteractionProbe.send(fake, payload).callback();
      const data = (callback.body as { data: JsonObject }).data;
      return JSON.parse(data.content as string) as SeenAttachment;
    }

    it('serves the bytes at the signed URL, apart from the REST log, and 404 without the signature', async () => {
      const attachment = fake.addAttachment({ filename: 'moby dick.txt', bytes: FILE, contentType: 'text/plain' });
      expect(attachment).toMatchObject({ filename: 'moby dick.txt', size: FILE.length, ephemeral: true });
      expect(attachment.url.startsWith(`${fake.attachmentOrigin}/ephemeral-attachments/`)).toBe(true);
      const mark = fake.mark();

      const response = await fetch(attachment.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(response.headers.get('content-length')).toBe(String(FILE.length));
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(FILE))).toBe(true);
      const viaProxy = await fetch(attachment.proxy_url);
      expect(Buffer.from(await viaProxy.arrayBuffer()).equals(Buffer.from(FILE))).toBe(true);

      // Like Discord's CDN since links are signed: the bare path is refused.
      const unsigned = await fetch(attachment.url.split('?')[0]!);
      expect(unsigned.status).toBe(404);
      await unsigned.arrayBuffer();

      expect(fake.attachmentRequests.filter((r) => r.attachmentId === attachment.id).map((r) => r.status)).toEqual([
        200, 200, 404,
      ]);
      expect(fake.mark()).toBe(mark);
      expect(fake.requests.some((r) => r.path.includes('attachments'))).toBe(false);
    });

    it('sends a file option as Discord does, which discord.js reads with getAttachment', async () => {
      const attachment = fake.addAttachment({
        filename: 'book.epub',
        bytes: FILE,
        contentType: 'application/epub+zip',
      });
      const payload = slashCommand(fake, 'library add', { file: attachment });
      const data = payload.data as JsonObject;
      expect(data.options).toEqual([
        { name: 'add', type: 1, options: [{ name: 'file', type: 11, value: attachment.id }] },
      ]);
      expect(data.resolved).toEqual({ attachments: { [attachment.id]: attachment } });

      const seen = await sendFile(attachment);
      expect(seen).toEqual({
        command: 'library',
        subcommand: 'add',
        url: attachment.url,
        size: FILE.length,
        name: 'book.epub',
      });
      const download = fake.waitForAttachmentRequest(attachment.id);
      const bytes = Buffer.from(await (await fetch(seen.url)).arrayBuffer());
      expect(bytes.equals(Buffer.from(FILE))).toBe(true);
      expect((await download).status).toBe(200);
    });

    it('reports a declared size that lies, while the download stays truthful', async () => {
      const attachment = fake.addAttachment({ filename: 'small.txt', bytes: 'ten bytes!', declaredSize: 50_000_000 });
      expect(attachment.size).toBe(50_000_000);
      expect((await sendFile(attachment)).size).toBe(50_000_000);
      const response = await fetch(attachment.url);
      expect(response.headers.get('content-length')).toBe('10');
      expect(await response.text()).toBe('ten bytes!');
    });

    it('can point the URL elsewhere, and never fetches it itself', async () => {
      const attachment = fake.addAttachment({
        filename: 'meta-data',
        bytes: 'x',
        url: 'http://169.254.169.254/latest/meta-data',
      });
      expect(attachment.url).toBe('http://169.254.169.254/latest/meta-data');
      expect((await sendFile(attachment)).url).toBe('http://169.254.169.254/latest/meta-data');
      expect(fake.attachmentRequests.some((r) => r.attachmentId === attachment.id)).toBe(false);
    });

    it('stalls before the headers until the client gives up', async () => {
      const attachment = fake.addAttachment({ filename: 'slow.txt', bytes: FILE, behaviour: 'stall-before-headers' });
      const controller = new AbortController();
      let settled = false;
      const stalled = fetch(attachment.url, { signal: controller.signal }).finally(() => (settled = true));
      await fake.waitForAttachmentRequest(attachment.id);
      // A whole download on another connection completes while the stalled one has had nothing back.
      const other = fake.addAttachment({ filename: 'quick.txt', bytes: 'quick' });
      expect(await (await fetch(other.url)).text()).toBe('quick');
      expect(settled).toBe(false);
      controller.abort();
      await expect(stalled).rejects.toThrow(/abort/i);
    });

    it('stalls mid-body until releaseStalls(), then sends the rest', async () => {
      const attachment = fake.addAttachment({ filename: 'half.txt', bytes: FILE, behaviour: 'stall-mid-body' });
      const response = await fetch(attachment.url);
      expect(response.headers.get('content-length')).toBe(String(FILE.length));
      const reader = response.body!.getReader();
      const received: Uint8Array[] = [];
      let length = 0;
      while (length < FILE.length / 2) {
        const { value } = await reader.read();
        received.push(value!);
        length += value!.length;
      }
      expect(length).toBe(FILE.length / 2);
      expect(fake.releaseStalls()).toBe(1);
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received.push(chunk.value);
      expect(Buffer.concat(received).equals(Buffer.from(FILE))).toBe(true);
    });

    it('breaks mid-body, so a reading fetch fails', async () => {
      const attachment = fake.addAttachment({ filename: 'cut.txt', bytes: FILE, behaviour: 'break-mid-body' });
      const response = await fetch(attachment.url);
      expect(response.headers.get('content-length')).toBe(String(FILE.length));
      await expect(response.arrayBuffer()).rejects.toThrow();
    });

    it('can serve without a Content-Length', async () => {
      const attachment = fake.addAttachment({ filename: 'chunked.txt', bytes: FILE, behaviour: 'no-content-length' });
      const response = await fetch(attachment.url);
      expect(response.headers.get('content-length')).toBeNull();
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(FILE))).toBe(true);
    });

    it('ends stalled downloads when the fake stops', async () => {
      const other = await FakeDiscord.start();
      const attachment = other.addAttachment({ filename: 'held.txt', bytes: FILE, behaviour: 'stall-before-headers' });
      const stalled = fetch(attachment.url);
      await other.waitForAttachmentRequest(attachment.id);
      await other.stop();
      await expect(stalled).rejects.toThrow();
    });
  });
});
