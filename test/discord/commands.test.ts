/**
 * Slash commands end to end: the real discord.js client logged into the fake
 * Discord, the real Lectern engine (model and index from embeddings/), every
 * command and option, autocomplete, deferral, and the checks before a
 * question reaches the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeButton } from '../../src/discord/custom-id.js';
import { COLORS } from '../../src/discord/views/notice.js';
import { Lectern } from '../../src/lectern.js';
import { autocomplete, buttons, CallbackType, slashCommand } from '../../tools/fake-discord/index.js';
import {
  checkAllMessages,
  closeBot,
  expectNoPings,
  expectWithinLimits,
  openBot,
  questionLogs,
  startHarness,
  visibleText,
  type Harness,
} from './harness.js';

const EPHEMERAL = 64;
type Embed = {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: Array<{ name: string; value: string }>;
  color?: number;
  author?: { name: string };
};
const embedsOf = (payload: { embeds?: unknown }): Embed[] => (payload.embeds ?? []) as Embed[];

let lectern: Lectern;
let h: Harness;
const DOC = 'serge-the-end-of-henry-yagoda-1937';

beforeAll(async () => {
  ({ lectern, h } = await openBot());
}, 120_000);
afterAll(() => closeBot(h, lectern));

describe('/ask', () => {
  it('answers publicly with the quote in a block quote, the best sentence in bold, the citation in the footer, and buttons', async () => {
    const probe = h.interact(slashCommand(h.fake, 'ask', { question: 'Who signed the communiqué?' }));
    const reply = await probe.final();
    expect(reply.callbackType).toBe(CallbackType.ChannelMessageWithSource);
    expect(reply.flags & EPHEMERAL).toBe(0);
    const [embed] = embedsOf(reply.payload);
    expect(embed!.title).toBe('Who signed the communiqué?');
    expect(embed!.description).toMatch(/^> /);
    expect(embed!.description).toMatch(/\*\*[^*]*signed by Kalinin[^*]*\*\*/);
    expect(visibleText(embed!.description!)).toContain(
      'A Government communiqué, signed by Kalinin, announced the accusation',
    );
    expect(embed!.footer!.text).toBe(
      'Victor Serge, "The End of Henry Yagoda", Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p. 9, ¶2',
    );
    expect(embed!.color).toBe(COLORS.answered);
    // Further passages are shortened, with their ¶ numbers.
    expect(embed!.fields!.length).toBeGreaterThan(0);
    for (const field of embed!.fields!) {
      expect(field.name).toMatch(/¶\d+/);
      expect(field.value.length).toBeLessThanOrEqual(300);
    }
    const labels = buttons(reply.payload).map((b) => b.label);
    expect(labels).toEqual(['More passages', 'Context', 'Discuss']);
    const ids = buttons(reply.payload).map((b) => decodeButton(b.custom_id!));
    // "More passages" goes on after the quote and its "Also relevant" passages (those related to the question).
    expect(ids[0]?.action).toEqual({ kind: 'more', doc: null, offset: 1 + embed!.fields!.length, limit: 5 });
    expect(ids[1]?.action).toEqual({ kind: 'context', doc: 0, paragraph: 2 });
    expect(ids.every((s) => s?.indexTag === lectern.indexId.slice(0, 16))).toBe(true);
    expectNoPings(reply.callback);
  });

  it('logs guild, channel, latency and outcome, without the question text by default', () => {
    const line = questionLogs(h.logs).find((l) => l.source === '/ask');
    expect(line).toMatchObject({
      guild: h.fake.world.guildId,
      channel: h.fake.world.general.id,
      answered: true,
      status: 'answered',
    });
    expect(typeof line!.latencyMs).toBe('number');
    expect(JSON.stringify(h.logs)).not.toContain('Who signed the communiqué?');
  });

  it('limits the answer to one text with text:', async () => {
    const reply = await h
      .interact(slashCommand(h.fake, 'ask', { question: 'Who signed the communiqué?', text: DOC }))
      .final();
    const more = buttons(reply.payload)
      .map((b) => decodeButton(b.custom_id!))
      .find((s) => s?.action.kind === 'more');
    expect(more?.action).toMatchObject({ kind: 'more', doc: 0 });
    expect(visibleText(embedsOf(reply.payload)[0]!.description!)).toContain('signed by Kalinin');
    expect(questionLogs(h.logs).at(-1)).toMatchObject({ docId: DOC });
  });

  it('accepts a typed title instead of an autocompleted id, and refuses an unknown text politely', async () => {
    const typed = await h
      .interact(slashCommand(h.fake, 'ask', { question: 'Who signed the communiqué?', text: 'henry yagoda' }))
      .final();
    expect(typed.flags & EPHEMERAL).toBe(0);
    const unknown = await h.interact(slashCommand(h.fake, 'ask', { question: 'Who?', text: 'Das Kapital' })).final();
    expect(unknown.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedsOf(unknown.payload)[0]!.description).toContain('/sources');
  });

  it('abstains when the text does not address the question, showing the closest passage labelled as such', async () => {
    const reply = await h
      .interact(slashCommand(h.fake, 'ask', { question: 'What is the recipe for chocolate cake?' }))
      .final();
    const [embed] = embedsOf(reply.payload);
    expect(embed!.description).toContain('does not seem to address');
    expect(embed!.description).toContain('**Closest passage**');
    expect(embed!.description).toContain('it may not answer your question');
    expect(embed!.footer!.text).toMatch(/^Closest passage: Victor Serge/);
    expect(embed!.color).toBe(COLORS.abstained);
    expect(questionLogs(h.logs).at(-1)).toMatchObject({ answered: false, status: 'abstained' });
  });

  it('answers a greeting with usage help and no buttons', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'ask', { question: 'hello' })).final();
    expect(embedsOf(reply.payload)[0]!.description).toContain('Ask me a question about the text');
    expect(buttons(reply.payload)).toEqual([]);
  });

  it('asks for a shorter question over 1,000 characters, without calling the engine', async () => {
    const before = questionLogs(h.logs).length;
    const reply = await h.interact(slashCommand(h.fake, 'ask', { question: 'Why '.repeat(260) })).final();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedsOf(reply.payload)[0]!.description).toMatch(/1,040 characters long; please keep it under 1,000/);
    expect(questionLogs(h.logs)).toHaveLength(before);
  });

  it('works in a DM, without a Discuss button (no threads there)', async () => {
    const reply = await h
      .interact(slashCommand(h.fake, 'ask', { question: 'Who signed the communiqué?' }, { dm: true }))
      .final();
    expect(buttons(reply.payload).map((b) => b.label)).toEqual(['More passages', 'Context']);
    expect(questionLogs(h.logs).at(-1)).toMatchObject({ guild: 'dm' });
  });
});

