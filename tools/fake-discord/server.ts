/**
 * An in-process fake of the parts of Discord that a bot touches: the REST API
 * over HTTP and the gateway over WebSocket, both on 127.0.0.1 on a random port.
 *
 * The real discord.js `Client` logs into it (point `rest.api` at `apiUrl`; the
 * fake's `/gateway/bot` then tells the client where the gateway is). Every REST
 * request is recorded with what was answered, every gateway frame is logged,
 * and a failure (500, 429, 403 …) can be injected for the next matching
 * request. Tests drive the bot by dispatching gateway events
 * (INTERACTION_CREATE, MESSAGE_CREATE) and then await the REST calls the bot
 * makes in response.
 *
 * It is deliberately stateful where a bot depends on state: messages the bot
 * posts are stored so that GET, PATCH, thread creation and pinning act on them,
 * and the gateway keeps a session so RESUME after a dropped connection works
 * (for reliability suites: `closeConnection`, `gatewayFrames`, heartbeats).
 *
 * The same HTTP server plays Discord's CDN outside `/api`: `addAttachment`
 * stores a file and returns the attachment object Discord would put in an
 * interaction's `resolved.attachments` (see `slashCommand` in payloads.ts),
 * with a signed `url` on `attachmentOrigin`. Like the real CDN since 2024, a
 * link without its `ex`/`is`/`hm` query answers 404, so a bot that trims the
 * query fails here as it would there. A file can be served badly on purpose
 * (stalled, cut off, without Content-Length) and every download is recorded
 * in `attachmentRequests` as it arrives, apart from the REST log, so a test
 * can wait for a download, or show that a URL was never fetched.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { snowflake } from './snowflake.js';
import type {
  AttachmentBehaviour,
  AttachmentRequest,
  FakeAttachment,
  FakeChannel,
  FakeMessage,
  FakeUser,
  GatewayFrame,
  IncomingRequest,
  InjectedFailure,
  Json,
  JsonObject,
  RecordedRequest,
  RequestMatcher,
} from './types.js';

export * from './types.js';

/** Gateway opcodes (Discord API v10). */
export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** Channel types used by the fake. */
export const ChannelType = { GuildText: 0, DM: 1, PublicThread: 11 } as const;

/** Interaction callback types, for reading what the bot answered. */
export const CallbackType = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  ApplicationCommandAutocompleteResult: 8,
  Modal: 9,
} as const;

/** Gateway intent bits used in assertions. */
export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

const PRIVILEGED_INTENTS = Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;

export interface FakeDiscordOptions {
  /** The token the bot must present; default "fake-token". */
  token?: string;
  /** HELLO's heartbeat interval; default 41,250 ms like Discord's. */
  heartbeatIntervalMs?: number;
  /** Answer heartbeats with ACKs (turn off to test zombie-connection handling). Default true. */
  ackHeartbeats?: boolean;
  /** Whether the application may use privileged intents (else IDENTIFY with them is closed with 4014). Default true. */
  privilegedIntentsAllowed?: boolean;
  /**
   * Like Discord, close a connection (4009, session timed out) when no
   * heartbeat arrives within this many ms of HELLO or of the previous
   * heartbeat. Default: never. For load and reliability suites, where a
   * blocked event loop must be noticed.
   */
  heartbeatDeadlineMs?: number;
}

/** How the bot's heartbeats arrived, per {@link FakeDiscord.heartbeatReport}. */
export interface HeartbeatReport {
  /** HELLO's interval. */
  intervalMs: number;
  /** Gateway connections opened so far. */
  connections: number;
  /** Heartbeats received, all connections. */
  beats: number;
  /** Longest wait between HELLO or a heartbeat and the next heartbeat (or now, for an open connection). */
  maxGapMs: number;
  /** Waits longer than `intervalMs + toleranceMs`, with their connection and when they ended. */
  late: Array<{ connection: number; gapMs: number; at: number }>;
  /** Connections the fake closed because a heartbeat missed `heartbeatDeadlineMs`. */
  timedOut: number;
}

/** What {@link FakeDiscord.addAttachment} stores and serves. */
export interface AddAttachmentOptions {
  filename: string;
  /** The file's content; a string is stored as UTF-8. */
  bytes: Uint8Array | string;
  /** Sent as `content_type` and as the download's Content-Type (default application/octet-stream, and no `content_type`). */
  contentType?: string;
  /** The `size` Discord reports; default the true byte length. A test can lie here; the download stays truthful. */
  declaredSize?: number;
  /** How the download is served; default 'normal'. */
  behaviour?: AttachmentBehaviour;
  /** Put this in `url` and `proxy_url` instead of the fake's own link; the fake then serves nothing for it. */
  url?: string;
  /** The channel in the CDN path; default general. */
  channelId?: string;
  /**
   * Default true: an upload into a slash command option, which Discord keeps
   * under `/ephemeral-attachments/` and marks `ephemeral: true`. False: a
   * message's attachment, under `/attachments/`, without the field.
   */
  ephemeral?: boolean;
}

/** An attachment the fake CDN serves, by the path it is served at (without `/media`). */
interface StoredAttachment {
  id: string;
  path: string;
  bytes: Buffer;
  contentType: string;
  behaviour: AttachmentBehaviour;
}

/** Discord's CDN paths: `[/media]/[ephemeral-]attachments/<channel>/<attachment>/<filename>`. */
const CDN_PATH = /^(?:\/media)?(\/(?:ephemeral-)?attachments\/\d+\/(\d+)\/[^/]+)$/;

/** How long a signed CDN link stays valid, like Discord's (24 h). */
const CDN_LINK_LIFETIME_S = 24 * 60 * 60;

