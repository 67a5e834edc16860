/**
 * Chapters through the whole pipeline, with the real model: an index built
 * from the format fixtures, a search restricted to a chapter or a range
 * (`AskOptions.chapter`, `npm run ask -- --doc ID --chapter N`), and the
 * chapter in JSON answers. The fixtures are small: the build embeds ~40 units.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerToJson } from '../src/answer/json.js';
import { makeFixtureWorkspace, type Workspace } from './support/workspace.js';
import { Lectern } from '../src/lectern.js';
import { runScript } from './reliability/helpers.js';

let ws: Workspace;
let lectern: Lectern;
let env: Record<string, string>;

beforeAll(async () => {
  ws = await makeFixtureWorkspace([
    ...['gutenberg-sample.txt', 'lighthouse-epub2.epub', 'book-with-headings.md'].map((f) => `formats/${f}`),
    'books/northern-letters.txt',
    'books/two-winters.txt',
  ]);
  lectern = await Lectern.open({ config: ws.config });
  env = { LECTERN_TEXTS_DIR: ws.config.textsDir, LECTERN_INDEX_DIR: ws.config.indexDir };
}, 120_000);
afterAll(async () => {
  await lectern?.close();
  await ws?.cleanup();
});

describe('chapters through search and answers', () => {
  it('stores the structure in the index', () => {
    const doc = lectern.library.getDocument('lighthouse-epub2')!;
    expect(doc.chapters.map((c) => c.title)).toEqual(['The Lamp', 'The Storm']);
    expect(lectern.manifest.documents.find((d) => d.id === 'lighthouse-epub2')).toMatchObject({
      chapters: 2,
      paragraphs: 4,
    });
  });

  it('restricts the search to a chapter, and to a range', async () => {
    const inTwo = await lectern.ask('Who lit the lamp?', { docId: 'lighthouse-epub2', chapter: '2' });
    expect(inTwo.passages.length).toBeGreaterThan(0);
    expect(inTwo.passages.every((r) => r.passage.chapter === 2)).toBe(true);
    const both = await lectern.ask('Who lit the lamp?', { docId: 'lighthouse-epub2', chapter: '1-2' });
    expect(both.passages[0]!.passage.text).toContain('Mrs. Hale lit the lamp');
    const unknown = await lectern.ask('Who lit the lamp?', { docId: 'lighthouse-epub2', chapter: '9' });
    expect(unknown.status).toBe('help');
    expect(unknown.message).toMatch(/No chapter "9" in The Lighthouse Keeper \(it has 2 chapters\)/);
  });

  it('puts the chapter in JSON answers', async () => {
    const json = answerToJson(await lectern.ask('Who lit the lamp?', { docId: 'lighthouse-epub2' }), lectern.library);
    expect(json.citation).toBe('Ella Keeper, The Lighthouse Keeper, ch. 1 "The Lamp", ¶1');
    expect(json.chapter).toEqual({ ordinal: 1, number: '1', title: 'The Lamp', paragraph: 1 });
    expect(json.passages[0]).toMatchObject({ location: 'ch. 1 ¶1', chapter: { ordinal: 1, paragraph: 1 } });
  });

  it('npm run ask -- --doc ID --chapter N', () => {
    const run = runScript(
      'scripts/ask.ts',
      ['--json', '--doc', 'gutenberg-sample', '--chapter', '2', 'Who waited on Mr. Bingley?'],
      { env },
    );
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.passages.every((p: { chapter?: { ordinal: number } }) => p.chapter?.ordinal === 2)).toBe(true);
    expect(json.citation).toMatch(/^Jane Example, A Gutenberg Sample, ch\. 2 ¶\d$/);
    const sources = runScript('scripts/ask.ts', ['--sources'], { env });
    expect(sources.stdout).toMatch(
      /lighthouse-epub2\tElla Keeper, "The Lighthouse Keeper"\t2 chapters, 4 paragraphs, \d+ words/,
    );
  });

  it('--chapter 1 is Chapter 1, not Letter 1, and a citation names what it opens (issue 17)', () => {
    const run = runScript(
      'scripts/ask.ts',
      ['--json', '--doc', 'northern-letters', '--chapter', '1', 'Who is Elinor Marsh?'],
      { env },
    );
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.answered).toBe(true);
    expect(json.citation).toBe('Margaret Example, The Northern Letters, ch. 1 ¶4');
    expect(json.passages.every((p: { location: string }) => p.location.startsWith('ch. 1 ¶'))).toBe(true);
    // The citation's place, given back to the library, opens the quoted paragraph.
    expect(lectern.library.resolveReference('northern-letters', json.passages[0].location)?.passage.text).toBe(
      json.passages[0].text,
    );
  });

  it('--chapter takes letters, ranges of them, and volumes', async () => {
    const letters = await lectern.ask('Who is the master of the ship?', {
      docId: 'northern-letters',
      chapter: 'Letter 1-4',
    });
    expect(letters.passages.length).toBeGreaterThan(0);
    expect(letters.passages.every((r) => (r.passage.chapter ?? 0) >= 2 && (r.passage.chapter ?? 0) <= 5)).toBe(true);
    const run = runScript(
      'scripts/ask.ts',
      ['--json', '--doc', 'two-winters', '--chapter', 'Vol. 2, ch. 2', 'Who sold the green ledger?'],
      { env },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).citation).toBe('Jane Example, The Two Winters, Vol. 2, ch. 2 ¶1');
    const unknown = await lectern.ask('Who sold the green ledger?', { docId: 'two-winters', chapter: 'Vol. 3, ch. 1' });
    expect(unknown.message).toBe('No chapter "Vol. 3, ch. 1" in The Two Winters (it has 6 chapters).');
  });
});
