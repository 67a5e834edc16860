/**
 * Chat mode end to end: MESSAGE_CREATE for mentions, DMs, ask channels,
 * bots, ignored channels and replies to the bot (follow-ups); typing; the
 * no-ping policy with hostile text; rate limits; long questions; and Discord
 * failing (500, 429, missing permissions) while the bot keeps going.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lectern } from '../../src/lectern.js';
import {
  dmChannelFor,
  userMessage,
  type FakeMessage,
  type JsonObject,
  type RecordedRequest,
  type UserMessageOptions,
} from '../../tools/fake-discord/index.js';
import {
  checkAllMessages,
  closeBot,
  embedsOf,
  expectNoPings,
  openBot,
  questionLogs,
  startHarness,
  visibleText,
  waitForLog,
  type Harness,
} from './harness.js';

let lectern: Lectern;
let h: Harness;

beforeAll(async () => {
  ({ lectern, h } = await openBot());
}, 120_000);
afterAll(() => closeBot(h, lectern));

/** Sends a user message and waits for the bot's reply to it. */
async function ask(
  harness: Harness,
  options: UserMessageOptions,
): Promise<{ sent: FakeMessage; reply: RecordedRequest; since: number }> {
  const sent = userMessage(harness.fake, options);
  const since = harness.fake.mark();
  harness.fake.sendMessage(sent);
  const reply = await replyTo(harness, sent, since);
  return { sent, reply, since };
}

