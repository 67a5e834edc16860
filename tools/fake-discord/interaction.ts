/**
 * Follows one interaction through the fake: its callback, the edit that
 * completes a deferred reply, follow-ups. Lets a test ask "what did the user
 * finally see?" without caring whether the bot deferred first.
 */
import { CallbackType, type FakeDiscord } from './server.js';
import type { FakeMessage, JsonObject, RecordedRequest } from './types.js';

/** What the user ends up seeing for an interaction's original response. */
export interface FinalReply {
  /** The callback request (type 4, 5, 6, 7 or 8). */
  callback: RecordedRequest;
  callbackType: number;
  /** Whether the bot deferred (5 or 6) and then edited. */
  deferred: boolean;
  /** The edit that completed a deferred reply, if deferred. */
  edit?: RecordedRequest;
  /** The message payload as sent: callback data, or the edit's body. */
  payload: JsonObject;
  /** Flags of the response (64 = ephemeral), from the callback. */
  flags: number;
  /** The stored message in the fake, after all edits. */
  message?: FakeMessage;
}

export class InteractionProbe {
  constructor(
    readonly fake: FakeDiscord,
    readonly id: string,
    readonly token: string,
    /** Request mark taken before the interaction was dispatched. */
    readonly since: number,
  ) {}

  /** Sends the interaction payload and returns a probe on it. */
  static send(
    fake: FakeDiscord,
    payload: JsonObject & { id: string; token: string; channel_id: string; guild_id?: string },
  ): InteractionProbe {
    const since = fake.mark();
    fake.sendInteraction(payload);
    return new InteractionProbe(fake, payload.id, payload.token, since);
  }

  /** Every request on this interaction's callback or webhook so far. */
  requests(): RecordedRequest[] {
    return this.fake.requestsSince(this.since, (r) => r.path.includes(this.token));
  }

  /** Waits for the interaction callback (the first answer to Discord). */
  async callback(timeoutMs?: number): Promise<RecordedRequest> {
    return this.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/interactions/${this.id}/${this.token}/callback`,
      { since: this.since, ...(timeoutMs ? { timeoutMs } : {}) },
    );
  }

  /** Waits for a request on this interaction's webhook (follow-ups, edits) matching `matcher`. */
  async webhook(matcher: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest> {
    return this.fake.waitForRequest((r) => r.path.includes(`/webhooks/`) && r.path.includes(this.token) && matcher(r), {
      since: this.since,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  }

  /** Waits for the first follow-up message (POST to the webhook). */
  async followUp(timeoutMs?: number): Promise<RecordedRequest> {
    return this.webhook((r) => r.method === 'POST' && r.status < 300, timeoutMs);
  }

  /**
   * Waits for what the user finally sees as the original response: the
   * callback's data when answered directly (4, 7), or the edit of
   * `@original` when deferred (5, 6).
   */
  async final(timeoutMs?: number): Promise<FinalReply> {
    const callback = await this.callback(timeoutMs);
    const body = callback.body as { type: number; data?: JsonObject };
    const flags = (body.data?.flags as number | undefined) ?? 0;
    if (
      body.type === CallbackType.DeferredChannelMessageWithSource ||
      body.type === CallbackType.DeferredUpdateMessage
    ) {
      const edit = await this.webhook((r) => r.method === 'PATCH' && r.status < 300, timeoutMs);
      return {
        callback,
        callbackType: body.type,
        deferred: true,
        edit,
        payload: edit.body as JsonObject,
        flags,
        message: this.storedMessage(),
      };
    }
    return {
      callback,
      callbackType: body.type,
      deferred: false,
      payload: body.data ?? {},
      flags,
      message: this.storedMessage(),
    };
  }

  /** The message the fake stored as this interaction's original response. */
  storedMessage(): FakeMessage | undefined {
    const id = this.fake.originalMessageId(this.token);
    return id ? this.fake.messages.get(id) : undefined;
  }
}