describe('deferral', () => {
  let slow: Harness;
  beforeAll(async () => {
    // deferAfterMs 0: every engine call counts as slow, as on a cold model.
    slow = await startHarness(lectern, { deferAfterMs: 0 });
  }, 60_000);
  afterAll(async () => slow?.stop());

  it('defers a public /ask ("thinking…") and then edits the original response', async () => {
    const reply = await slow
      .interact(slashCommand(slow.fake, 'ask', { question: 'Who signed the communiqué?' }))
      .final();
    expect(reply.deferred).toBe(true);
    expect(reply.callbackType).toBe(CallbackType.DeferredChannelMessageWithSource);
    expect(reply.flags & EPHEMERAL).toBe(0);
    expect(reply.edit!.method).toBe('PATCH');
    expect(reply.edit!.path).toMatch(/\/messages\/@original$/);
    expect(embedsOf(reply.payload)[0]!.title).toBe('Who signed the communiqué?');
    expect(reply.message!.flags & 128).toBe(0);
    expectNoPings(reply.edit!);
  });

  it('defers /quote ephemerally', async () => {
    const reply = await slow.interact(slashCommand(slow.fake, 'quote', { query: 'concentration camps' })).final();
    expect(reply.deferred).toBe(true);
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(buttons(reply.payload).map((b) => b.label)).toContain('Post to channel');
  });

  it('sent only safe messages', () => {
    expect(checkAllMessages(slow.fake)).toBeGreaterThan(0);
  });
});

describe('/quote', () => {
  it('is ephemeral by default, one passage, with "Post to channel"', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'quote', { query: 'White Sea Baltic Canal' })).final();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    const embeds = embedsOf(reply.payload);
    expect(embeds).toHaveLength(1);
    expect(embeds[0]!.title).toBe('White Sea Baltic Canal');
    expect(visibleText(embeds[0]!.description!)).toContain('White Sea Baltic Canal');
    expect(embeds[0]!.footer!.text).toMatch(/¶3$/);
    expect(buttons(reply.payload).map((b) => b.label)).toEqual(['More passages', 'Post to channel']);
  });

  it('shows `count` passages, each with its citation, publicly when asked, with Discuss', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'quote', { query: 'Yagoda', count: 3, public: true })).final();
    expect(reply.flags & EPHEMERAL).toBe(0);
    const embeds = embedsOf(reply.payload);
    expect(embeds).toHaveLength(3);
    const paragraphs = embeds.map((e) => /¶(\d+)$/.exec(e.footer!.text)?.[1]);
    expect(new Set(paragraphs).size).toBe(3);
    expect(buttons(reply.payload).map((b) => b.label)).toEqual(['More passages', 'Discuss']);
    const more = decodeButton(buttons(reply.payload)[0]!.custom_id!);
    expect(more?.action).toEqual({ kind: 'more', doc: null, offset: 3, limit: 3 });
    expectWithinLimits(reply.payload);
  });

  it('clamps count to 1–5 even if a client sends more', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'quote', { query: 'Yagoda', count: 9 })).final();
    expect(embedsOf(reply.payload)).toHaveLength(5);
  });

  it('without a query, explains the option and offers a passage worth discussing (not an apology)', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'quote', {})).final();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    const [notice, passage] = embedsOf(reply.payload);
    expect(notice!.description).toContain('`/quote query: the trial`');
    expect(notice!.color).not.toBe(COLORS.error);
    // A real paragraph of the text, with its citation, and ◀ ▶ to read around it.
    const paragraph = Number(/¶(\d+)$/.exec(passage!.footer!.text)?.[1]);
    expect(paragraph).toBeGreaterThanOrEqual(1);
    const text = lectern.library.getPassage(DOC, paragraph)!.text;
    // Verbatim up to white space: line breaks inside a paragraph are shown as spaces.
    const fold = (t: string) => t.replace(/\s+/g, ' ');
    expect(fold(visibleText(passage!.description!))).toContain(fold(text).slice(0, 40));
    expect(buttons(reply.payload).map((b) => b.label)).toEqual([
      `¶${paragraph - 1}`,
      `¶${Math.min(10, paragraph + 1)}`,
      'Post to channel',
    ]);
    expectWithinLimits(reply.payload);
  });

  it('labels closest passages when the text does not address the query', async () => {
    const reply = await h
      .interact(slashCommand(h.fake, 'quote', { query: 'photosynthesis in tropical plants', count: 2 }))
      .final();
    expect(embedsOf(reply.payload)[0]!.description).toContain(
      'does not seem to address this directly; these are the closest passages',
    );
  });
});

