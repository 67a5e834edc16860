/**
 * Discussion starters (issue 19 §4): three passages of a week's chapters, chosen by the method of
 * src/club/discussion-starters.ts, on Moby-Dick (parsed here, ~0.3 s), the test books, the EPUB
 * fixture and the bundled article; and through `Lectern.discussionStarters` with the bundled index.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCitation } from '../src/answer/citation.js';
import { discussionStarters, type ChapterOrdinalRange } from '../src/club/discussion-starters.js';
import { ROOT_DIR } from '../src/config.js';
import { parseDocument, parseSidecar } from '../src/corpus/parse.js';
import { LecternError } from '../src/errors.js';
import { Lectern } from '../src/lectern.js';
import type { LibraryDocument, Passage } from '../src/types.js';
import { BUNDLED_DOC, BUNDLED_TEXT } from './support/workspace.js';

const MOBY_DIR = path.join(ROOT_DIR, 'eval', 'corpora', 'moby-dick');
const parseMobyDick = (): LibraryDocument =>
  parseDocument(
    'moby-dick.txt',
    readFileSync(path.join(MOBY_DIR, 'moby-dick.txt')),
    parseSidecar('moby-dick.txt.meta.json', readFileSync(path.join(MOBY_DIR, 'moby-dick.txt.meta.json'), 'utf8')),
  );
const fixture = (file: string): LibraryDocument =>
  parseDocument(path.basename(file), readFileSync(path.join(ROOT_DIR, 'test', 'fixtures', file)));

const mobyDick = parseMobyDick();
const folded = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Everything the method promises about any week, checked on one. */
function expectValidStarters(doc: LibraryDocument, range: ChapterOrdinalRange, starters: Passage[]): void {
  const first = doc.chapters[range.from - 1]!.firstParagraph;
  const last = doc.chapters[range.to - 1]!.lastParagraph;
  expect(starters.length).toBeLessThanOrEqual(3);
  for (const p of starters) {
    expect(p.paragraph).toBeGreaterThanOrEqual(first);
    expect(p.paragraph).toBeLessThanOrEqual(last);
    expect(p.chapter).toBeGreaterThanOrEqual(range.from);
    expect(p.chapter).toBeLessThanOrEqual(range.to);
    // One of the document's passages, whole and verbatim: the very object, with its text untouched.
    expect(doc.passages.find((q) => q.id === p.id)).toBe(p);
    expect(folded(p.text).length).toBeGreaterThanOrEqual(60);
  }
  const paragraphs = starters.map((p) => p.paragraph);
  expect(new Set(paragraphs).size).toBe(paragraphs.length);
  expect(paragraphs).toEqual([...paragraphs].sort((a, b) => a - b));
}

describe('Moby-Dick', () => {
  it('chapters 1–5: three quotable passages, one from each third of the week, as the method picks them', () => {
    const range = { from: 1, to: 5 };
    const starters = discussionStarters(mobyDick, range);
    expect(starters).toHaveLength(3);
    expectValidStarters(mobyDick, range, starters);
    for (const p of starters) expect(folded(p.text).length).toBeGreaterThanOrEqual(150);
    for (const p of starters) expect(folded(p.text).length).toBeLessThanOrEqual(900);
    // The documented method's picks, pinned: a change to the method shows here.
    expect(starters.map((p) => formatCitation(mobyDick, p))).toEqual([
      'Herman Melville, Moby-Dick, ch. 2 "The Carpet-Bag", ¶5',
      'Herman Melville, Moby-Dick, ch. 3 "The Spouter-Inn", ¶53',
      'Herman Melville, Moby-Dick, ch. 4 "The Counterpane", ¶2',
    ]);
    expect(starters[0]!.text).toMatch(/^Such dreary streets! blocks of blackness/);
  });

  it('a one-chapter week: three passages of that chapter, from its beginning, middle and end', () => {
    const starters = discussionStarters(mobyDick, { from: 3, to: 3 });
    expect(starters).toHaveLength(3);
    expectValidStarters(mobyDick, { from: 3, to: 3 }, starters);
    const chapter = mobyDick.chapters[2]!;
    const size = chapter.lastParagraph - chapter.firstParagraph + 1;
    // Parts of equal words: the first pick is in the first half, the last in the second.
    expect(starters[0]!.paragraph - chapter.firstParagraph).toBeLessThan(size / 2);
    expect(starters[2]!.paragraph - chapter.firstParagraph).toBeGreaterThanOrEqual(size / 2);
  });

  it('a tiny chapter gives what it has: ch. 122 has two usable passages', () => {
    const starters = discussionStarters(mobyDick, { from: 122, to: 122 });
    expect(starters.map((p) => p.paragraphInChapter)).toEqual([1, 2]);
    expectValidStarters(mobyDick, { from: 122, to: 122 }, starters);
  });

  it('is deterministic: the same picks on a second call and on a freshly parsed copy (nothing cached)', () => {
    for (const range of [
      { from: 1, to: 5 },
      { from: 36, to: 45 },
      { from: 126, to: 135 },
    ]) {
      const ids = discussionStarters(mobyDick, range).map((p) => p.id);
      expect(discussionStarters(mobyDick, range).map((p) => p.id)).toEqual(ids);
      expect(discussionStarters(parseMobyDick(), range).map((p) => p.id)).toEqual(ids);
    }
  });

  it('never reads past the week: the picks are the same when the book ends at chapter `to`', () => {
    const to = 20;
    const last = mobyDick.chapters[to - 1]!.lastParagraph;
    const unfinished: LibraryDocument = {
      ...mobyDick,
      chapters: mobyDick.chapters.slice(0, to),
      passages: mobyDick.passages.filter((p) => p.paragraph <= last),
    };
    const range = { from: 16, to };
    expect(discussionStarters(unfinished, range).map((p) => p.id)).toEqual(
      discussionStarters(mobyDick, range).map((p) => p.id),
    );
  });

  it('any week of the book: three valid starters (property)', () => {
    const chapters = mobyDick.chapters.length;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: chapters }), fc.integer({ min: 0, max: 9 }), (from, length) => {
        const range = { from, to: Math.min(chapters, from + length) };
        const starters = discussionStarters(mobyDick, range);
        expectValidStarters(mobyDick, range, starters);
        if (length >= 2) expect(starters).toHaveLength(3);
      }),
      { numRuns: 60 },
    );
  });

  it('an empty or reversed range gives nothing; a range past the end stops at the last chapter', () => {
    expect(discussionStarters(mobyDick, { from: 5, to: 3 })).toEqual([]);
    expect(discussionStarters(mobyDick, { from: 500, to: 600 })).toEqual([]);
    const last = mobyDick.chapters.length;
    expect(discussionStarters(mobyDick, { from: last - 2, to: last + 10 })).toEqual(
      discussionStarters(mobyDick, { from: last - 2, to: last }),
    );
  });
});

