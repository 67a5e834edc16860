/**
 * The longest possible answers, end to end. A library of enormous
 * paragraphs, full of Markdown and mention syntax, is indexed by the real
 * engine (real model) into a temporary directory; every command and button
 * must then stay within every Discord limit, quote verbatim, and never cut a
 * word.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELLIPSIS } from '../../src/discord/excerpt.js';
import { LIMITS } from '../../src/discord/limits.js';
import { QUESTION_FIELD } from '../../src/discord/recorded-question.js';
import { Lectern } from '../../src/lectern.js';
import { buttonClick, buttons, slashCommand, type JsonObject } from '../../tools/fake-discord/index.js';
import { checkAllMessages, expectWithinLimits, startHarness, visibleText, type Harness } from './harness.js';

type Embed = {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: Array<{ name: string; value: string }>;
};
const embedsOf = (payload: { embeds?: unknown }): Embed[] => (payload.embeds ?? []) as Embed[];

/** Deterministic prose: sentences of varied length with Markdown, mentions and line-start syntax mixed in. */
function paragraph(seed: number, sentences: number, topic: string): string {
  const words = [
    'commissar',
    'archive',
    'tribunal',
    'ledger',
    'canal',
    'prison',
    'witness',
    'decree',
    'cell',
    'report',
    'signature',
    'regime',
  ];
  const hazards = [
    '*starred*',
    '_under_',
    '`code`',
    '~~struck~~',
    '||spoiler||',
    '<@&123456789012345678>',
    '@everyone',
    '@here',
    '[link](https://example.org)',
    ':smile:',
    '\\backslash',
    '<t:1700000000>',
    '# not-a-heading',
  ];
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < sentences; i++) {
    const n = 8 + (x % 23);
    const sentence: string[] = [];
    for (let j = 0; j < n; j++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      sentence.push(j % 7 === 3 ? hazards[x % hazards.length]! : words[x % words.length]!);
    }
    if (i % 5 === 0) sentence.push(topic);
    const text = sentence.join(' ');
    out.push(text[0]!.toUpperCase() + text.slice(1) + '.');
  }
  return out.join(' ');
}

const TOPIC = 'lighthouse';
const LONG_SENTENCE = `The ${TOPIC} keeper wrote ${Array.from({ length: 400 }, (_, i) => ['and', 'then', 'slowly', 'again', 'the', 'lamp'][i % 6]).join(' ')} until morning.`;
const TEXT = [
  'Ada Example',
  '',
  'The Lighthouse Ledger: *Stress* _Test_',
  '',
  '(May 1938)',
  '',
  'From The Test Gazette, Vol. 9 No. 9, 1 May 1938, p. 1.',
  '',
  ...[1, 2, 3, 4, 5, 6].flatMap((i) => [paragraph(i * 7919, 60, TOPIC), '']),
  LONG_SENTENCE,
  '',
  `https://example.org/${'a'.repeat(5000)} ${TOPIC}`,
  '',
].join('\n');

let dir: string;
let lectern: Lectern;
let h: Harness;
let doc: { id: string; passages: Array<{ paragraph: number; text: string }> };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lectern-limits-'));
  await writeFile(path.join(dir, 'lighthouse-ledger.txt'), TEXT);
  lectern = await Lectern.open({ config: { textsDir: dir, indexDir: path.join(dir, 'index') }, onStale: 'rebuild' });
  doc = lectern.library.defaultDocument;
  h = await startHarness(lectern, { env: { RATE_LIMIT_COUNT: '1000' } });
}, 180_000);