/** The world the fake serves: one guild with a few channels, a few users. */
export interface FakeWorld {
  applicationId: string;
  bot: FakeUser;
  guildId: string;
  guildName: string;
  /** Where chat-mode tests talk without mentioning the bot (put it in ASK_CHANNEL_IDS). */
  askChannel: FakeChannel;
  /** An ordinary channel: the bot answers there only when mentioned or replied to. */
  general: FakeChannel;
  users: { alice: FakeUser; bob: FakeUser; otherBot: FakeUser };
  /** The guild's @everyone role id equals the guild id; this is some other role. */
  roleId: string;
  /** A thread under `general` (a thread belongs to its parent channel's club). */
  generalThread: FakeChannel;
  /** A second server the bot is in, for isolation tests: its id, name and one channel. */
  otherGuild: { guildId: string; guildName: string; general: FakeChannel };
}

interface Session {
  id: string;
  seq: number;
  /** Dispatches sent in this session, for replay on RESUME. */
  buffer: Array<{ s: number; t: string; d: unknown }>;
  intents: number;
}

const json = (value: unknown): string => JSON.stringify(value);

/** The fake Discord. Create with `FakeDiscord.start()`, dispose with `stop()`. */
export class FakeDiscord extends EventEmitter {
  readonly world: FakeWorld;
  readonly token: string;
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Every gateway frame in both directions. */
  readonly gatewayFrames: GatewayFrame[] = [];
  /** Messages by id: the bot's (created through REST) and the users' (dispatched). */
  readonly messages = new Map<string, FakeMessage>();
  /** Channels by id: the guild's, DMs the tests use, and threads the bot creates. */
  readonly channels = new Map<string, FakeChannel>();
  /** Slash commands registered through the REST API, by scope ("global" or guild id). */
  readonly registeredCommands = new Map<string, JsonObject[]>();
  /**
   * Every download from the fake CDN, in arrival order, recorded when the
   * request arrives (a stalled one too). Kept apart from `requests`, which
   * is the REST API's log; each is also emitted as 'attachment-request'.
   */
  readonly attachmentRequests: AttachmentRequest[] = [];
  /** Files the CDN serves, by attachment id. */
  private readonly attachments = new Map<string, StoredAttachment>();
  /** Releases of the downloads held by a stall behaviour. */
  private readonly stalls = new Set<() => void>();
  /** Signs CDN links (`hm`), so a link the fake did not hand out, or one without its query, is refused. */
  private readonly cdnSecret = randomBytes(32);
  /** Interaction token -> id of the message that is its original response. */
  private readonly originals = new Map<string, string>();
  /** Interaction token -> channel and guild, so responses land in the right channel. */
  private readonly interactionsByToken = new Map<
    string,
    { channelId: string; guildId?: string; messageId?: string; type?: number; user?: FakeUser }
  >();
  private readonly holds: Array<{ matcher: RequestMatcher; arrived: () => void; gate: Promise<void> }> = [];
  private readonly failures: Array<{ matcher: RequestMatcher; failure: InjectedFailure; left: number }> = [];
  private readonly options: Required<Omit<FakeDiscordOptions, 'heartbeatDeadlineMs'>> &
    Pick<FakeDiscordOptions, 'heartbeatDeadlineMs'>;
  /** HELLO and heartbeat times per connection, kept apart from `gatewayFrames` so `forget()` does not lose them. */
  private readonly beats = new Map<number, { hello: number; beats: number[]; closedAt?: number }>();
  private timedOut = 0;
  private server!: http.Server;
  private wss!: WebSocketServer;
  private socket: WebSocket | null = null;
  private connectionCount = 0;
  private session: Session | null = null;
  private requestSeq = 0;
  private port = 0;