describe('short books and other formats', () => {
  it('a chapter of one passage gives that passage; one of short lines only gives none', () => {
    const gullRock = fixture('books/gull-rock.md');
    expect(discussionStarters(gullRock, { from: 2, to: 2 }).map((p) => p.text)).toEqual([
      'When the storm came, the sailors rowed for the rock, and Quill stood at the rail with the rope until every one of them was ashore.',
    ]);
    // '"And who is Quill?" asked the boy.' (34 characters) and a 56-character line: too short to discuss.
    expect(discussionStarters(gullRock, { from: 3, to: 3 })).toEqual([]);
  });

  it('letters: never the addressee or date lines, only the prose', () => {
    const letters = fixture('books/northern-letters.txt');
    const starters = discussionStarters(letters, { from: 2, to: 5 });
    expect(starters).toHaveLength(3);
    expectValidStarters(letters, { from: 2, to: 5 }, starters);
    for (const p of starters) expect(p.text).not.toMatch(/^_To Mrs\.|17—\.$/);
  });

  it('an EPUB: a bibliography is not prose, and a story heading is never picked', () => {
    const book = fixture('formats/childrens-literature.epub');
    expect(discussionStarters(book, { from: 1, to: 1 })).toEqual([]);
    const starters = discussionStarters(book, { from: 1, to: 3 });
    expect(starters).toHaveLength(3);
    expectValidStarters(book, { from: 1, to: 3 }, starters);
    for (const p of starters) expect(folded(p.text).length).toBeGreaterThanOrEqual(150);
  });

  it('an article without chapters is one week: three passages of its body, never the ¶0 header', () => {
    const article = parseDocument(BUNDLED_TEXT, readFileSync(path.join(ROOT_DIR, 'texts', BUNDLED_TEXT)));
    expect(article.chapters).toEqual([]);
    const starters = discussionStarters(article, { from: 1, to: 1 });
    expect(starters).toHaveLength(3);
    const paragraphs = starters.map((p) => p.paragraph);
    expect(paragraphs.every((n) => n > 0)).toBe(true);
    expect(paragraphs).toEqual([...paragraphs].sort((a, b) => a - b));
    for (const p of starters) expect(article.passages.find((q) => q.id === p.id)).toBe(p);
  });
});

describe('Lectern.discussionStarters (the bundled index, the real engine)', () => {
  let lectern: Lectern;
  beforeAll(async () => {
    lectern = await Lectern.open({ config: {} });
  });
  afterAll(() => lectern?.close());

  it('gives the method’s picks for a text of the library, and a LecternError for an unknown one', () => {
    const doc = lectern.library.getDocument(BUNDLED_DOC)!;
    const starters = lectern.discussionStarters(BUNDLED_DOC, { from: 1, to: 1 });
    expect(starters).toHaveLength(3);
    expect(starters.map((p) => p.id)).toEqual(discussionStarters(doc, { from: 1, to: 1 }).map((p) => p.id));
    for (const p of starters) expect(lectern.library.getPassage(BUNDLED_DOC, p.paragraph)?.text).toBe(p.text);
    expect(() => lectern.discussionStarters('no-such-text', { from: 1, to: 1 })).toThrow(LecternError);
  });
});