describe('/passage', () => {
  it('shows ¶N with its citation and ◀ ▶ buttons to the neighbours', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'passage', { paragraph: 4 })).final();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    const [embed] = embedsOf(reply.payload);
    expect(embed!.title).toBe('The End of Henry Yagoda: ¶4 of 10');
    expect(visibleText(embed!.description!)).toBe(
      'He watched over Stalin, whom he was seen to follow step by step on ceremonial occasions.',
    );
    expect(embed!.footer!.text).toMatch(/, ¶4$/);
    const [prev, next, post] = buttons(reply.payload);
    expect([prev!.label, next!.label, post!.label]).toEqual(['¶3', '¶5', 'Post to channel']);
    expect(decodeButton(prev!.custom_id!)?.action).toEqual({ kind: 'page', doc: 0, paragraph: 3, direction: 'prev' });
    expect(decodeButton(next!.custom_id!)?.action).toEqual({ kind: 'page', doc: 0, paragraph: 5, direction: 'next' });
  });

  it('disables ◀ at the header (¶0) and ▶ at the last paragraph; public: true is public', async () => {
    const first = await h.interact(slashCommand(h.fake, 'passage', { paragraph: 0, text: DOC, public: true })).final();
    expect(first.flags & EPHEMERAL).toBe(0);
    expect(embedsOf(first.payload)[0]!.title).toContain('Header (¶0)');
    expect(buttons(first.payload).map((b) => Boolean(b.disabled))).toEqual([true, false]);
    const last = await h.interact(slashCommand(h.fake, 'passage', { paragraph: 10 })).final();
    expect(
      buttons(last.payload)
        .slice(0, 2)
        .map((b) => Boolean(b.disabled)),
    ).toEqual([false, true]);
  });

  it('explains the valid range for a paragraph that does not exist', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'passage', { paragraph: 99 })).final();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedsOf(reply.payload)[0]!.description).toContain('has paragraphs ¶1–¶10');
  });
});

describe('/sources and /help', () => {
  it('/sources lists each text with metadata and paragraph count', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'sources')).final();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    const [embed] = embedsOf(reply.payload);
    expect(embed!.title).toBe('Texts in the library (1)');
    expect(embed!.fields![0]!.name).toBe('The End of Henry Yagoda');
    expect(embed!.fields![0]!.value).toContain('by Victor Serge');
    expect(embed!.fields![0]!.value).toContain('Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p.\u00a09');
    expect(embed!.fields![0]!.value).toContain('10 paragraphs');
  });

  it('/help explains commands, chat and buttons', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'help')).final();
    const text = embedsOf(reply.payload)[0]!.description!;
    for (const word of [
      '/ask',
      '/quote',
      '/passage',
      '/sources',
      'More passages',
      'Context',
      'Discuss',
      'mention me',
      `<#${h.fake.world.askChannel.id}>`,
    ]) {
      expect(text).toContain(word);
    }
  });
});

describe('autocomplete of text:', () => {
  it.each(['ask', 'quote', 'passage'])('/%s suggests library titles matching what is typed', async (command) => {
    const options =
      command === 'passage'
        ? { paragraph: 1, text: 'yago' }
        : { [command === 'ask' ? 'question' : 'query']: 'x', text: 'yago' };
    const probe = h.interact(autocomplete(h.fake, command, options, 'text'));
    const callback = await probe.callback();
    expect(callback.body).toEqual({
      type: CallbackType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: 'The End of Henry Yagoda — Victor Serge', value: DOC }] },
    });
  });

  it('suggests nothing for an unknown title, and everything for an empty one', async () => {
    const none = await h.interact(autocomplete(h.fake, 'quote', { query: 'x', text: 'zzzz' }, 'text')).callback();
    expect((none.body as { data: { choices: unknown[] } }).data.choices).toEqual([]);
    const all = await h.interact(autocomplete(h.fake, 'quote', { query: 'x', text: '' }, 'text')).callback();
    expect((all.body as { data: { choices: unknown[] } }).data.choices).toHaveLength(1);
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