/** The bot's successful reply to `message`. */
function replyTo(harness: Harness, message: FakeMessage, since: number): Promise<RecordedRequest> {
  return harness.fake.waitForRequest(
    (r) =>
      r.method === 'POST' &&
      r.path === `/channels/${message.channel_id}/messages` &&
      (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === message.id &&
      (r as RecordedRequest).status === 200,
    { since },
  );
}

/** The bot's stored copy of a reply, for replying to it in turn. */
function stored(reply: RecordedRequest): FakeMessage {
  return h.fake.messages.get((reply.response as { id: string }).id)!;
}

/**
 * Asserts the bot did nothing about `ignored`: a sentinel question sent after
 * it is answered, and no request before that answer concerns `ignored`.
 */
async function expectIgnored(harness: Harness, ignored: FakeMessage): Promise<void> {
  const since = harness.fake.mark();
  harness.fake.sendMessage(ignored);
  const sentinel = userMessage(harness.fake, {
    content: 'Who signed the communiqué?',
    channel: harness.fake.world.askChannel,
  });
  harness.fake.sendMessage(sentinel);
  const answered = await replyTo(harness, sentinel, since);
  const between = harness.fake.requestsSince(since).filter((r) => r.seq < answered.seq);
  expect(between.filter((r) => JSON.stringify(r.body ?? '').includes(ignored.id))).toEqual([]);
  expect(
    between.filter(
      (r) => r.path === `/channels/${ignored.channel_id}/typing` && ignored.channel_id !== sentinel.channel_id,
    ),
  ).toEqual([]);
  expect(
    between.filter(
      (r) => r.path.startsWith(`/channels/${ignored.channel_id}/`) && ignored.channel_id !== sentinel.channel_id,
    ),
  ).toEqual([]);
}

describe('who the bot answers', () => {
  it('answers a mention with a reply, shows typing first, and strips its own mention from the question', async () => {
    const { fake } = h;
    const { sent, reply, since } = await ask(h, { content: `<@${fake.world.bot.id}> Who signed the communiqué?` });
    const typing = fake.requestsSince(since, { method: 'POST', path: `/channels/${fake.world.general.id}/typing` });
    expect(typing.length).toBeGreaterThan(0);
    expect(typing[0]!.seq).toBeLessThan(reply.seq);
    const body = reply.body as JsonObject;
    expect(body.message_reference).toMatchObject({ message_id: sent.id });
    const [embed] = embedsOf(body);
    expect(embed!.title).toBe('Who signed the communiqué?');
    expect(visibleText(embed!.description!)).toContain('signed by Kalinin');
    expectNoPings(reply);
    expect(questionLogs(h.logs).at(-1)).toMatchObject({
      source: 'chat:mention',
      guild: fake.world.guildId,
      channel: fake.world.general.id,
      answered: true,
    });
  });

  it('accepts the <@!id> nickname mention form too', async () => {
    const { reply } = await ask(h, { content: `<@!${h.fake.world.bot.id}>   who signed the communiqué?` });
    expect(embedsOf(reply.body as JsonObject)[0]!.title).toBe('who signed the communiqué?');
  });

  it('answers any DM', async () => {
    const { reply } = await ask(h, { content: 'Who signed the communiqué?', dm: true });
    expect(reply.path).toBe(`/channels/${dmChannelFor(h.fake, h.fake.world.users.alice).id}/messages`);
    expect(questionLogs(h.logs).at(-1)).toMatchObject({ source: 'chat:dm', guild: 'dm' });
    // No Discuss in a DM: threads need a server channel.
    const labels = (
      (reply.body as JsonObject).components as Array<{ components: Array<{ label: string }> }>
    )[0]!.components.map((c) => c.label);
    expect(labels).toEqual(['More passages', 'Context']);
  });

  it('answers every message in an ask channel without a mention, with Discuss', async () => {
    const { reply } = await ask(h, { content: 'What did Yagoda rule?', channel: h.fake.world.askChannel });
    const labels = (
      (reply.body as JsonObject).components as Array<{ components: Array<{ label: string }> }>
    )[0]!.components.map((c) => c.label);
    expect(labels).toEqual(['More passages', 'Context', 'Discuss']);
    expect(questionLogs(h.logs).at(-1)).toMatchObject({ source: 'chat:ask-channel' });
  });

  it('answers a bare mention with usage help', async () => {
    const { reply } = await ask(h, { content: `<@${h.fake.world.bot.id}>` });
    expect(embedsOf(reply.body as JsonObject)[0]!.description).toContain('Ask me a question about the text');
  });

  it('ignores messages in other channels that do not mention it', async () => {
    await expectIgnored(
      h,
      userMessage(h.fake, { content: 'Who signed the communiqué?', channel: h.fake.world.general }),
    );
  });

  it('ignores other bots, even mentioning it in an ask channel', async () => {
    const { fake } = h;
    await expectIgnored(
      h,
      userMessage(fake, {
        content: `<@${fake.world.bot.id}> Who signed it?`,
        author: fake.world.users.otherBot,
        channel: fake.world.general,
      }),
    );
  });

  it('ignores its own messages', async () => {
    const { fake } = h;
    await expectIgnored(
      h,
      userMessage(fake, {
        content: `<@${fake.world.bot.id}> Who signed it?`,
        author: fake.world.bot,
        channel: fake.world.general,
      }),
    );
  });
});

describe('follow-ups', () => {
  it('treats a reply to an answer as a follow-up of its question, and chains further replies', async () => {
    const { fake } = h;
    const first = await ask(h, { content: `<@${fake.world.bot.id}> Who signed the communiqué?` });
    const answer = stored(first.reply);

    const why = await ask(h, { content: 'why?', replyTo: answer });
    const [embed] = embedsOf(why.reply.body as JsonObject);
    expect(embed!.title).toBe('why?');
    expect(embed!.author?.name).toBe('Following up on: Who signed the communiqué?');
    expect(questionLogs(h.logs).at(-1)).toMatchObject({ source: 'chat:reply', followUp: 'why', answered: true });

    const more = await ask(h, { content: 'who else?', replyTo: stored(why.reply), replyPing: false });
    // The original question, never glued text ("Who signed the communiqué? why?").
    expect(embedsOf(more.reply.body as JsonObject)[0]!.author?.name).toBe(
      'Following up on: Who signed the communiqué?',
    );
  });

  it('follows up a mention with "why?" in chat, keeping each user\'s conversation apart', async () => {
    const { fake } = h;
    const channel = fake.world.general;
    await ask(h, { content: `<@${fake.world.bot.id}> Who signed the communiqué?`, channel });
    // Another user in the same channel starts a conversation of their own.
    await ask(h, { content: `<@${fake.world.bot.id}> Who is Romain Rolland?`, channel, author: fake.world.users.bob });
    const why = await ask(h, { content: `<@${fake.world.bot.id}> why?`, channel });
    const [embed] = embedsOf(why.reply.body as JsonObject);
    expect(embed!.title).toBe('why?');
    expect(embed!.author?.name).toBe('Following up on: Who signed the communiqué?');
    expect(questionLogs(h.logs).at(-1)).toMatchObject({ source: 'chat:mention', followUp: 'why' });
    const bobWhy = await ask(h, { content: `<@${fake.world.bot.id}> why?`, channel, author: fake.world.users.bob });
    expect(embedsOf(bobWhy.reply.body as JsonObject)[0]!.author?.name).toBe('Following up on: Who is Romain Rolland?');
  });

  it('continues a conversation started with /ask in chat', async () => {
    const { slashCommand, InteractionProbe } = await import('../../tools/fake-discord/index.js');
    const probe = InteractionProbe.send(
      h.fake,
      slashCommand(h.fake, 'ask', { question: 'What was Yagoda accused of?' }),
    );
    await probe.final();
    const why = await ask(h, { content: `<@${h.fake.world.bot.id}> why?` });
    expect(embedsOf(why.reply.body as JsonObject)[0]!.author?.name).toBe(
      'Following up on: What was Yagoda accused of?',
    );
  });

  it('follows up on a slash-command answer too', async () => {
    const { slashCommand, InteractionProbe } = await import('../../tools/fake-discord/index.js');
    const probe = InteractionProbe.send(
      h.fake,
      slashCommand(h.fake, 'ask', { question: 'What was Yagoda accused of?' }),
    );
    await probe.final();
    const followUp = await ask(h, { content: 'tell me more', replyTo: probe.storedMessage()! });
    expect(embedsOf(followUp.reply.body as JsonObject)[0]!.author?.name).toBe(
      'Following up on: What was Yagoda accused of?',
    );
  });

  it('does not treat a reply to someone else as addressed to the bot', async () => {
    const { fake } = h;
    const human = userMessage(fake, { content: 'I think it was Kalinin', author: fake.world.users.bob });
    fake.sendMessage(human);
    await expectIgnored(h, userMessage(fake, { content: 'why?', replyTo: human }));
  });
});

describe('safety', () => {
  it('never pings for @everyone, @here, roles or users in a question, and shows them literally', async () => {
    const { fake } = h;
    const hostile = `@everyone @here <@&${fake.world.roleId}> <@${fake.world.users.bob.id}> who is Yagoda? **bold** _it_ [link](https://example.com)`;
    const { reply } = await ask(h, { content: `<@${fake.world.bot.id}> ${hostile}`, mentions: [fake.world.users.bob] });
    expectNoPings(reply);
    const title = embedsOf(reply.body as JsonObject)[0]!.title!;
    // The title is what was searched (issue 9): mentions and the link's address set aside, the link's text kept;
    // escaped so that no bold renders, yet it reads back verbatim.
    expect(title).not.toContain(fake.world.roleId);
    expect(title).not.toContain('example.com');
    expect(title).toContain('\\*\\*bold\\*\\*');
    expect(visibleText(title)).toBe('who is Yagoda? **bold** _it_ link');
  });
});

describe('long questions', () => {
  it('asks for a shorter question over 1,000 characters, without calling the engine', async () => {
    const before = questionLogs(h.logs).length;
    const { reply } = await ask(h, { content: `<@${h.fake.world.bot.id}> ${'why '.repeat(300)}` });
    expect(embedsOf(reply.body as JsonObject)[0]!.description).toContain('please keep it under 1,000');
    expect(questionLogs(h.logs)).toHaveLength(before);
  });
});

describe('Discord failures', () => {
  it('rides out one 500 (discord.js retries) and one 429 (waits and retries)', async () => {
    const { fake } = h;
    fake.failNext({ method: 'POST', path: `/channels/${fake.world.askChannel.id}/messages` }, { status: 500 });
    const { since } = await ask(h, { content: 'Who signed the communiqué?', channel: fake.world.askChannel });
    expect(
      fake
        .requestsSince(since, { method: 'POST', path: `/channels/${fake.world.askChannel.id}/messages` })
        .map((r) => r.status),
    ).toEqual([500, 200]);

    fake.failNext({ method: 'POST', path: `/channels/${fake.world.askChannel.id}/messages` }, { status: 429 });
    const again = await ask(h, { content: 'Who signed the communiqué?', channel: fake.world.askChannel });
    expect(
      fake
        .requestsSince(again.since, { method: 'POST', path: `/channels/${fake.world.askChannel.id}/messages` })
        .map((r) => r.status),
    ).toEqual([429, 200]);
    expect(h.logs.some((l) => l.msg === 'Discord rate limit hit; waiting')).toBe(true);
  });

  it('logs a reply that keeps failing with 500, keeps running, and answers the next question', async () => {
    const { fake } = h;
    const channel = fake.world.askChannel.id;
    fake.failNext({ method: 'POST', path: `/channels/${channel}/messages` }, { status: 500, times: 4 });
    const lost = userMessage(fake, { content: 'Who signed the communiqué?', channel: fake.world.askChannel });
    const since = fake.mark();
    fake.sendMessage(lost);
    await fake.waitForRequest((r) => r.injected && r.path === `/channels/${channel}/messages`, { since });
    const next = await ask(h, { content: 'What did Yagoda rule?', channel: fake.world.askChannel });
    expect(next.reply.status).toBe(200);
    const failed = fake
      .requestsSince(since, { method: 'POST', path: `/channels/${channel}/messages` })
      .filter((r) => r.injected);
    expect(failed).toHaveLength(4);
    const error = await waitForLog(h, (l) => l.msg === 'could not reply to a message: Discord server error');
    expect(error).toMatchObject({ level: 50, discord: { status: 500 }, channel });
    expect(JSON.stringify(error)).not.toContain(fake.token);
  });

  it('logs missing permissions (50013) as a warning and keeps running', async () => {
    const { fake } = h;
    fake.failNext(
      { method: 'POST', path: `/channels/${fake.world.general.id}/messages` },
      { status: 403, body: { message: 'Missing Permissions', code: 50013 } },
    );
    const lost = userMessage(fake, { content: `<@${fake.world.bot.id}> Who signed the communiqué?` });
    const since = fake.mark();
    fake.sendMessage(lost);
    await fake.waitForRequest((r) => r.injected, { since });
    const next = await ask(h, { content: `<@${fake.world.bot.id}> What did Yagoda rule?` });
    expect(next.reply.status).toBe(200);
    expect(await waitForLog(h, (l) => l.msg === 'could not reply to a message: missing permissions')).toMatchObject({
      level: 40,
      discord: { code: 50013 },
    });
  });

  it('posts without the reply link when the question was deleted meanwhile', async () => {
    const { fake } = h;
    fake.failNext(
      { method: 'POST', path: `/channels/${fake.world.general.id}/messages` },
      {
        status: 400,
        body: {
          message: 'Invalid Form Body',
          code: 50035,
          errors: {
            message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
          },
        },
      },
    );
    const gone = userMessage(fake, { content: `<@${fake.world.bot.id}> Who signed the communiqué?` });
    const since = fake.mark();
    fake.sendMessage(gone);
    const posted = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${fake.world.general.id}/messages` && !r.injected,
      { since },
    );
    expect((posted.body as JsonObject).message_reference).toBeUndefined();
    expect(embedsOf(posted.body as JsonObject)[0]!.title).toBe('Who signed the communiqué?');
    expectNoPings(posted);
  });
});

describe('rate limit', () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness(lectern, { env: { RATE_LIMIT_COUNT: '2', RATE_LIMIT_WINDOW_SECONDS: '600' } });
  }, 60_000);
  afterAll(async () => limited?.stop());

  it('answers a user up to the limit, then says so once, then stays quiet; others are unaffected', async () => {
    const { fake } = limited;
    const bob = fake.world.users.bob;
    const where = { channel: fake.world.askChannel, author: bob };
    await ask(limited, { ...where, content: 'Who signed the communiqué?' });
    await ask(limited, { ...where, content: 'What did Yagoda rule?' });
    const notice = await ask(limited, { ...where, content: 'Who was Rakowsky?' });
    const text = embedsOf(notice.reply.body as JsonObject)[0]!.description!;
    expect(text).toContain('2 questions per 10 minutes');
    expect(text).toMatch(/Please try again in (10|9) minutes\.$/);
    expectNoPings(notice.reply);
    // A fourth message in the window gets no further notice (the bot must not flood the channel either)…
    await expectIgnored(limited, userMessage(fake, { ...where, content: 'And Putna?' }));
    // …and a slash command from bob gets an ephemeral notice.
    const { slashCommand, InteractionProbe } = await import('../../tools/fake-discord/index.js');
    const slash = await InteractionProbe.send(
      fake,
      slashCommand(fake, 'ask', { question: 'Who?' }, { user: bob }),
    ).final();
    expect(slash.flags & 64).toBe(64);
    expect(embedsOf(slash.payload)[0]!.description).toContain('asking faster than I can keep up with');
    expect(limited.logs.filter((l) => l.event === 'rate_limited').length).toBeGreaterThanOrEqual(3);
  });

  it('sent only safe messages', () => {
    expect(checkAllMessages(limited.fake)).toBeGreaterThanOrEqual(4);
  });
});

describe('every message', () => {
  it('logged no question or quote text (LOG_QUESTIONS is off)', () => {
    const logs = JSON.stringify(h.logs);
    expect(logs).not.toContain('communiqué');
    expect(logs).not.toContain('Kalinin');
  });

  it('pinged nobody and stayed within Discord limits', () => {
    expect(checkAllMessages(h.fake)).toBeGreaterThan(15);
  });
});
