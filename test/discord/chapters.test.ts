/**
 * Chapters on Discord, end to end: the real discord.js client against the
 * fake Discord, the real model and an index built from a small multi-chapter
 * library (the Markdown and EPUB 2 format fixtures: a few chapters each).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureWorkspace, type Workspace } from '../support/workspace.js';
import { Lectern } from '../../src/lectern.js';
import { autocomplete, buttonClick, buttons, slashCommand, type FakeMessage } from '../../tools/fake-discord/index.js';
import { embedsOf, startHarness, visibleText, type Harness } from './harness.js';

const BOOK = 'book-with-headings';
let ws: Workspace;
let lectern: Lectern;
let h: Harness;

beforeAll(async () => {
  ws = await makeFixtureWorkspace([
    'formats/book-with-headings.md',
    'formats/lighthouse-epub2.epub',
    'books/northern-letters.txt',
    'books/two-winters.txt',
  ]);
  lectern = await Lectern.open({ config: ws.config });
  h = await startHarness(lectern, { env: { RATE_LIMIT_COUNT: '1000' } });
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await lectern?.close();
  await ws?.cleanup();
});

async function posted(name: string, options: Record<string, string | number | boolean>): Promise<FakeMessage> {
  const probe = h.interact(slashCommand(h.fake, name, options));
  await probe.final();
  const message = probe.storedMessage();
  if (!message) throw new Error('no stored message');
  return message;
}

describe('/passage by chapter', () => {
  it('reads chapter:N paragraph:M, with white space folded and a chapter-aware citation', async () => {
    const message = await posted('passage', { text: BOOK, chapter: '1', paragraph: 1, public: true });
    const [embed] = embedsOf(message);
    expect(visibleText(embed!.description!)).toContain('The first paragraph of the first chapter. It is hard-wrapped.');
    expect(embed!.footer!.text).toMatch(/^Mark Down, A Markdown Book, ch\. 1 "Beginnings", ¶1$/);
  });

  it('reads a reference such as 2.1 and a global ¶ number', async () => {
    const byReference = embedsOf(await posted('passage', { text: BOOK, reference: '2.1', public: true }))[0]!;
    expect(visibleText(byReference.description!)).toContain('Only one paragraph here.');
    const global = embedsOf(await posted('passage', { text: BOOK, paragraph: 2, public: true }))[0]!;
    expect(visibleText(global.description!)).toContain('The second paragraph.');
  });

  it('says what exists when the chapter or paragraph does not', async () => {
    const noChapter = await h.interact(slashCommand(h.fake, 'passage', { text: BOOK, chapter: '9' })).final();
    expect(JSON.stringify(noChapter.payload)).toContain('has no chapter');
    const noParagraph = await h
      .interact(slashCommand(h.fake, 'passage', { text: BOOK, chapter: '2', paragraph: 5 }))
      .final();
    expect(JSON.stringify(noParagraph.payload)).toContain('There is no ¶5');
  });

  it('turns the page across a chapter boundary with ▶', async () => {
    const last = await posted('passage', { text: BOOK, reference: '1.3', public: true });
    const next = buttons(last).find((b) => b.label?.startsWith('ch. 2'));
    expect(next?.custom_id?.length).toBeLessThanOrEqual(100);
    const turned = await h.interact(buttonClick(h.fake, last, next!.custom_id!)).final();
    const [embed] = embedsOf(turned.payload);
    expect(visibleText(embed!.description!)).toContain('Only one paragraph here.');
    expect(embed!.footer!.text).toContain('ch. 2 "Endings", ¶1');
  });

  it('autocompletes chapter titles of the chosen text', async () => {
    const callback = await h
      .interact(autocomplete(h.fake, 'passage', { text: BOOK, chapter: 'end' }, 'chapter'))
      .callback();
    const choices = (callback.body as { data: { choices: Array<{ name: string; value: string }> } }).data.choices;
    expect(choices).toEqual([{ name: 'ch. 2 “Endings”', value: '2' }]);
  });
});

describe('/passage in a book with letters before chapter 1, and one in volumes (issue 17)', () => {
  const LETTERS = 'northern-letters';
  const VOLUMES = 'two-winters';
  const choicesFor = async (text: string, typed: string) => {
    const callback = await h.interact(autocomplete(h.fake, 'passage', { text, chapter: typed }, 'chapter')).callback();
    return (callback.body as { data: { choices: Array<{ name: string; value: string }> } }).data.choices;
  };

  it('opens what the citation says: 1.4 and chapter:1 are Chapter 1, Letter 1 ¶4 is the letter', async () => {
    const chapterOne: Record<string, string | number>[] = [
      { reference: '1.4' },
      { reference: 'ch. 1 ¶4' },
      { chapter: '1', paragraph: 4 },
    ];
    for (const options of chapterOne) {
      const [embed] = embedsOf(await posted('passage', { text: LETTERS, ...options, public: true }));
      expect(visibleText(embed!.description!)).toContain('Elinor Marsh is the orphan my mother adopted');
      expect(embed!.footer!.text).toBe('Margaret Example, The Northern Letters, ch. 1 ¶4');
    }
    const letterOne: Record<string, string | number>[] = [
      { reference: 'Letter 1 ¶4' },
      { chapter: 'Letter 1', paragraph: 4 },
    ];
    for (const options of letterOne) {
      const [embed] = embedsOf(await posted('passage', { text: LETTERS, ...options, public: true }));
      expect(visibleText(embed!.description!)).toContain('I am already far north of London');
      expect(embed!.footer!.text).toBe('Margaret Example, The Northern Letters, Letter 1 ¶4');
    }
  });

  it('offers letters and chapters apart, and each choice opens what it names', async () => {
    const choices = await choicesFor(LETTERS, '1');
    expect(choices).toEqual(
      expect.arrayContaining([
        { name: 'Letter 1', value: 'Letter 1' },
        { name: 'ch. 1', value: '1' },
      ]),
    );
    expect(await choicesFor(LETTERS, 'letter 4')).toEqual([{ name: 'Letter 4', value: 'Letter 4' }]);
    expect(await choicesFor(LETTERS, 'Letter 1-4')).toEqual([{ name: 'Letter 1-4', value: 'Letter 1-4' }]);
    expect(await choicesFor(LETTERS, '1-3')).toEqual([{ name: '1-3', value: '1-3' }]);
    expect(await choicesFor(VOLUMES, 'vol 2 ch 3')).toEqual([{ name: 'Vol. 2, ch. 3', value: 'Vol. 2, ch. 3' }]);
    for (const [text, choice] of [
      ...choices.map((c) => [LETTERS, c] as const),
      [VOLUMES, { name: 'Vol. 2, ch. 3', value: 'Vol. 2, ch. 3' }] as const,
    ]) {
      const [embed] = embedsOf(await posted('passage', { text, chapter: choice.value, public: true }));
      expect(embed!.title, choice.value).toContain(`${choice.name} ¶1 of`);
    }
  });

  it('turns the page from the last letter into Chapter 1', async () => {
    const last = await posted('passage', { text: LETTERS, reference: 'Letter 4 ¶5', public: true });
    const next = buttons(last).find((b) => b.label === 'ch. 1 ¶1');
    const turned = await h.interact(buttonClick(h.fake, last, next!.custom_id!)).final();
    const [embed] = embedsOf(turned.payload);
    expect(visibleText(embed!.description!)).toContain('I am by birth a Genevese');
    expect(embed!.footer!.text).toBe('Margaret Example, The Northern Letters, ch. 1 ¶1');
    const back = buttons(turned.payload).find((b) => b.label === 'Letter 4 ¶5');
    expect(back).toBeDefined();
  });
});

describe('/ask and /quote with chapter:, /sources', () => {
  it('restricts /quote to a chapter', async () => {
    const reply = await h
      .interact(slashCommand(h.fake, 'quote', { query: 'paragraph', text: BOOK, chapter: '2', public: true }))
      .final();
    const embeds = embedsOf(reply.payload);
    expect(embeds.length).toBeGreaterThan(0);
    for (const e of embeds) expect(e.footer!.text).toContain('ch. 2');
  });

  it('restricts /ask to a chapter and explains an unknown one', async () => {
    const answer = embedsOf(
      await posted('ask', { question: 'Which paragraph is alone?', text: BOOK, chapter: '2' }),
    )[0]!;
    expect(answer.footer!.text).toContain('ch. 2');
    const unknown = embedsOf(
      await posted('ask', { question: 'Which paragraph is alone?', text: BOOK, chapter: '7' }),
    )[0]!;
    expect(unknown.description).toContain('No chapter');
  });

  it('/sources lists chapter and word counts', async () => {
    const reply = await h.interact(slashCommand(h.fake, 'sources', {})).final();
    const fields = embedsOf(reply.payload)[0]!.fields!;
    const book = fields.find((f) => f.name === 'A Markdown Book')!;
    expect(book.value).toMatch(/2 chapters · \d+ words · 4 paragraphs/);
  });
});