afterAll(async () => {
  await h?.stop();
  await lectern?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Checks that rendered excerpt text is verbatim and cut only between words:
 * each piece between "…" marks must occur in some paragraph, starting and
 * ending at word boundaries.
 */
function expectVerbatimPieces(markdown: string): void {
  const visible = visibleText(markdown);
  for (const piece of visible
    .split(ELLIPSIS)
    .map((p) => p.trim())
    .filter((p) => p.length > 20)) {
    const source = doc.passages.find((p) => p.text.includes(piece));
    expect(source, `not verbatim: ${piece.slice(0, 80)}`).toBeDefined();
    const at = source!.text.indexOf(piece);
    const before = source!.text[at - 1];
    const after = source!.text[at + piece.length];
    expect(before === undefined || /\s/.test(before), `cut mid-word before: …${piece.slice(0, 30)}`).toBe(true);
    expect(
      after === undefined || /\s/.test(after) || /[.,;:!?…]/.test(source!.text[at + piece.length - 1]!),
      `cut mid-word after: ${piece.slice(-30)}…`,
    ).toBe(true);
  }
}

describe('longest answers stay within Discord limits', () => {
  it('the library really is oversized', () => {
    const longest = Math.max(...doc.passages.map((p) => p.text.length));
    expect(longest).toBeGreaterThan(LIMITS.embedsTotal);
  });

  it('/ask with a 1,000-character question: title shortened at a word, full question kept in a field', async () => {
    const question = `What did the ${TOPIC} keeper write in the ledger about the canal and the witness? `
      .repeat(14)
      .slice(0, 1000);
    const reply = await h.interact(slashCommand(h.fake, 'ask', { question })).final();
    expectWithinLimits(reply.payload);
    const [embed] = embedsOf(reply.payload);
    expect(embed!.title!.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(embed!.title!.endsWith(ELLIPSIS)).toBe(true);
    const field = embed!.fields!.find((f) => f.name === QUESTION_FIELD);
    expect(visibleText(field!.value)).toBe(question.trim());
    expectVerbatimPieces(embed!.description!);
    for (const f of embed!.fields!.filter((f) => f.name !== QUESTION_FIELD)) expectVerbatimPieces(f.value);
  });

  it('/quote count:5 public: five huge passages share the 6,000-character budget', async () => {
    const reply = await h
      .interact(slashCommand(h.fake, 'quote', { query: `${TOPIC} ledger archive witness`, count: 5, public: true }))
      .final();
    expectWithinLimits(reply.payload);
    const embeds = embedsOf(reply.payload);
    expect(embeds).toHaveLength(5);
    for (const e of embeds) expectVerbatimPieces(e.description!);
  });

  it('/passage of the longest paragraph is shortened at a sentence and says so', async () => {
    const longest = doc.passages.reduce((a, b) => (b.text.length > a.text.length && b.text.includes('. ') ? b : a));
    const reply = await h.interact(slashCommand(h.fake, 'passage', { paragraph: longest.paragraph })).final();
    expectWithinLimits(reply.payload);
    const description = embedsOf(reply.payload)[0]!.description!;
    expect(description).toContain('*(shortened to fit Discord)*');
    expectVerbatimPieces(description.replace('*(shortened to fit Discord)*', ''));
    // Cut at a sentence end: the last piece before "…" ends with a full stop.
    expect(visibleText(description).split(ELLIPSIS)[0]!.trim()).toMatch(/\.$/);
  });

  it('a single sentence longer than an embed is cut at a word, and an enormous "word" still fits', async () => {
    const sentence = doc.passages.find((p) => p.text === LONG_SENTENCE)!;
    const url = doc.passages.find((p) => p.text.startsWith('https://'))!;
    for (const p of [sentence, url]) {
      const reply = await h.interact(slashCommand(h.fake, 'passage', { paragraph: p.paragraph })).final();
      expectWithinLimits(reply.payload);
      expect(embedsOf(reply.payload)[0]!.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    }
    const reply = await h.interact(slashCommand(h.fake, 'passage', { paragraph: sentence.paragraph })).final();
    expectVerbatimPieces(embedsOf(reply.payload)[0]!.description!.replace('*(shortened to fit Discord)*', ''));
  });

  it('"Context" around a huge paragraph and "More passages" stay within limits', async () => {
    const probe = h.interact(slashCommand(h.fake, 'ask', { question: `What did the ${TOPIC} keeper write?` }));
    await probe.final();
    const answer = probe.storedMessage()!;
    for (const label of ['Context', 'More passages']) {
      const id = buttons(answer).find((b) => b.label === label)!.custom_id!;
      const reply = await h.interact(buttonClick(h.fake, answer, id)).final();
      expectWithinLimits(reply.payload);
      for (const e of embedsOf(reply.payload))
        if (e.description) expect(e.description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    }
  });

  it('Discuss names the thread after a 1,000-character question within 100 characters', async () => {
    const question = `Why did the ${TOPIC} keeper keep writing in the ledger all night long? `
      .repeat(15)
      .slice(0, 1000);
    const probe = h.interact(slashCommand(h.fake, 'ask', { question }));
    await probe.final();
    const answer = probe.storedMessage()!;
    const since = h.fake.mark();
    await h
      .interact(buttonClick(h.fake, answer, buttons(answer).find((b) => b.label === 'Discuss')!.custom_id!))
      .final();
    const thread = h.fake.requestsSince(since, { method: 'POST', path: /\/threads$/ })[0]!;
    const name = (thread.body as JsonObject).name as string;
    expect(name.length).toBeLessThanOrEqual(LIMITS.threadName);
    expect(question.startsWith(name.slice(0, -1))).toBe(true);
  });

  it('every message the bot sent is within limits and pings nobody', () => {
    expect(checkAllMessages(h.fake)).toBeGreaterThan(8);
  });
});
