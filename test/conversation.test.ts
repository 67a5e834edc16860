import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROOT_DIR } from '../src/config.js';
import { evaluateConversations, formatConversationTable, parseConversationFile } from '../src/eval/conversation.js';
import { Embedder } from '../src/embed/embedder.js';
import { Lectern } from '../src/lectern.js';
import { askedKey, classifyMessage, ConversationStore, type Conversation } from '../src/search/follow-up.js';
import type { Answer } from '../src/types.js';

let lectern: Lectern;
beforeAll(async () => {
  lectern = await Lectern.open({ config: {} });
});
afterAll(() => lectern?.close());

const after = (topic: string): Conversation => ({ topic, answered: true, shown: [] });

describe('classifying a message against the conversation', () => {
  it.each([
    ['why?', 'Who signed the communiqué?', 'why'],
    ['How so?', 'Who signed the communiqué?', 'why'],
    ['Why was it signed?', 'Who signed the communiqué?', 'why'],
    ['who else?', 'Which old Bolshevik survivors are also condemned?', 'more'],
    ['Who else was condemned?', 'Which old Bolshevik survivors are also condemned?', 'more'],
    ['more', 'Who is Romain Rolland?', 'more'],
    ['Tell me more', 'Who is Romain Rolland?', 'context'],
    ['go on', 'Who is Romain Rolland?', 'context'],
    // New content words make a new question, whatever the opening.
    ['How do I bake bread?', 'Who transcribed it?', 'new'],
    ['Why was Yagoda arrested?', 'Who signed the communiqué?', 'new'],
    ['And Rakowsky?', 'Who was shot in prison without trial?', 'new'],
    ['Tell me more about the White Sea Baltic Canal', 'Who is Romain Rolland?', 'new'],
    ['Where was it published?', 'Who transcribed this text?', 'new'],
  ])('"%s" after "%s" is %s', (message, topic, kind) => {
    expect(classifyMessage(message, after(topic))).toBe(kind);
  });

  it('treats every message as new when there is no conversation', () => {
    expect(classifyMessage('why?', undefined)).toBe('new');
  });
});