  private constructor(options: FakeDiscordOptions) {
    super();
    this.options = {
      token: options.token ?? 'fake-token',
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      ackHeartbeats: options.ackHeartbeats ?? true,
      privilegedIntentsAllowed: options.privilegedIntentsAllowed ?? true,
      ...(options.heartbeatDeadlineMs ? { heartbeatDeadlineMs: options.heartbeatDeadlineMs } : {}),
    };
    this.token = this.options.token;
    const guildId = snowflake();
    const user = (username: string, bot = false): FakeUser => ({
      id: snowflake(),
      username,
      global_name: bot ? null : username[0]!.toUpperCase() + username.slice(1),
      discriminator: '0',
      avatar: null,
      ...(bot ? { bot: true } : {}),
    });
    const otherGuildId = snowflake();
    const channel = (name: string, inGuild = guildId): FakeChannel => ({
      id: snowflake(),
      type: ChannelType.GuildText,
      name,
      guild_id: inGuild,
      parent_id: null,
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      topic: null,
      rate_limit_per_user: 0,
      last_message_id: null,
    });
    this.world = {
      applicationId: snowflake(),
      bot: user('lectern', true),
      guildId,
      guildName: 'Reading Group',
      askChannel: channel('ask-lectern'),
      general: channel('general'),
      users: { alice: user('alice'), bob: user('bob'), otherBot: user('otherbot', true) },
      roleId: snowflake(),
      generalThread: { id: '', type: ChannelType.PublicThread },
      otherGuild: { guildId: otherGuildId, guildName: 'Another Server', general: channel('general', otherGuildId) },
    };
    this.world.generalThread = {
      id: snowflake(),
      type: ChannelType.PublicThread,
      name: 'week-1',
      guild_id: guildId,
      parent_id: this.world.general.id,
      owner_id: this.world.users.alice.id,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date(0).toISOString(),
        locked: false,
      },
    };
    // Discord's application id is the bot user's id for bots made since 2019;
    // keeping them equal catches code that confuses the two only when it matters.
    this.world.bot.id = this.world.applicationId;
    this.channels.set(this.world.askChannel.id, this.world.askChannel);
    this.channels.set(this.world.general.id, this.world.general);
    this.channels.set(this.world.generalThread.id, this.world.generalThread);
    this.channels.set(this.world.otherGuild.general.id, this.world.otherGuild.general);
  }

  /** Starts the HTTP and WebSocket servers on 127.0.0.1 and a random port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await fake.listen();
    return fake;
  }

  /** REST base to give discord.js as `rest.api` (it appends `/v10`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Origin of the fake CDN (`http://127.0.0.1:PORT`), where attachment `url`s point. */
  get attachmentOrigin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Gateway URL that `/gateway/bot` hands out. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** Intents of the current session's IDENTIFY, or undefined before one. */
  get intents(): number | undefined {
    return this.session?.intents;
  }

  /** Whether a gateway connection is open. */
  get connected(): boolean {
    return this.socket !== null;
  }

  private async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      void this.handleHttp(req, res);
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/gateway') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Closes every connection and both servers; a stalled download's connection is destroyed, not completed. */
  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.socket = null;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    // Destroys stalled downloads too: their 'close' ends the stall without an answer.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ───────────────────────────── failure injection ─────────────────────────────

  /**
   * Makes the next `times` (default 1) requests matching `matcher` fail with
   * `failure` instead of being served. A 429 gets rate-limit headers
   * (`Retry-After` from `body.retry_after`, default 0.05 s) unless given.
   */
  failNext(matcher: RequestMatcher, failure: InjectedFailure): void {
    this.failures.push({ matcher, failure, left: failure.times ?? 1 });
  }

  /**
   * Holds the response to the next request matching `matcher` until
   * `release()` is called (the request is served and recorded as usual, only
   * the answer waits). `held` resolves when the request has arrived. For
   * in-flight work: shutdown, slow Discord.
   */
  holdNext(matcher: RequestMatcher): { held: Promise<void>; release(): void } {
    let arrived!: () => void;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ matcher, arrived, gate });
    return { held, release };
  }

  /** Removes any pending injected failures. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  // ───────────────────────────── waiting on requests ─────────────────────────────

  /** A position in the request log; pass to `waitForRequest`/`requestsSince` to look only at later requests. */
  mark(): number {
    return this.requestSeq;
  }

  /** Requests recorded after `mark` that satisfy `matcher`. */
  requestsSince(mark: number, matcher?: RequestMatcher<RecordedRequest>): RecordedRequest[] {
    return this.requests.filter((r) => r.seq > mark && (!matcher || matches(matcher, r)));
  }

  /**
   * Resolves with the first request after `since` (default: any) that
   * satisfies `matcher`, waiting for it if need be. Rejects after `timeoutMs`
   * (default 30 s) with the list of what did arrive, to make failures legible.
   */
  async waitForRequest(
    matcher: RequestMatcher<RecordedRequest>,
    { since = 0, timeoutMs = 30_000 }: { since?: number; timeoutMs?: number } = {},
  ): Promise<RecordedRequest> {
    const found = this.requestsSince(since, matcher)[0];
    if (found) return found;
    return new Promise<RecordedRequest>((resolve, reject) => {
      const onRequest = (request: RecordedRequest): void => {
        if (request.seq > since && matches(matcher, request)) {
          clearTimeout(timer);
          this.off('request', onRequest);
          resolve(request);
        }
      };
      const timer = setTimeout(() => {
        this.off('request', onRequest);
        const seen = this.requestsSince(since)
          .map((r) => `${r.method} ${r.path} -> ${r.status}`)
          .join('\n  ');
        reject(new Error(`timed out waiting for a request; since mark ${since} saw:\n  ${seen || '(nothing)'}`));
      }, timeoutMs);
      this.on('request', onRequest);
    });
  }

  /** Waits for `count` gateway frames from the bot with opcode `op` after `sinceFrame` (an index into `gatewayFrames`). */
  async waitForGatewayFrame(op: number, { sinceFrame = 0, timeoutMs = 30_000 } = {}): Promise<GatewayFrame> {
    const find = (): GatewayFrame | undefined =>
      this.gatewayFrames.slice(sinceFrame).find((f) => f.direction === 'in' && f.op === op);
    const found = find();
    if (found) return found;
    return new Promise<GatewayFrame>((resolve, reject) => {
      const onFrame = (frame: GatewayFrame): void => {
        if (frame.direction === 'in' && frame.op === op) {
          clearTimeout(timer);
          this.off('frame', onFrame);
          resolve(frame);
        }
      };
      const timer = setTimeout(() => {
        this.off('frame', onFrame);
        reject(new Error(`timed out waiting for gateway op ${op}`));
      }, timeoutMs);
      this.on('frame', onFrame);
    });
  }

  // ───────────────────────────── gateway ─────────────────────────────

  private onConnection(ws: WebSocket): void {
    // One bot connection at a time, like one shard: a new one replaces the old.
    if (this.socket && this.socket !== ws) this.socket.terminate();
    this.socket = ws;
    const connection = ++this.connectionCount;
    const beats = { hello: Date.now(), beats: [] as number[], closedAt: undefined as number | undefined };
    this.beats.set(connection, beats);
    let deadline: NodeJS.Timeout | undefined;
    const armDeadline = (): void => {
      clearTimeout(deadline);
      const ms = this.options.heartbeatDeadlineMs;
      if (!ms) return;
      deadline = setTimeout(() => {
        this.timedOut += 1;
        ws.close(4009, 'Session timed out: no heartbeat in time.');
      }, ms);
    };
    armDeadline();
    ws.on('message', (raw) => {
      let payload: { op: number; d: unknown; t?: string; s?: number };
      try {
        payload = JSON.parse(raw.toString()) as typeof payload;
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      this.logFrame({ direction: 'in', op: payload.op, d: payload.d, at: Date.now(), connection });
      if (payload.op === Op.Heartbeat) {
        beats.beats.push(Date.now());
        armDeadline();
      }
      this.onGatewayPayload(ws, connection, payload);
    });
    ws.on('close', () => {
      clearTimeout(deadline);
      beats.closedAt = Date.now();
      if (this.socket === ws) this.socket = null;
      this.emit('disconnect', connection);
    });
    ws.on('error', () => {
      /* the close handler does the bookkeeping */
    });
    this.sendFrame(ws, connection, { op: Op.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
  }

  private onGatewayPayload(ws: WebSocket, connection: number, payload: { op: number; d: unknown }): void {
    switch (payload.op) {
      case Op.Heartbeat:
        if (this.options.ackHeartbeats) this.sendFrame(ws, connection, { op: Op.HeartbeatAck });
        break;
      case Op.Identify: {
        const d = payload.d as { token?: string; intents?: number };
        if (d.token !== this.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        const intents = d.intents ?? 0;
        if (!this.options.privilegedIntentsAllowed && (intents & PRIVILEGED_INTENTS) !== 0) {
          ws.close(4014, 'Disallowed intent(s).');
          return;
        }
        this.session = { id: snowflake(), seq: 0, buffer: [], intents };
        this.dispatchOn(ws, connection, 'READY', {
          v: 10,
          user: this.world.bot,
          guilds: [
            { id: this.world.guildId, unavailable: true },
            { id: this.world.otherGuild.guildId, unavailable: true },
          ],
          session_id: this.session.id,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
          application: { id: this.world.applicationId, flags: 0 },
        });
        this.dispatchOn(ws, connection, 'GUILD_CREATE', this.guildPayload());
        this.dispatchOn(ws, connection, 'GUILD_CREATE', this.otherGuildPayload());
        this.emit('identify', d);
        break;
      }
      case Op.Resume: {
        const d = payload.d as { token?: string; session_id?: string; seq?: number };
        if (d.token !== this.token || !this.session || d.session_id !== this.session.id) {
          this.sendFrame(ws, connection, { op: Op.InvalidSession, d: false });
          return;
        }
        for (const missed of this.session.buffer.filter((e) => e.s > (d.seq ?? 0))) {
          this.sendFrame(ws, connection, { op: Op.Dispatch, t: missed.t, s: missed.s, d: missed.d });
        }
        this.dispatchOn(ws, connection, 'RESUMED', {});
        this.emit('resume', d);
        break;
      }
      default:
        break;
    }
  }

  private sendFrame(
    ws: WebSocket,
    connection: number,
    frame: { op: number; d?: unknown; t?: string; s?: number },
  ): void {
    const full = { op: frame.op, d: frame.d ?? null, t: frame.t ?? null, s: frame.s ?? null };
    this.logFrame({ direction: 'out', op: full.op, t: full.t, s: full.s, d: full.d, at: Date.now(), connection });
    ws.send(json(full));
  }

  private logFrame(frame: GatewayFrame): void {
    this.gatewayFrames.push(frame);
    this.emit('frame', frame);
  }

  private dispatchOn(ws: WebSocket, connection: number, t: string, d: unknown): void {
    if (!this.session) throw new Error('no gateway session');
    const s = ++this.session.seq;
    this.session.buffer.push({ s, t, d });
    this.sendFrame(ws, connection, { op: Op.Dispatch, t, s, d });
  }

  /**
   * Sends a DISPATCH event to the bot. Without a live connection the event is
   * kept in the session buffer, so a bot that RESUMEs still receives it.
   */
  dispatch(t: string, d: unknown): void {
    if (!this.session) throw new Error('the bot has not identified yet');
    if (this.socket) {
      this.dispatchOn(this.socket, this.connectionCount, t, d);
    } else {
      const s = ++this.session.seq;
      this.session.buffer.push({ s, t, d });
    }
  }

  /** Resolves once the bot has IDENTIFYed (READY and GUILD_CREATE are sent right after). */
  async waitForIdentify(timeoutMs = 30_000): Promise<void> {
    if (this.session) return;
    await once(this, 'identify', { signal: AbortSignal.timeout(timeoutMs) });
  }

  /** Closes the bot's gateway connection from the server side with `code` (4000: unknown error, resumable). */
  closeConnection(code = 4000, reason = 'fake: closed by test'): void {
    this.socket?.close(code, reason);
  }

  /** Asks the bot to reconnect (op 7), as Discord does before maintenance. */
  requestReconnect(): void {
    if (this.socket) this.sendFrame(this.socket, this.connectionCount, { op: Op.Reconnect });
  }

  /** Number of gateway connections made so far. */
  get connections(): number {
    return this.connectionCount;
  }

  /**
   * How punctually the bot's heartbeats arrived: the longest wait from HELLO
   * or a heartbeat to the next one (for an open connection, to now), and the
   * waits longer than the interval plus `toleranceMs` (default half an
   * interval). discord.js sends its first heartbeat at a random fraction of
   * the interval, then one per interval, from timers on the event loop: a
   * late heartbeat means the loop was blocked.
   */
  heartbeatReport(toleranceMs = this.options.heartbeatIntervalMs / 2): HeartbeatReport {
    const now = Date.now();
    const late: HeartbeatReport['late'] = [];
    let maxGapMs = 0;
    let beats = 0;
    for (const [connection, log] of this.beats) {
      beats += log.beats.length;
      const ends = [...log.beats, log.closedAt ?? now];
      let previous = log.hello;
      for (const at of ends) {
        const gap = at - previous;
        maxGapMs = Math.max(maxGapMs, gap);
        if (gap > this.options.heartbeatIntervalMs + toleranceMs) late.push({ connection, gapMs: gap, at });
        previous = at;
      }
    }
    return {
      intervalMs: this.options.heartbeatIntervalMs,
      connections: this.connectionCount,
      beats,
      maxGapMs,
      late,
      timedOut: this.timedOut,
    };
  }

  /**
   * Drops what the fake has recorded so far (requests, downloads, gateway frames, stored
   * messages, interaction tokens, the RESUME replay buffer), keeping the
   * session, channels and heartbeat times. Long runs that measure memory call
   * it so the fake's own records do not count. Call it only when nothing is
   * in flight: a pending interaction's token is forgotten too.
   */
  forget(): void {
    this.requests.length = 0;
    this.attachmentRequests.length = 0;
    this.gatewayFrames.length = 0;
    this.messages.clear();
    this.originals.clear();
    this.interactionsByToken.clear();
    if (this.session) this.session.buffer.length = 0;
  }

  /** The second server: the same shape, its own id, channel and no threads. */
  private otherGuildPayload(): JsonObject {
    const { otherGuild } = this.world;
    const payload = this.guildPayload();
    const roles = (payload.roles as JsonObject[]).map((role, i) =>
      i === 0 ? { ...role, id: otherGuild.guildId } : { ...role, id: snowflake() },
    );
    return {
      ...payload,
      id: otherGuild.guildId,
      name: otherGuild.guildName,
      roles,
      channels: [otherGuild.general] as unknown as Json[],
      threads: [],
    };
  }

  private guildPayload(): JsonObject {
    const { world } = this;
    const allPermissions = String((1n << 53n) - 1n);
    return {
      id: world.guildId,
      name: world.guildName,
      icon: null,
      owner_id: world.users.alice.id,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: world.guildId,
          name: '@everyone',
          permissions: allPermissions,
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
        {
          id: world.roleId,
          name: 'Readers',
          permissions: '0',
          position: 1,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: true,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      large: false,
      unavailable: false,
      member_count: 4,
      joined_at: new Date().toISOString(),
      members: [
        {
          user: world.bot as unknown as Json,
          roles: [],
          joined_at: new Date().toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
        },
      ],
      channels: [world.askChannel, world.general] as unknown as Json[],
      threads: [world.generalThread] as unknown as Json[],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  // ───────────────────────────── attachments (the CDN) ─────────────────────────────

  /**
   * Stores a file on the fake CDN and returns its attachment object, ready
   * for `slashCommand(fake, 'library add', { file: attachment })`. The `url`
   * is signed like Discord's (`?ex=…&is=…&hm=…&`) and valid for 24 hours.
   */
  addAttachment(options: AddAttachmentOptions): FakeAttachment {
    const id = snowflake();
    const bytes = typeof options.bytes === 'string' ? Buffer.from(options.bytes, 'utf8') : Buffer.from(options.bytes);
    const ephemeral = options.ephemeral ?? true;
    const channelId = options.channelId ?? this.world.general.id;
    const folder = ephemeral ? 'ephemeral-attachments' : 'attachments';
    const path = `/${folder}/${channelId}/${id}/${encodeURIComponent(options.filename)}`;
    // A test's own URL is handed out as is and served by nobody here.
    const links = options.url === undefined ? this.cdnLinks(path) : { url: options.url, proxyUrl: options.url };
    if (options.url === undefined) {
      this.attachments.set(id, {
        id,
        path,
        bytes,
        contentType: options.contentType ?? 'application/octet-stream',
        behaviour: options.behaviour ?? 'normal',
      });
    }
    return {
      id,
      filename: options.filename,
      size: options.declaredSize ?? bytes.length,
      url: links.url,
      proxy_url: links.proxyUrl,
      ...(options.contentType ? { content_type: options.contentType } : {}),
      ...(ephemeral ? { ephemeral: true } : {}),
    };
  }

  /**
   * Lets every download held by a stall behaviour finish: the rest of the
   * file is sent. (`stop()` instead destroys them.) Returns how many were held.
   */
  releaseStalls(): number {
    const held = [...this.stalls];
    for (const release of held) release();
    return held.length;
  }

  /**
   * Resolves with the first download of `attachmentId` (already made or
   * still to come); it resolves as the request arrives, before any answer.
   * Rejects after `timeoutMs` (default 30 s).
   */
  async waitForAttachmentRequest(attachmentId: string, timeoutMs = 30_000): Promise<AttachmentRequest> {
    const found = this.attachmentRequests.find((r) => r.attachmentId === attachmentId);
    if (found) return found;
    return new Promise<AttachmentRequest>((resolve, reject) => {
      const onRequest = (request: AttachmentRequest): void => {
        if (request.attachmentId !== attachmentId) return;
        clearTimeout(timer);
        this.off('attachment-request', onRequest);
        resolve(request);
      };
      const timer = setTimeout(() => {
        this.off('attachment-request', onRequest);
        reject(new Error(`timed out waiting for a download of attachment ${attachmentId}`));
      }, timeoutMs);
      this.on('attachment-request', onRequest);
    });
  }

  /** The signed links to `path`: on the CDN, and on the media proxy (`/media`), which Discord signs alike. */
  private cdnLinks(path: string): { url: string; proxyUrl: string } {
    const query = this.signCdnPath(path);
    return {
      url: `${this.attachmentOrigin}${path}?${query}`,
      proxyUrl: `${this.attachmentOrigin}/media${path}?${query}`,
    };
  }

  /** The query Discord's CDN signs a link with: expiry and issue time in hex seconds, and an HMAC over both and the path. */
  private signCdnPath(path: string, issuedAt = Math.floor(Date.now() / 1000)): string {
    const ex = (issuedAt + CDN_LINK_LIFETIME_S).toString(16);
    const is = issuedAt.toString(16);
    const hm = createHmac('sha256', this.cdnSecret).update(`${path}?ex=${ex}&is=${is}`).digest('hex');
    // Discord's links end in "&"; kept so a bot's URL handling meets the same string.
    return `ex=${ex}&is=${is}&hm=${hm}&`;
  }

  private signatureValid(path: string, query: URLSearchParams): boolean {
    const ex = query.get('ex');
    const is = query.get('is');
    const hm = query.get('hm');
    if (!ex || !is || !hm || Number.parseInt(ex, 16) * 1000 < Date.now()) return false;
    return hm === createHmac('sha256', this.cdnSecret).update(`${path}?ex=${ex}&is=${is}`).digest('hex');
  }

  private async serveAttachment(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    [, path, attachmentId]: RegExpExecArray,
  ): Promise<void> {
    req.resume();
    const method = (req.method ?? 'GET').toUpperCase();
    const stored = this.attachments.get(attachmentId!);
    const found = stored !== undefined && stored.path === path && this.signatureValid(path, url.searchParams);
    const status = method !== 'GET' && method !== 'HEAD' ? 405 : found ? 200 : 404;
    const request: AttachmentRequest = {
      attachmentId: attachmentId!,
      method,
      path: `${url.pathname}${url.search}`,
      status,
      at: Date.now(),
    };
    this.attachmentRequests.push(request);
    this.emit('attachment-request', request);
    if (status !== 200 || !stored) {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(status === 404 ? 'This content is no longer available.' : '');
      return;
    }
    const { bytes, behaviour } = stored;
    const headers = {
      'content-type': stored.contentType,
      ...(behaviour === 'no-content-length' ? {} : { 'content-length': String(bytes.length) }),
    };
    if (method === 'HEAD') {
      res.writeHead(200, headers);
      res.end();
      return;
    }
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    switch (behaviour) {
      case 'stall-before-headers':
        if (!(await this.stall(res))) return;
        res.writeHead(200, headers);
        res.end(bytes);
        return;
      case 'stall-mid-body':
        res.writeHead(200, headers);
        res.write(half);
        if (!(await this.stall(res))) return;
        res.end(bytes.subarray(half.length));
        return;
      case 'break-mid-body':
        res.writeHead(200, headers);
        // Destroyed once the half has reached the socket, so the client sees a body cut short, not an empty one.
        res.write(half, () => res.destroy());
        return;
      default:
        // writeHead before the body: `end(bytes)` alone would add a Content-Length to 'no-content-length'.
        res.writeHead(200, headers);
        res.write(bytes);
        res.end();
    }
  }

  /** Holds a download until `releaseStalls()` (true) or until its connection closes (false: nothing more to send). */
  private stall(res: http.ServerResponse): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const release = (): void => {
        this.stalls.delete(release);
        res.off('close', onClose);
        resolve(true);
      };
      const onClose = (): void => {
        this.stalls.delete(release);
        resolve(false);
      };
      this.stalls.add(release);
      res.once('close', onClose);
    });
  }

  // ───────────────────────────── REST ─────────────────────────────

  private async handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cdnPath = CDN_PATH.exec(url.pathname);
    if (cdnPath) {
      await this.serveAttachment(req, res, url, cdnPath);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    // discord.js encodes "@original" as "%40original"; match on the decoded path.
    const path = decodeURIComponent(url.pathname.replace(/^\/api(\/v\d+)?/, ''));
    const method = (req.method ?? 'GET').toUpperCase();
    const body = parseBody(raw, req.headers['content-type']);
    const query = Object.fromEntries(url.searchParams);
    const seq = ++this.requestSeq;

    let status: number;
    let response: unknown;
    let headers: Record<string, string> = {};
    let injected = false;
    const failure = this.takeFailure({ method, path, body, query });
    if (failure) {
      injected = true;
      status = failure.status;
      response = failure.body ?? defaultErrorBody(failure.status);
      headers = { ...rateLimitHeaders(failure), ...failure.headers };
    } else {
      try {
        ({ status, body: response } = this.route(method, path, body, query, req.headers));
      } catch (error) {
        status = 500;
        response = { message: `fake discord: ${(error as Error).message}`, code: 0 };
      }
    }

    const holdIndex = this.holds.findIndex((entry) => matches(entry.matcher, { method, path, body, query }));
    if (holdIndex >= 0) {
      const [hold] = this.holds.splice(holdIndex, 1);
      hold!.arrived();
      await hold!.gate;
    }

    const recorded: RecordedRequest = {
      seq,
      method,
      path,
      query,
      headers: req.headers,
      body,
      status,
      response,
      injected,
      at: Date.now(),
    };
    this.requests.push(recorded);
    res.writeHead(status, {
      ...(response === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    });
    res.end(response === undefined ? undefined : json(response));
    // Emitted after the response is written so a test that reacts to the
    // request sees the bot's next step, not a half-served one.
    this.emit('request', recorded);
  }

  private takeFailure(
    request: Pick<RecordedRequest, 'method' | 'path' | 'body' | 'query'>,
  ): InjectedFailure | undefined {
    const index = this.failures.findIndex((f) => matches(f.matcher, request));
    if (index < 0) return undefined;
    const entry = this.failures[index]!;
    entry.left -= 1;
    if (entry.left <= 0) this.failures.splice(index, 1);
    return entry.failure;
  }

  private route(
    method: string,
    path: string,
    body: unknown,
    query: Record<string, string>,
    headers: http.IncomingHttpHeaders,
  ): { status: number; body?: unknown } {
    const { world } = this;
    const segments = path.split('/').filter(Boolean);
    const is = (m: string, pattern: string): boolean => {
      if (m !== method) return false;
      const parts = pattern.split('/').filter(Boolean);
      return parts.length === segments.length && parts.every((p, i) => p.startsWith(':') || p === segments[i]);
    };
    const notFound = (code = 0, message = '404: Not Found') => ({ status: 404, body: { message, code } });

    // Interaction responses authenticate with the interaction token, not the bot token.
    if (is('POST', '/interactions/:id/:token/callback')) {
      return this.interactionCallback(segments[1]!, segments[2]!, body as JsonObject, query);
    }
    if (segments[0] === 'webhooks') return this.webhookRoute(method, segments, body as JsonObject);

    if (headers.authorization !== `Bot ${this.token}`) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }

    if (is('GET', '/gateway/bot')) {
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      };
    }
    if (is('GET', '/gateway')) return { status: 200, body: { url: this.gatewayUrl } };
    if (is('GET', '/users/@me')) return { status: 200, body: world.bot };
    if (is('GET', '/applications/@me')) {
      return { status: 200, body: { id: world.applicationId, name: 'Lectern', bot: world.bot, flags: 0 } };
    }
    if (is('PUT', '/applications/:app/commands') || is('PUT', '/applications/:app/guilds/:guild/commands')) {
      if (segments[1] !== world.applicationId) return notFound(10002, 'Unknown Application');
      const scope = segments.length === 3 ? 'global' : segments[3]!;
      const commands = (body as JsonObject[]).map((c) => ({
        ...c,
        id: snowflake(),
        application_id: world.applicationId,
        version: snowflake(),
        ...(scope === 'global' ? {} : { guild_id: scope }),
      }));
      this.registeredCommands.set(scope, commands);
      return { status: 200, body: commands };
    }
    if (is('GET', '/applications/:app/commands')) {
      return { status: 200, body: this.registeredCommands.get('global') ?? [] };
    }
    if (is('GET', '/channels/:channel')) {
      const channel = this.channels.get(segments[1]!);
      return channel ? { status: 200, body: channel } : notFound(10003, 'Unknown Channel');
    }
    if (is('POST', '/channels/:channel/typing')) {
      if (!this.channels.has(segments[1]!)) return notFound(10003, 'Unknown Channel');
      return { status: 204 };
    }
    if (is('POST', '/channels/:channel/messages')) {
      const channel = this.channels.get(segments[1]!);
      if (!channel) return notFound(10003, 'Unknown Channel');
      const message = this.storeBotMessage(channel, body as JsonObject);
      return { status: 200, body: message };
    }
    if (is('GET', '/channels/:channel/messages/:message')) {
      const message = this.messages.get(segments[3]!);
      return message && message.channel_id === segments[1]
        ? { status: 200, body: message }
        : notFound(10008, 'Unknown Message');
    }
    if (is('PATCH', '/channels/:channel/messages/:message')) {
      const message = this.messages.get(segments[3]!);
      if (!message) return notFound(10008, 'Unknown Message');
      applyEdit(message, body as JsonObject);
      return { status: 200, body: message };
    }
    if (is('POST', '/channels/:channel/messages/:message/threads')) {
      return this.startThread(segments[1]!, segments[3]!, body as JsonObject);
    }
    if (is('PUT', '/channels/:channel/messages/pins/:message') || is('PUT', '/channels/:channel/pins/:message')) {
      const message = this.messages.get(segments[segments.length - 1]!);
      if (!message || message.channel_id !== segments[1]) return notFound(10008, 'Unknown Message');
      message.pinned = true;
      return { status: 204 };
    }
    return notFound();
  }

  private interactionCallback(
    id: string,
    token: string,
    body: JsonObject,
    query: Record<string, string>,
  ): { status: number; body?: unknown } {
    const context = this.interactionsByToken.get(token);
    if (!context) return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    if (this.originals.has(`${token}:answered`)) {
      return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    }
    this.originals.set(`${token}:answered`, id);
    const type = body.type as number;
    const data = (body.data ?? {}) as JsonObject;
    let message: FakeMessage | undefined;
    if (type === CallbackType.ChannelMessageWithSource || type === CallbackType.DeferredChannelMessageWithSource) {
      const channel = this.channels.get(context.channelId) ?? { id: context.channelId, type: ChannelType.DM };
      message = this.storeBotMessage(channel, {
        ...data,
        // A deferred response shows "is thinking…" (flag 128, LOADING) until edited.
        flags:
          ((data.flags as number | undefined) ?? 0) |
          (type === CallbackType.DeferredChannelMessageWithSource ? 128 : 0),
      });
      message.interaction_metadata = {
        id,
        type: context.type ?? 2,
        user: context.user ?? this.world.users.alice,
        authorizing_integration_owners: context.guildId
          ? { '0': context.guildId }
          : { '1': (context.user ?? this.world.users.alice).id },
      };
      this.originals.set(token, message.id);
    } else if (type === CallbackType.UpdateMessage && context.messageId) {
      message = this.messages.get(context.messageId);
      if (message) applyEdit(message, data);
    }
    if (query.with_response === 'true') {
      return {
        status: 200,
        body: {
          interaction: {
            id,
            type: 2,
            response_message_id: message?.id,
            response_message_loading: type === 5,
            response_message_ephemeral: Boolean((message?.flags ?? 0) & 64),
          },
          resource: message ? { type, message } : { type },
        },
      };
    }
    return { status: 204 };
  }

  private webhookRoute(method: string, segments: string[], body: JsonObject): { status: number; body?: unknown } {
    const [, appId, token, kind, messageId] = segments;
    if (appId !== this.world.applicationId || !token)
      return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    const context = this.interactionsByToken.get(token);
    if (!context) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    const channel = this.channels.get(context.channelId) ?? { id: context.channelId, type: ChannelType.DM };
    if (method === 'POST' && segments.length === 3) {
      if (!this.originals.has(`${token}:answered`)) {
        return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
      }
      const message = this.storeBotMessage(channel, body);
      message.webhook_id = appId;
      return { status: 200, body: message };
    }
    if (kind === 'messages' && messageId) {
      const id = messageId === '@original' ? this.originals.get(token) : messageId;
      const message = id ? this.messages.get(id) : undefined;
      if (!message) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      if (method === 'GET') return { status: 200, body: message };
      if (method === 'PATCH') {
        applyEdit(message, body);
        message.flags &= ~128;
        return { status: 200, body: message };
      }
      if (method === 'DELETE') {
        this.messages.delete(message.id);
        return { status: 204 };
      }
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  private startThread(channelId: string, messageId: string, body: JsonObject): { status: number; body?: unknown } {
    const parent = this.channels.get(channelId);
    const message = this.messages.get(messageId);
    if (!parent || !message || message.channel_id !== channelId) {
      return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    }
    if (parent.type !== ChannelType.GuildText) {
      return { status: 400, body: { message: 'Cannot execute action on this channel type', code: 50024 } };
    }
    if (message.thread) {
      return { status: 400, body: { message: 'A thread has already been created for this message', code: 160004 } };
    }
    const name = String(body.name ?? '');
    if (name.length < 1 || name.length > 100) {
      return {
        status: 400,
        body: {
          message: 'Invalid Form Body',
          code: 50035,
          errors: {
            name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] },
          },
        },
      };
    }
    // A thread started from a message shares the message's id, as on Discord.
    const thread: FakeChannel = {
      id: message.id,
      type: ChannelType.PublicThread,
      guild_id: (parent.guild_id as string | undefined) ?? this.world.guildId,
      parent_id: channelId,
      owner_id: this.world.bot.id,
      name,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: (body.auto_archive_duration as number | undefined) ?? 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    };
    this.channels.set(thread.id, thread);
    message.thread = thread;
    message.flags |= 1 << 5; // HAS_THREAD
    return { status: 201, body: thread };
  }

  private storeBotMessage(channel: FakeChannel, body: JsonObject): FakeMessage {
    const reference = body.message_reference as FakeMessage['message_reference'] | undefined;
    const message: FakeMessage = {
      id: snowflake(),
      channel_id: channel.id,
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
      author: this.world.bot,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: (body.embeds as JsonObject[] | undefined) ?? [],
      components: (body.components as JsonObject[] | undefined) ?? [],
      flags: (body.flags as number | undefined) ?? 0,
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      type: reference ? 19 : 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      attachments: [],
      application_id: this.world.applicationId,
      ...(reference
        ? { message_reference: reference, referenced_message: this.messages.get(reference.message_id) ?? null }
        : {}),
    };
    this.messages.set(message.id, message);
    return message;
  }

  // ───────────────────────────── driving the bot ─────────────────────────────

  /**
   * Registers an interaction so the fake accepts its callback and webhook
   * calls, then dispatches INTERACTION_CREATE. Use the builders in
   * `interactions.ts` for `payload`.
   */
  sendInteraction(payload: JsonObject & { id: string; token: string; channel_id: string; guild_id?: string }): void {
    const message = payload.message as { id?: string } | undefined;
    const user = ((payload.member as { user?: FakeUser } | undefined)?.user ?? payload.user) as FakeUser | undefined;
    this.interactionsByToken.set(payload.token, {
      channelId: payload.channel_id,
      type: payload.type as number,
      ...(user ? { user } : {}),
      ...(payload.guild_id ? { guildId: payload.guild_id } : {}),
      ...(message?.id ? { messageId: message.id } : {}),
    });
    if (!this.channels.has(payload.channel_id) && payload.channel) {
      this.channels.set(payload.channel_id, payload.channel as FakeChannel);
    }
    this.dispatch('INTERACTION_CREATE', payload);
  }

  /** Stores a user's message (so replies to it resolve) and dispatches MESSAGE_CREATE. */
  sendMessage(message: FakeMessage): void {
    this.messages.set(message.id, message);
    if (!this.channels.has(message.channel_id) && !message.guild_id) {
      this.channels.set(message.channel_id, { id: message.channel_id, type: ChannelType.DM });
    }
    this.dispatch('MESSAGE_CREATE', message);
  }

  /** Id of the message that answers interaction `token` (its original response), if any. */
  originalMessageId(token: string): string | undefined {
    return this.originals.get(token);
  }
}

function matches<R extends IncomingRequest>(matcher: RequestMatcher<R>, request: R): boolean {
  if (typeof matcher === 'function') return matcher(request);
  if (matcher.method && matcher.method.toUpperCase() !== request.method) return false;
  if (matcher.path === undefined) return true;
  return typeof matcher.path === 'string' ? matcher.path === request.path : matcher.path.test(request.path);
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.startsWith('multipart/form-data')) {
    const match = /name="payload_json"\r?\n(?:[^\r\n]*\r?\n)*?\r?\n([\s\S]*?)\r?\n--/.exec(raw);
    if (match) {
      try {
        return JSON.parse(match[1]!);
      } catch {
        return raw;
      }
    }
    return raw;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function applyEdit(message: FakeMessage, body: JsonObject): void {
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) message.embeds = (body.embeds as JsonObject[] | null) ?? [];
  if ('components' in body) message.components = (body.components as JsonObject[] | null) ?? [];
  if (typeof body.flags === 'number') message.flags = body.flags;
  message.edited_timestamp = new Date().toISOString();
}

function defaultErrorBody(status: number): Json {
  switch (status) {
    case 429:
      return { message: 'You are being rate limited.', retry_after: 0.05, global: false };
    case 403:
      return { message: 'Missing Permissions', code: 50013 };
    case 404:
      return { message: 'Unknown Message', code: 10008 };
    default:
      return { message: `${status}: Internal Server Error`, code: 0 };
  }
}

function rateLimitHeaders(failure: InjectedFailure): Record<string, string> {
  if (failure.status !== 429) return {};
  const body = failure.body as { retry_after?: number } | undefined;
  const after = String(body?.retry_after ?? 0.05);
  return {
    'retry-after': after,
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset-after': after,
    'x-ratelimit-scope': 'user',
  };
}
