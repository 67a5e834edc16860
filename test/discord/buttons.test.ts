/**
 * Every button end to end: "More passages", "Context", ◀ ▶, "Post to
 * channel", "Discuss", and buttons from an older index or unknown ids. Clicks
 * are dispatched as INTERACTION_CREATE carrying the message the bot sent, as
 * Discord does, so state must come from the custom id and the message alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeButton, encodeButton } from '../../src/discord/custom-id.js';
import { STALE_BUTTON, UNKNOWN_BUTTON } from '../../src/discord/buttons/index.js';
import { ALREADY_PUBLIC, NOT_YOURS } from '../../src/discord/buttons/post.js';
import { Lectern } from '../../src/lectern.js';
import {
  buttonClick,
  buttons,
  CallbackType,
  slashCommand,
  type FakeMessage,
  type JsonObject,
} from '../../tools/fake-discord/index.js';
import {
  checkAllMessages,
  closeBot,
  embedsOf,
  expectNoPings,
  openBot,
  visibleText,
  type Embed,
  type Harness,
} from './harness.js';

const EPHEMERAL = 64;
/** ¶ number from a citation footer ("…, ¶4"; the header ¶0 is cited as "…, header"). */
const paragraphOf = (embed: Embed): number =>
  embed.footer!.text.endsWith(', header') ? 0 : Number(/¶(\d+)$/.exec(embed.footer!.text)?.[1]);

let lectern: Lectern;
let h: Harness;

beforeAll(async () => {
  ({ lectern, h } = await openBot());
}, 120_000);
afterAll(() => closeBot(h, lectern));

/** Runs a slash command and returns the message the bot posted for it. */
async function posted(name: string, options: Record<string, string | number | boolean>): Promise<FakeMessage> {
  const probe = h.interact(slashCommand(h.fake, name, options));
  await probe.final();
  const message = probe.storedMessage();
  if (!message) throw new Error('no stored message');
  return message;
}

function idOf(message: FakeMessage, label: string): string {
  const found = buttons(message).find((b) => b.label === label);
  if (!found?.custom_id) throw new Error(`no button "${label}" on the message`);
  return found.custom_id;
}

