/**
 * How chapters are named and found again (issue 17): a book with a preface and Letters 1–4 before
 * Chapter 1 (test/fixtures/books/northern-letters.txt, Frankenstein's shape) and one whose CHAPTER
 * numbers restart in each VOLUME (two-winters.txt). Every citation must open the passage it cites.
 * Parsing only: the chat, the CLI and Discord are driven in chat.test.ts, chapters.test.ts and
 * discord/chapters.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chapterLabel, formatCitation, passageLocation, shortLocation } from '../src/answer/citation.js';
import { ROOT_DIR } from '../src/config.js';
import { Library } from '../src/corpus/library.js';
import { parseDocument, parseSidecar } from '../src/corpus/parse.js';
import { chapterReference } from '../src/corpus/reference.js';
import type { LibraryDocument } from '../src/types.js';

const book = (file: string): LibraryDocument =>
  parseDocument(file, readFileSync(path.join(ROOT_DIR, 'test', 'fixtures', 'books', file)));
const letters = book('northern-letters.txt');
const volumes = book('two-winters.txt');
const mobyDick = parseDocument(
  'moby-dick.txt',
  readFileSync(path.join(ROOT_DIR, 'eval/corpora/moby-dick/moby-dick.txt')),
  parseSidecar(
    'moby-dick.txt.meta.json',
    readFileSync(path.join(ROOT_DIR, 'eval/corpora/moby-dick/moby-dick.txt.meta.json'), 'utf8'),
  ),
);
// Front matter and parts that restart numbering, as in War and Peace: "FIRST EPILOGUE" encloses its chapters.
const epilogues = parseDocument(
  'war-and-peace.txt',
  'BOOK ONE: 1805\n\nCHAPTER I\n\nWell, Prince.\n\nCHAPTER II\n\nThe drawing room filled.\n\nFIRST EPILOGUE: 1813 - 20\n\nCHAPTER I\n\nSeven years passed.\n\nCHAPTER II\n\nNatásha married in 1813.\n',
);
const library = new Library([letters, volumes, mobyDick, epilogues]);

const passageWith = (doc: LibraryDocument, words: string) => doc.passages.find((p) => p.text.includes(words))!;
const textOf = (doc: LibraryDocument, reference: string) =>
  library.resolveReference(doc.id, reference)?.passage.text.replace(/\s+/g, ' ');

describe('letters before chapter 1', () => {
  const elinor = passageWith(letters, 'Elinor Marsh is the orphan');

  it('names letters and chapters as the book does', () => {
    expect(letters.chapters.map((c) => chapterLabel(letters, c))).toEqual([
      'Preface',
      'Letter 1',
      'Letter 2',
      'Letter 3',
      'Letter 4',
      'ch. 1',
      'ch. 2',
      'ch. 3',
    ]);
    expect(letters.chapters.map((c) => c.kind)).toEqual([
      'preface',
      'letter',
      'letter',
      'letter',
      'letter',
      'chapter',
      'chapter',
      'chapter',
    ]);
    expect(formatCitation(letters, elinor)).toBe('Margaret Example, The Northern Letters, ch. 1 ¶4');
    expect(shortLocation(letters, passageWith(letters, 'I am already far north'))).toBe('Letter 1 ¶4');
  });

  it('opens what the citation says: a bare number is a chapter, never a letter', () => {
    for (const ref of ['1.4', 'ch. 1 ¶4', 'Chapter 1 paragraph 4', 'chapter 1:4', 'ch. I ¶4'])
      expect(textOf(letters, ref), ref).toContain('Elinor Marsh is the orphan');
    for (const ref of ['Letter 1 ¶4', 'letter 1.4', 'LETTER I ¶4'])
      expect(textOf(letters, ref), ref).toContain('I am already far north');
    expect(library.getChapter(letters.id, '1')?.heading).toBe('Chapter 1');
    expect(library.getChapter(letters.id, 'Chapter 1')?.heading).toBe('Chapter 1');
    expect(library.getChapter(letters.id, 'ch. 4')).toBeUndefined();
    expect(library.getChapter(letters.id, 'Letter 4')?.heading).toBe('Letter 4');
    expect(library.getChapter(letters.id, 'letter')).toBeUndefined();
    expect(library.getChapter(letters.id, 'preface')?.kind).toBe('preface');
    expect(textOf(letters, '"Preface", ¶2')).toContain('I have changed nothing');
    expect(textOf(letters, 'Letter 1')).toContain('To Mrs. Harriet Vane');
  });

  it('restricts a search to chapters or letters, and ranges of them', () => {
    const ordinals = (value: string) => library.parseChapterRange(letters.id, value);
    expect(ordinals('1')).toMatchObject({ from: 6, to: 6 });
    expect(ordinals('1-3')).toMatchObject({ from: 6, to: 8 });
    expect(ordinals('Letter 1-4')).toMatchObject({ from: 2, to: 5 });
    expect(ordinals('letter 2 to chapter 1')).toMatchObject({ from: 3, to: 6 });
    expect(ordinals('4')).toBe('No chapter "4" in The Northern Letters (it has 8 chapters).');
  });
});

describe('volumes that restart chapter numbers', () => {
  it('names the volume in every citation', () => {
    expect(volumes.chapters.map((c) => chapterLabel(volumes, c))).toEqual([
      'Vol. 1, ch. 1',
      'Vol. 1, ch. 2',
      'Vol. 1, ch. 3',
      'Vol. 2, ch. 1',
      'Vol. 2, ch. 2',
      'Vol. 2, ch. 3',
    ]);
    expect(formatCitation(volumes, passageWith(volumes, 'The captain married'))).toBe(
      'Jane Example, The Two Winters, Vol. 2, ch. 3 ¶3',
    );
  });

  it('opens Vol. 2, ch. 3 ¶3 however it is written', () => {
    for (const ref of [
      'Vol. 2, ch. 3 ¶3',
      'vol 2 ch 3.3',
      '2.3.3',
      'Volume II, Chapter III, ¶3',
      'book 2 chapter 3 paragraph 3',
    ])
      expect(textOf(volumes, ref), ref).toContain('The captain married');
    expect(textOf(volumes, '1.3.1')).toContain('In March the river rose');
    expect(library.getChapter(volumes.id, 'Vol. 2')?.ordinal).toBe(4);
    expect(library.parseChapterRange(volumes.id, 'Vol. 2, ch. 1-3')).toMatchObject({ from: 4, to: 6 });
    expect(library.parseChapterRange(volumes.id, 'Vol. 1, ch. 3 - Vol. 2, ch. 1')).toMatchObject({ from: 3, to: 4 });
  });

  it('encloses chapters in a named part when their numbering restarts after it (War and Peace epilogues)', () => {
    expect(epilogues.chapters.map((c) => chapterLabel(epilogues, c))).toEqual([
      'Book 1, ch. 1',
      'Book 1, ch. 2',
      'FIRST EPILOGUE: 1813 - 20, ch. 1',
      'FIRST EPILOGUE: 1813 - 20, ch. 2',
    ]);
    expect(textOf(epilogues, 'FIRST EPILOGUE: 1813 - 20, ch. 2 ¶1')).toBe('Natásha married in 1813.');
  });
});

describe('every citation opens the passage it cites', () => {
  it.each([letters, volumes, epilogues, mobyDick].map((d) => [d.meta.title, d] as const))('%s', (_, doc) => {
    for (const passage of doc.passages) {
      for (const form of ['long', 'short'] as const) {
        const where = passageLocation(doc, passage, form);
        expect(library.resolveReference(doc.id, where)?.passage.id, where).toBe(passage.id);
      }
    }
    for (const chapter of doc.chapters) {
      for (const name of [chapterLabel(doc, chapter), chapterReference(doc, chapter)]) {
        expect(library.getChapter(doc.id, name)?.ordinal, name).toBe(chapter.ordinal);
        expect(library.parseChapterRange(doc.id, name), name).toMatchObject({
          from: chapter.ordinal,
          to: chapter.ordinal,
        });
      }
    }
  });

  it('keeps Moby-Dick as it was: "CHAPTER 1. Loomings." is ch. 1, the Epilogue by name', () => {
    expect(formatCitation(mobyDick, passageWith(mobyDick, 'Call me Ishmael'))).toBe(
      'Herman Melville, Moby-Dick, ch. 1 "Loomings", ¶1',
    );
    expect(chapterReference(mobyDick, mobyDick.chapters.at(-1)!)).toBe('Epilogue');
    expect(textOf(mobyDick, '1.1')).toMatch(/^Call me Ishmael/);
    expect(library.parseChapterRange(mobyDick.id, '133-135')).toMatchObject({ from: 133, to: 135 });
    expect(library.getChapter(mobyDick.id, 'The Chase-First Day')?.number).toBe('133');
  });
});