describe('conversations through Lectern.converse', () => {
  it('declines a new off-topic question after an answered one, instead of gluing them', async () => {
    await lectern.converse('t1', 'Who transcribed it?');
    const turn = await lectern.converse('t1', 'How do I bake bread?');
    expect(turn.kind).toBe('new');
    expect(turn.answer.status).toBe('abstained');
    expect(turn.answer.followUp).toBeUndefined();
  });

  it('does not quote the previous answer again for a new question', async () => {
    const first = await lectern.converse('t2', 'Who signed the communiqué?');
    const second = await lectern.converse('t2', 'Why was Yagoda arrested?');
    expect(second.kind).toBe('new');
    expect(second.answer.quote?.passageId).not.toBe(first.answer.quote?.passageId);
  });

  it('answers "why?" with a reason near the previous answer, saying what it follows up', async () => {
    await lectern.converse('t3', 'What was Yagoda accused of?');
    const why = await lectern.converse('t3', 'why?');
    expect(why.answer.followUp).toEqual({ kind: 'why', of: 'What was Yagoda accused of?' });
    expect(why.answer.status).toBe('answered');
    expect(why.answer.quote?.passageId).toMatch(/#6$/);
  });

  it('gives a passage not yet quoted for "more", and the context of the quote for "tell me more"', async () => {
    const first = await lectern.converse('t4', 'Who is Romain Rolland?');
    expect(first.answer.quote?.passageId).toMatch(/#8$/);
    const more = await lectern.converse('t4', 'more');
    expect(more.answer.quote?.passageId).toMatch(/#9$/);
    const context = await lectern.converse('t4', 'tell me more');
    expect(context.answer.followUp?.kind).toBe('context');
    // ¶9 was quoted in part or whole: "tell me more" shows more of it, or reads on to ¶10.
    const shownBefore = more.answer.quote!;
    const now = context.answer.quote!;
    expect(
      now.passageId === shownBefore.passageId
        ? now.text.length > shownBefore.text.length
        : now.passageId.endsWith('#10'),
    ).toBe(true);
  });

  it('keeps conversations apart by key', async () => {
    await lectern.converse('alice', 'Who is Romain Rolland?');
    await lectern.converse('bob', 'Who signed the communiqué?');
    const why = await lectern.converse('alice', 'tell me more');
    expect(why.answer.followUp?.of).toBe('Who is Romain Rolland?');
  });

  it('keeps the legacy followUpOf option working for callers without a conversation', async () => {
    const alone = await lectern.ask('How do I bake bread?', { followUpOf: 'Who transcribed it?' });
    expect(alone.status).toBe('abstained');
    const followUp = await lectern.ask('who else?', {
      followUpOf: 'Which old Bolshevik survivors are also condemned?',
    });
    expect(followUp.followUp).toEqual({ kind: 'more', of: 'Which old Bolshevik survivors are also condemned?' });
    expect(followUp.quote?.passageId).not.toMatch(/#10$/);
  });

  it('scores the conversation set, every turn kind present', async () => {
    const cases = parseConversationFile(await readFile(path.join(ROOT_DIR, 'eval', 'conversations.jsonl'), 'utf8'));
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const { results, metrics } = await evaluateConversations(lectern, cases);
    expect(results.length).toBe(cases.reduce((n, c) => n + c.turns.length, 0));
    expect(metrics.map((m) => m.kind)).toEqual(['new', 'why', 'more', 'context', 'all']);
    expect(formatConversationTable(metrics)).toMatch(/^turn kind/);
  });
});

describe('the cost of a follow-up', () => {
  /** Counts the real embedder's calls (it still embeds: the spy only counts). */
  const embeddings = async (run: () => Promise<unknown>): Promise<number> => {
    const spy = vi.spyOn(Embedder.prototype, 'embedQueries');
    try {
      await run();
      return spy.mock.calls.reduce((n, [texts]) => n + texts.length, 0);
    } finally {
      spy.mockRestore();
    }
  };
  const topic = 'What was Yagoda accused of?';
  /** What a reader sees of an answer: ids name states, not content. */
  const seen = ({ id: _id, ...answer }: Answer) => answer;

  it('answers "why?" and "more" without embedding the topic again', async () => {
    await lectern.converse('cost', topic);
    let why: Answer | undefined;
    expect(await embeddings(async () => (why = (await lectern.converse('cost', 'why?')).answer))).toBe(0);
    expect(why?.quote?.passageId).toMatch(/#6$/);
    expect(await embeddings(() => lectern.converse('cost', 'more'))).toBe(0);
  });

  it('answers a reply to an older answer (followUpOf) with at most one embedding, and the same after a restart', async () => {
    await lectern.converse('cost-reply', topic);
    await lectern.converse('cost-reply', 'Who signed the communiqué?'); // the key has moved on; the reply is to the first answer
    let kept: Answer | undefined;
    expect(await embeddings(async () => (kept = await lectern.ask('why?', { followUpOf: topic })))).toBe(0);
    expect(kept?.followUp).toEqual({ kind: 'why', of: topic });
    expect(kept?.quote?.passageId).toMatch(/#6$/);
    lectern.conversations.clear(); // what a restart forgets
    let asked: Answer | undefined;
    expect(await embeddings(async () => (asked = await lectern.ask('why?', { followUpOf: topic })))).toBe(1);
    expect(seen(asked!)).toEqual(seen(kept!));
    // The question asked again is kept: the next reply to it embeds nothing.
    expect(await embeddings(() => lectern.ask('more', { followUpOf: topic }))).toBe(0);
  });
});

describe('ConversationStore', () => {
  const c = after('Who signed the communiqué?');

  it('forgets the least recently used conversation beyond its size', () => {
    const store = new ConversationStore({ maxConversations: 2 });
    store.set('a', c);
    store.set('b', c);
    store.get('a'); // a is now the most recent
    store.set('c', c);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBe(c);
    expect(store.size).toBe(2);
  });

  it('forgets a conversation idle longer than its time to live', () => {
    let now = 0;
    const store = new ConversationStore({ ttlMs: 1000, now: () => now });
    store.set('a', c);
    now = 999;
    expect(store.get('a')).toBe(c);
    now = 2000;
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('drops expired conversations as new ones arrive', () => {
    let now = 0;
    const store = new ConversationStore({ ttlMs: 1000, now: () => now });
    store.set('a', c);
    store.set('b', c);
    now = 5000;
    store.set('c', c);
    expect(store.size).toBe(1);
  });

  it("keeps each answer's state under its id, the last answer of a key as a pointer, and topics by what they were asked under", () => {
    const store = new ConversationStore();
    const asked = askedKey(undefined, undefined);
    const first: Conversation = { ...c, id: 'a1', topicId: 'a1', askedUnder: asked };
    const second: Conversation = { ...first, id: 'a2', shown: ['doc#2'] };
    store.set('k', first);
    store.set('k', second);
    expect(store.get('k')).toBe(second);
    expect(store.answer('a1')).toBe(first);
    expect(store.topicAnswer('Who signed  the communiqué?', asked)).toBe(first);
    expect(store.topicAnswer(c.topic, askedKey(undefined, { docId: 'doc', through: 3 }))).toBeUndefined();
    store.clear();
    expect(store.get('k')).toBeUndefined();
    expect(store.answer('a1')).toBeUndefined();
  });
});