describe('More passages', () => {
  it('shows the next results for the same question, just for the clicker, with a further page', async () => {
    const answer = await posted('ask', { question: 'What happened to Yagoda?' });
    const first = new Set([
      paragraphOf(embedsOf(answer)[0]!),
      ...embedsOf(answer)[0]!.fields!.map((f) => Number(/¶(\d+)/.exec(f.name)?.[1])),
    ]);
    // The quote and the passages related to the question ("Also relevant", the related rule of src/answer/view.ts):
    // at most a page of five; "More passages" goes on from there.
    expect(first.size).toBeGreaterThan(1);
    expect(first.size).toBeLessThanOrEqual(5);

    const page2 = await h.interact(buttonClick(h.fake, answer, idOf(answer, 'More passages'))).final();
    expect(page2.callbackType).toBe(CallbackType.ChannelMessageWithSource);
    expect(page2.flags & EPHEMERAL).toBe(EPHEMERAL);
    const embeds = embedsOf(page2.payload);
    expect(embeds[0]!.title).toBe('What happened to Yagoda?');
    expect(embeds[0]!.description).toMatch(new RegExp(`^\\*Passages ${first.size + 1}–\\d+\\.\\*`));
    const shown = embeds.map(paragraphOf);
    expect(shown.length).toBeGreaterThan(0);
    for (const p of shown) expect(first.has(p)).toBe(false);
    expect(buttons(page2.payload).map((b) => b.label)).toContain('Post to channel');

    // 11 passages in all (¶0–¶10): page 2 is full, so there is a page 3 with the rest.
    expect(shown).toHaveLength(5);
    const next = buttons(page2.payload).find((b) => b.label === 'More passages');
    expect(decodeButton(next!.custom_id!)?.action).toEqual({
      kind: 'more',
      doc: null,
      offset: first.size + 5,
      limit: 5,
    });
    const page2Message = h.fake.messages.get(h.fake.originalMessageId(page2.callback.path.split('/')[3]!)!)!;
    const page3 = await h.interact(buttonClick(h.fake, page2Message, next!.custom_id!)).final();
    const last = embedsOf(page3.payload).map(paragraphOf);
    expect(last).toHaveLength(11 - first.size - 5);
    expect([...first, ...shown, ...last].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(buttons(page3.payload).map((b) => b.label)).not.toContain('More passages');
  });
});

describe('Context', () => {
  it('shows the paragraphs before and after the quoted one', async () => {
    const answer = await posted('ask', { question: 'Who signed the communiqué?' });
    const reply = await h.interact(buttonClick(h.fake, answer, idOf(answer, 'Context'))).final();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    const [embed] = embedsOf(reply.payload);
    expect(embed!.title).toBe('Context of ¶2: The End of Henry Yagoda');
    const text = embed!.description!;
    expect(text.indexOf('**¶1**')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('**¶2 (quoted)**')).toBeGreaterThan(text.indexOf('**¶1**'));
    expect(text.indexOf('**¶3**')).toBeGreaterThan(text.indexOf('**¶2 (quoted)**'));
    expect(visibleText(text)).toContain('signed by Kalinin');
    expect(embed!.footer!.text).toMatch(/¶2$/);
  });
});

describe('◀ ▶', () => {
  it('turn the page in place (an update of the same message)', async () => {
    const message = await posted('passage', { paragraph: 4 });
    const next = await h.interact(buttonClick(h.fake, message, idOf(message, '¶5'))).final();
    expect(next.callbackType).toBe(CallbackType.UpdateMessage);
    expect(embedsOf(next.payload)[0]!.title).toBe('The End of Henry Yagoda: ¶5 of 10');
    expect(buttons(next.payload).map((b) => b.label)).toEqual(['¶4', '¶6', 'Post to channel']);
    // The fake applied the update to the stored message; go back from there.
    const updated = h.fake.messages.get(message.id)!;
    expect(embedsOf(updated)[0]!.title).toContain('¶5');
    const back = await h.interact(buttonClick(h.fake, updated, idOf(updated, '¶4'))).final();
    expect(embedsOf(back.payload)[0]!.title).toBe('The End of Henry Yagoda: ¶4 of 10');
    expectNoPings(back.callback);
  });
});

describe('Post to channel', () => {
  it('marks the ephemeral copy "Posted" and posts the same passages publicly with Discuss', async () => {
    const quote = await posted('quote', { query: 'White Sea Baltic Canal', count: 2 });
    expect(quote.flags & EPHEMERAL).toBe(EPHEMERAL);
    const probe = h.interact(buttonClick(h.fake, quote, idOf(quote, 'Post to channel')));
    const update = await probe.final();
    expect(update.callbackType).toBe(CallbackType.UpdateMessage);
    const after = buttons(update.payload);
    expect(after.find((b) => b.label === 'Posted')?.disabled).toBe(true);
    expect(after.map((b) => b.label)).toContain('More passages');

    const followUp = await probe.followUp();
    const body = followUp.body as JsonObject;
    expect(((body.flags as number | undefined) ?? 0) & EPHEMERAL).toBe(0);
    expect(body.content).toBe(`Shared by <@${h.fake.world.users.alice.id}>`);
    expect(embedsOf(body)).toEqual(embedsOf(quote));
    expect(buttons(body).map((b) => b.label)).toEqual(['More passages', 'Discuss']);
    // The "Shared by" mention must not notify anyone.
    expectNoPings(followUp);
  });
});

describe('Post to channel, tampered', () => {
  it('refuses to repost a message that is already public (a forged "Post" id on an /ask answer)', async () => {
    const answer = await posted('ask', { question: 'Who signed the communiqué?' });
    expect(answer.flags & EPHEMERAL).toBe(0);
    const mark = h.fake.mark();
    const forged = encodeButton(h.engine.indexId, { kind: 'post' });
    const reply = await h.interact(buttonClick(h.fake, answer, forged)).final();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedsOf(reply.payload)[0]!.description).toBe(ALREADY_PUBLIC);
    // Nothing was posted to the channel, and the answer kept its buttons.
    expect(h.fake.requestsSince(mark, { method: 'POST', path: /\/webhooks\// })).toHaveLength(0);
    expect(h.fake.requestsSince(mark, { method: 'PATCH' })).toHaveLength(0);
  });

  it('refuses a click by someone other than the person the ephemeral reply was shown to', async () => {
    const quote = await posted('quote', { query: 'White Sea Baltic Canal' });
    const mark = h.fake.mark();
    const reply = await h
      .interact(buttonClick(h.fake, quote, idOf(quote, 'Post to channel'), { user: h.fake.world.users.bob }))
      .final();
    expect(embedsOf(reply.payload)[0]!.description).toBe(NOT_YOURS);
    expect(h.fake.requestsSince(mark, { method: 'POST', path: /\/webhooks\// })).toHaveLength(0);
  });
});

describe('Discuss', () => {
  it('opens a thread named after the question with the quote as its first message, pinned', async () => {
    const question =
      'Why was it necessary to suppress Yagoda, according to Serge, and what did he know that made him dangerous?';
    const answer = await posted('ask', { question });
    const probe = h.interact(buttonClick(h.fake, answer, idOf(answer, 'Discuss')));
    const callback = await probe.callback();
    expect(callback.body).toMatchObject({
      type: CallbackType.DeferredChannelMessageWithSource,
      data: { flags: EPHEMERAL },
    });

    const thread = await h.fake.waitForRequest(
      { method: 'POST', path: `/channels/${answer.channel_id}/messages/${answer.id}/threads` },
      { since: probe.since },
    );
    const name = (thread.body as { name: string }).name;
    expect(name.length).toBeLessThanOrEqual(100);
    expect(question.startsWith(name.replace(/…$/, ''))).toBe(true);
    expect(name).toMatch(/\w…$/);

    const threadId = (thread.response as { id: string }).id;
    const opener = await h.fake.waitForRequest(
      { method: 'POST', path: `/channels/${threadId}/messages` },
      { since: probe.since },
    );
    const [embed] = embedsOf(opener.body as JsonObject);
    expect(embed!.description).toBe(embedsOf(answer)[0]!.description);
    expect(embed!.footer).toEqual(embedsOf(answer)[0]!.footer);
    expect(embed!.fields).toBeUndefined();
    expectNoPings(opener);

    const openerId = (opener.response as { id: string }).id;
    await h.fake.waitForRequest(
      { method: 'PUT', path: `/channels/${threadId}/messages/pins/${openerId}` },
      { since: probe.since },
    );
    expect(h.fake.messages.get(openerId)?.pinned).toBe(true);

    const done = await probe.final();
    expect(done.payload.content).toBe(`Discussion opened: <#${threadId}>`);

    // A second click links to the existing thread instead of failing.
    const again = await h
      .interact(buttonClick(h.fake, h.fake.messages.get(answer.id)!, idOf(answer, 'Discuss')))
      .final();
    expect(embedsOf(again.payload)[0]!.description).toBe(
      `There is already a discussion for this answer: <#${threadId}>`,
    );
  });

  it('still opens the thread when pinning is not allowed, and logs it', async () => {
    const answer = await posted('ask', { question: 'Who was Rakowsky?' });
    h.fake.failNext(
      { method: 'PUT', path: /\/pins\// },
      { status: 403, body: { message: 'Missing Permissions', code: 50013 } },
    );
    const done = await h.interact(buttonClick(h.fake, answer, idOf(answer, 'Discuss'))).final();
    expect(done.payload.content).toMatch(/^Discussion opened: <#\d+>$/);
    const warning = h.logs.find((l) => l.msg === 'could not pin the quote: missing permissions');
    expect(warning).toMatchObject({ discord: { code: 50013, status: 403 } });
  });

  it('explains when it may not create threads', async () => {
    const answer = await posted('ask', { question: 'Who was Sosnovsky?' });
    h.fake.failNext(
      { method: 'POST', path: /\/threads$/ },
      { status: 403, body: { message: 'Missing Permissions', code: 50013 } },
    );
    const done = await h.interact(buttonClick(h.fake, answer, idOf(answer, 'Discuss'))).final();
    expect(done.payload.content).toContain('permission to create threads');
  });
});

describe('buttons from elsewhere', () => {
  it('answers politely that an answer from an older index is out of date', async () => {
    const answer = await posted('ask', { question: 'Who signed the communiqué?' });
    for (const action of [
      { kind: 'more', doc: null, offset: 5, limit: 5 },
      { kind: 'context', doc: 0, paragraph: 2 },
      { kind: 'page', doc: 0, paragraph: 3, direction: 'next' },
    ] as const) {
      const stale = encodeButton('0ldbuild0000', action);
      const reply = await h.interact(buttonClick(h.fake, answer, stale)).final();
      expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(embedsOf(reply.payload)[0]!.description).toBe(STALE_BUTTON);
    }
    expect(h.logs.filter((l) => l.event === 'stale_button').length).toBeGreaterThanOrEqual(3);
  });

  it('answers an unknown custom id instead of leaving the click to fail', async () => {
    const answer = await posted('ask', { question: 'Who signed the communiqué?' });
    const reply = await h.interact(buttonClick(h.fake, answer, 'something-else')).final();
    expect(embedsOf(reply.payload)[0]!.description).toBe(UNKNOWN_BUTTON);
  });
});

describe('every message', () => {
  it('logged no question or quote text (LOG_QUESTIONS is off)', () => {
    const logs = JSON.stringify(h.logs);
    expect(logs).not.toContain('communiqué');
    expect(logs).not.toContain('Kalinin');
  });

  it('pinged nobody and stayed within Discord limits', () => {
    expect(checkAllMessages(h.fake)).toBeGreaterThan(10);
  });
});
