/**
 * Loose shapes of the Discord payloads the fake serves and records. Only the
 * fields the fake and the tests look at are named; the rest pass through as
 * `unknown`, because the point is to see exactly what the bot sent.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

export interface FakeChannel {
  id: string;
  type: number;
  name?: string;
  guild_id?: string;
  parent_id?: string | null;
  [key: string]: unknown;
}

/** A message as the fake stores it and returns it from GET and POST. */
export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  embeds: JsonObject[];
  components: JsonObject[];
  flags: number;
  message_reference?: { message_id: string; channel_id?: string; guild_id?: string; type?: number };
  referenced_message?: FakeMessage | null;
  mentions: FakeUser[];
  mention_roles: string[];
  mention_everyone: boolean;
  pinned: boolean;
  type: number;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  attachments: Json[];
  thread?: FakeChannel;
  webhook_id?: string;
  application_id?: string;
  [key: string]: unknown;
}

/** One REST request the bot made, with what the fake answered. */
export interface RecordedRequest {
  /** Sequence number, increasing in arrival order. */
  seq: number;
  method: string;
  /** Path below the API version, e.g. `/channels/123/messages`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (or `payload_json` of a multipart body), else the raw text, else undefined. */
  body: unknown;
  status: number;
  response: unknown;
  /** True when the answer was an injected failure. */
  injected: boolean;
  at: number;
}

/** One gateway frame, in either direction. */
export interface GatewayFrame {
  direction: 'in' | 'out';
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
  at: number;
  /** Which connection (1, 2, …) carried it: reconnections get new numbers. */
  connection: number;
}

/** What a failure matcher sees: the request before it is answered. */
export type IncomingRequest = Pick<RecordedRequest, 'method' | 'path' | 'body' | 'query'>;

/** Selects requests: a predicate, or a method and a path (exact or RegExp). */
export type RequestMatcher<R extends IncomingRequest = IncomingRequest> =
  ((request: R) => boolean) | { method?: string; path?: string | RegExp };

/** A canned failure for the next matching request(s). */
export interface InjectedFailure {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
  /** How many matching requests fail; default 1. */
  times?: number;
}

/**
 * An attachment as Discord describes it in a message or in an interaction's
 * `data.resolved.attachments`. Files uploaded into a slash command option are
 * ephemeral: served from `/ephemeral-attachments/…` and marked `ephemeral: true`.
 */
export interface FakeAttachment {
  id: string;
  filename: string;
  /** What Discord says the size is; the fake lets a test make it disagree with the bytes served. */
  size: number;
  /** A signed CDN link (`?ex=…&is=…&hm=…&`); without its query the CDN answers 404. */
  url: string;
  proxy_url: string;
  content_type?: string;
  ephemeral?: boolean;
}

/**
 * How the fake CDN serves an attachment. `normal`: the bytes with a
 * Content-Length. `no-content-length`: chunked, no length announced.
 * `stall-before-headers`: nothing at all until `releaseStalls()`.
 * `stall-mid-body`: headers and the first half of the bytes, then nothing
 * until `releaseStalls()`. `break-mid-body`: headers with the full length and
 * the first half, then the connection is destroyed.
 */
export type AttachmentBehaviour =
  'normal' | 'no-content-length' | 'stall-before-headers' | 'stall-mid-body' | 'break-mid-body';

/** One download from the fake CDN, recorded when it arrives (before any of the answer is sent). */
export interface AttachmentRequest {
  /** The attachment id in the path (whether or not the fake knows it). */
  attachmentId: string;
  method: string;
  /** Path and query as requested. */
  path: string;
  /** 200 when served (or about to be, for a stall); 404 for an unknown id or a missing or wrong signature. */
  status: number;
  at: number;
}
