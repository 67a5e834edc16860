/**
 * Every format Lectern reads, on real files: the fixtures in test/fixtures
 * (made by hand, or by test/fixtures/scripts/make-epub-fixtures.ts), the EPUB 3
 * sample and Moby-Dick. No model is needed; parsing Moby-Dick takes ~0.3 s.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCitation, passageLocation, shortLocation } from '../src/answer/citation.js';
import { displayQuote, excerpt, foldWhitespace, isVerbatim } from '../src/answer/excerpt.js';
import { ROOT_DIR } from '../src/config.js';
import { Library, loadLibrary } from '../src/corpus/library.js';
import { titleFromFileName } from '../src/corpus/metadata.js';
import { CorpusError, SUPPORTED_FORMATS, parseDocument, parseSidecar } from '../src/corpus/parse.js';
import { splitSentences } from '../src/corpus/sentences.js';
import { classifyHeading } from '../src/corpus/structure.js';
import type { LibraryDocument } from '../src/types.js';

const FIXTURES = path.join(ROOT_DIR, 'test', 'fixtures');
const MOBY_DIR = path.join(ROOT_DIR, 'eval', 'corpora', 'moby-dick');
const fixture = (dir: string, file: string) => readFileSync(path.join(FIXTURES, dir, file));
const parseFixture = (file: string) => parseDocument(file, fixture('formats', file));
const body = (doc: LibraryDocument) => doc.passages.filter((p) => p.paragraph > 0);

/** Passages are verbatim up to white space: for HTML/EPUB, the element's text as a browser shows it. */
function expectWellFormed(doc: LibraryDocument): void {
  expect(body(doc).map((p) => p.paragraph)).toEqual(body(doc).map((_, i) => i + 1));
  for (const chapter of doc.chapters) {
    const inside = doc.passages.filter((p) => p.chapter === chapter.ordinal);
    expect(inside.map((p) => p.paragraph)).toEqual(
      Array.from({ length: chapter.lastParagraph - chapter.firstParagraph + 1 }, (_, i) => chapter.firstParagraph + i),
    );
    expect(inside.map((p) => p.paragraphInChapter)).toEqual(inside.map((_, i) => i + 1));
  }
}

describe('plain text: Project Gutenberg', () => {
  const doc = parseFixture('gutenberg-sample.txt');

  it('reads Title, Author and Release date as metadata; markers, licence and producer credits are not text', () => {
    expect(doc.format).toBe('gutenberg');
    expect(doc.meta).toMatchObject({ title: 'A Gutenberg Sample', author: 'Jane Example', dateLine: 'May 1, 2024' });
    const all = doc.passages.map((p) => p.text).join('\n');
    expect(all).not.toMatch(/START OF|END OF|Project Gutenberg|Produced by|General Terms/);
    expect(doc.passages[0]!.text).toBe(
      'Title: A Gutenberg Sample\nAuthor: Jane Example\nRelease date: May 1, 2024 [eBook #99999]',
    );
  });

  it('finds chapters, skips the contents list and title page, and keeps hard-wrapped lines one paragraph (CRLF read as LF)', () => {
    expect(doc.chapters.map((c) => [c.number, c.firstParagraph, c.lastParagraph])).toEqual([
      ['1', 1, 3],
      ['2', 4, 5],
    ]);
    expect(body(doc)[0]!.text).toBe(
      'It is a truth universally acknowledged, that a single man in possession\nof a good fortune, must be in want of a wife.',
    );
    expect(body(doc)[0]!.sentences).toHaveLength(1);
    expect(formatCitation(doc, body(doc)[4]!)).toBe('Jane Example, A Gutenberg Sample, ch. 2 ¶2');
    expectWellFormed(doc);
  });

  it('does not split "My dear Mr. Bennet" after "Mr."', () => {
    const p = body(doc)[4]!;
    expect(p.sentences.map((s) => p.text.slice(s.start, s.end))).toEqual([
      '“Exceed their income!',
      'My dear Mr. Bennet, you talk nonsense.”',
    ]);
  });
});

describe('plain text: Moby-Dick (no Gutenberg header, CRLF, a sidecar for metadata)', async () => {
  const library = await loadLibrary(MOBY_DIR);
  const doc = library.defaultDocument;

  it('finds 135 chapters and the Epilogue, with their titles', () => {
    expect(doc.chapters).toHaveLength(136);
    expect(doc.chapters.filter((c) => c.number).map((c) => Number(c.number))).toEqual(
      Array.from({ length: 135 }, (_, i) => i + 1),
    );
    expect(doc.chapters[0]).toMatchObject({ number: '1', title: 'Loomings', heading: 'CHAPTER 1. Loomings.' });
    expect(doc.chapters[55]!.title).toBe(
      'Of the Less Erroneous Pictures of Whales, and the True Pictures of Whaling Scenes',
    );
    expect(doc.chapters[135]).toMatchObject({ title: 'Epilogue' });
    expect(doc.chapters[135]!.number).toBeUndefined();
    expectWellFormed(doc);
  });

  it('cites ch. 1 ¶2 with the chapter title, and headings are not quotable paragraphs', () => {
    const p = library.resolveReference(doc.id, '1.2')!.passage;
    expect(p.text.startsWith('There now is your insular city of the Manhattoes')).toBe(true);
    expect(formatCitation(doc, p)).toBe('Herman Melville, Moby-Dick, ch. 1 "Loomings", ¶2');
    expect(shortLocation(doc, p)).toBe('ch. 1 ¶2');
    expect(body(doc).some((x) => /^CHAPTER \d+\./.test(x.text))).toBe(false);
    const epilogue = library.getPassage(doc.id, doc.chapters[135]!.firstParagraph)!;
    expect(passageLocation(doc, epilogue)).toBe('"Epilogue", ¶1');
  });

  it('without the sidecar, falls back to the file name as a title and "Unknown author"', () => {
    const bare = parseDocument('moby-dick.txt', readFileSync(path.join(MOBY_DIR, 'moby-dick.txt')));
    expect(bare.meta).toMatchObject({ title: 'Moby Dick', author: 'Unknown author' });
  });

  it('navigates: references, chapters, next/previous across chapter boundaries, counts', () => {
    expect(library.resolveReference(doc.id, 'chapter 1 paragraph 2')!.passage.paragraph).toBe(2);
    expect(library.resolveReference(doc.id, 'ch. 1 ¶2')!.passage.paragraph).toBe(2);
    expect(library.resolveReference(doc.id, 'loomings 2')!.passage.paragraph).toBe(2);
    expect(library.resolveReference(doc.id, '¶16')!.chapter!.title).toBe('The Carpet-Bag');
    expect(library.resolveReference(doc.id, '16')!.passage.paragraphInChapter).toBe(1);
    expect(library.resolveReference(doc.id, 'chapter 2')!.passage.paragraph).toBe(16);
    expect(library.resolveReference(doc.id, '1.999')).toBeUndefined();
    expect(library.resolveReference(doc.id, 'chapter 400')).toBeUndefined();
    expect(library.getChapter(doc.id, 'XLII')!.title).toBe('The Whiteness of the Whale');
    expect(library.getChapter(doc.id, 'the carpet')!.number).toBe('2');
    expect(library.getChapter(doc.id, 'epilogue')!.ordinal).toBe(136);
    const last = library.getPassage(doc.id, doc.chapters[0]!.lastParagraph)!;
    expect(library.nextPassage(last)!.chapter).toBe(2);
    expect(library.previousPassage(library.nextPassage(last)!)).toBe(last);
    expect(library.chapterCount(doc.id)).toBe(136);
    expect(library.wordCount(doc.id)).toBeGreaterThan(200_000);
    expect(library.parseChapterRange(doc.id, '30-35')).toMatchObject({ from: 30, to: 35 });
    expect(library.parseChapterRange(doc.id, '200')).toMatch(/No chapter "200"/);
    expect(library.searchChapters(doc.id, 'white whale').map((c) => c.number)).toContain('42');
  });
});

describe('Markdown', () => {
  const doc = parseFixture('book-with-headings.md');

  it('reads front matter, and # headings as sections that are never quoted', () => {
    expect(doc.format).toBe('markdown');
    expect(doc.meta).toMatchObject({ title: 'A Markdown Book', author: 'Mark Down' });
    expect(doc.chapters.map((c) => [c.number, c.title])).toEqual([
      ['1', 'Beginnings'],
      ['2', 'Endings'],
    ]);
    expect(body(doc).map((p) => p.text)).toEqual([
      'The first paragraph of the first chapter.\nIt is hard-wrapped.',
      'The second paragraph.',
      'The third paragraph, after a sub-heading.',
      'Only one paragraph here.',
    ]);
    expect(formatCitation(doc, body(doc)[3]!)).toBe('Mark Down, A Markdown Book, ch. 2 "Endings", ¶1');
    expectWellFormed(doc);
  });

  it('shows a front-matter date in the citation when a source is set too', () => {
    const md = parseDocument(
      'note.md',
      '---\ntitle: A Note\nauthor: N. Writer\nsource: The Weekly\ndate: 3 March 1921\n---\n\nOne paragraph.\n',
    );
    expect(formatCitation(md, 1)).toBe('N. Writer, "A Note", The Weekly, 3 March 1921, ¶1');
  });
});

describe('HTML', () => {
  it('reads a Marxists Internet Archive page: header block as metadata and ¶0, navigation and footer left out', () => {
    const doc = parseFixture('mia-article.html');
    expect(doc.format).toBe('html');
    expect(doc.meta).toMatchObject({
      author: 'Rosa Luxemburg',
      title: 'The Junius Pamphlet',
      subtitle: 'Chapter 1',
      dateLine: '1915',
      publication: 'The Junius Pamphlet',
      page: 'p.\u00a03',
    });
    expect(doc.passages[0]!.paragraph).toBe(0);
    expect(doc.passages[0]!.text).toContain('Source: From The Junius Pamphlet');
    expect(body(doc).map((p) => p.text)).toEqual([
      'The scene has changed fundamentally. The six weeks’ march to Paris has grown into a world drama. Mass slaughter has become the tiresome and monotonous business of the day.',
      'Gone is the first mad delirium & the patriotic street demonstrations. “Violated, dishonored, wading in blood, dripping filth – there stands bourgeois society.”',
    ]);
    expect(doc.chapters).toEqual([]);
    expect(formatCitation(doc, 2)).toBe(
      'Rosa Luxemburg, "The Junius Pamphlet", The Junius Pamphlet, Vol. 1, 1915, p.\u00a03, ¶2',
    );
  });

  it('reads a Project Gutenberg page: licence, contents and page numbers left out, chapters from headings', () => {
    const doc = parseFixture('gutenberg-book.html');
    expect(doc.meta).toMatchObject({ title: 'A Short Sample', author: 'Ann Example' });
    expect(doc.chapters.map((c) => [c.number, c.title])).toEqual([
      ['1', 'The Arrival'],
      ['2', 'The Letter'],
    ]);
    const texts = body(doc).map((p) => p.text);
    expect(texts[2]).toBe('The letter came from Dr. Grant of St. Albans, and nobody read it twice.');
    expect(texts.join(' ')).not.toMatch(/Project Gutenberg|CONTENTS|END OF|\[Pg/);
    expect(formatCitation(doc, body(doc)[1]!)).toBe('Ann Example, A Short Sample, ch. 1 "The Arrival", ¶2');
    expectWellFormed(doc);
  });
});

describe('EPUB', () => {
  it('reads EPUB 2: OPF metadata, spine order, chapter titles from the NCX; cover, endnotes, note references and page numbers left out', () => {
    const doc = parseFixture('lighthouse-epub2.epub');
    expect(doc.format).toBe('epub');
    expect(doc.meta).toMatchObject({ title: 'The Lighthouse Keeper', author: 'Ella Keeper', dateLine: '1899' });
    expect(doc.chapters.map((c) => [c.number, c.title, c.firstParagraph, c.lastParagraph])).toEqual([
      ['1', 'The Lamp', 1, 2],
      ['2', 'The Storm', 3, 4],
    ]);
    expect(body(doc).map((p) => p.text)).toEqual([
      'Mrs. Hale lit the lamp at dusk… and the sea went quiet.',
      '“Will it hold?” asked Dr. Morrow. “It always has,” said she.',
      'The storm came from the west.',
      'By morning the lamp was still burning.',
    ]);
    expect(formatCitation(doc, body(doc)[1]!)).toBe('Ella Keeper, The Lighthouse Keeper, ch. 1 "The Lamp", ¶2');
  });

  it('reads an EPUB 3 novel: title page and contents left out, footnotes left out, a part, chapters whose sections are not chapters', () => {
    const doc = parseFixture('orchard-epub3.epub');
    expect(doc.meta).toMatchObject({ title: 'The Orchard Year', author: 'Rowan Field', dateLine: '1911-04-01' });
    expect(doc.chapters.map((c) => [c.part, c.number, c.title, c.firstParagraph, c.lastParagraph])).toEqual([
      ['Part One: Spring', '1', 'Blossom', 1, 2],
      ['Part One: Spring', '2', 'Rain', 3, 3],
    ]);
    expect(body(doc).map((p) => p.text)).toEqual([
      'The trees came into flower in a single night.',
      'Old Mr. Abbot walked the rows before breakfast.',
      'Then it rained for a week.',
    ]);
    expect(formatCitation(doc, body(doc)[1]!)).toBe('Rowan Field, The Orchard Year, ch. 1 "Blossom", ¶2');
  });

  it('reads EPUB 3: dc:title, both creators, parts and chapters from the navigation document', () => {
    const doc = parseFixture('childrens-literature.epub');
    expect(doc.meta).toMatchObject({
      title: 'Children’s Literature'.replace('’', "'"),
      author: 'Charles Madison Curry and Erle Elsworth Clippinger',
      dateLine: '2008-05-20',
    });
    expect(doc.chapters.length).toBeGreaterThanOrEqual(15);
    expect(doc.chapters[2]).toMatchObject({
      number: '190',
      title: 'A FOUR-LEAVED CLOVER',
      part: 'SECTION IV FAIRY STORIES—MODERN FANTASTIC TALES',
    });
    const texts = body(doc).map((p) => p.text);
    // The navigation document (THE CONTENTS) and page-number markers are not text.
    expect(texts).not.toContain('THE CONTENTS');
    expect(texts.some((t) => /^\d+$/.test(t))).toBe(false);
    expect(doc.wordCount).toBeGreaterThan(40_000);
    expectWellFormed(doc);
  });
});

describe('files Lectern cannot read', () => {
  const cases: [string, RegExp][] = [
    ['report.pdf', /report\.pdf is a PDF/],
    ['letter.docx', /letter\.docx is a Word document/],
    ['cover.png', /cover\.png is an image/],
    ['photos.epub', /photos\.epub is a zip archive but not an EPUB/],
    ['no-package.epub', /no-package\.epub is an EPUB without a package/],
    ['renamed.epub', /renamed\.epub is not an EPUB/],
    ['no-paragraphs.html', /no-paragraphs\.html has no paragraphs/],
    ['empty.txt', /empty\.txt has no paragraphs/],
  ];
  for (const [file, message] of cases) {
    it(`${file}: one line naming the file${file === 'empty.txt' ? '' : ' and the supported formats'}`, () => {
      let error: unknown;
      try {
        parseDocument(file, fixture('broken', file));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CorpusError);
      const text = (error as Error).message;
      expect(text).toMatch(message);
      expect(text).not.toContain('\n');
      if (file !== 'empty.txt') expect(text).toContain(SUPPORTED_FORMATS);
    });
  }

  it('a library with bad files skips each with a warning and loads the rest; strict fails on the first', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-formats-'));
    try {
      await cp(path.join(FIXTURES, 'broken'), dir, { recursive: true });
      await writeFile(path.join(dir, 'latin1.txt'), Buffer.from('Caf\xe9 cr\xe8me.\n', 'latin1'));
      await cp(path.join(FIXTURES, 'formats', 'gutenberg-sample.txt'), path.join(dir, 'good.txt'));
      const warnings: string[] = [];
      const library = await loadLibrary(dir, { onSkip: (s) => warnings.push(s.reason) });
      expect(library.documents.map((d) => d.file)).toEqual(['good.txt']);
      expect(library.skipped.map((s) => s.file).sort()).toEqual([
        'cover.png',
        'empty.txt',
        'latin1.txt',
        'letter.docx',
        'no-package.epub',
        'no-paragraphs.html',
        'photos.epub',
        'renamed.epub',
        'report.pdf',
      ]);
      expect(warnings.find((w) => w.startsWith('latin1.txt'))).toMatch(/not valid UTF-8/);
      expect(warnings.find((w) => w.startsWith('empty.txt'))).toBe('empty.txt is empty.');
      await expect(loadLibrary(dir, { strict: true })).rejects.toThrow(CorpusError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('metadata', () => {
  it('turns a file name into a title', () => {
    expect(titleFromFileName('pride_and_prejudice.txt')).toBe('Pride and Prejudice');
    expect(titleFromFileName('the-war-of-the-worlds.epub')).toBe('The War of the Worlds');
    expect(titleFromFileName('Moby-Dick.html')).toBe('Moby-Dick');
  });

  it('never reads a heading or a sentence as the author (War and Peace opening)', () => {
    const text =
      'BOOK ONE: 1805\n\nCHAPTER I\n\n“Well, Prince, so Genoa and Lucca are now just family estates of the Buonapartes.”\n\nCHAPTER II\n\nAnna Pávlovna’s drawing room was gradually filling.\n';
    const doc = parseDocument('war_and_peace.txt', text);
    expect(doc.meta).toMatchObject({ author: 'Unknown author', title: 'War and Peace' });
    expect(doc.chapters.map((c) => [c.part, c.number])).toEqual([
      ['BOOK ONE: 1805', '1'],
      ['BOOK ONE: 1805', '2'],
    ]);
    expect(formatCitation(doc, 2)).toBe('Unknown author, War and Peace, ch. 2 ¶1');
  });

  it('names the part when chapter numbers restart in each book', () => {
    const text = 'BOOK ONE\n\nCHAPTER I\n\nSilence.\n\nBOOK TWO\n\nCHAPTER I\n\nHe went out into the night.\n';
    const doc = parseDocument('tolstoy.txt', text);
    expect(formatCitation(doc, 2)).toBe('Unknown author, Tolstoy, Book 2, ch. 1 ¶1');
  });

  it('reads a sidecar file, and refuses a bad one with a message naming it', () => {
    expect(parseSidecar('x.txt.meta.json', '{"author": "Jane Austen", "title": "Pride and Prejudice"}')).toEqual({
      author: 'Jane Austen',
      title: 'Pride and Prejudice',
    });
    expect(() => parseSidecar('x.txt.meta.json', '{oops')).toThrow(/x\.txt\.meta\.json is not valid JSON/);
  });

  it('classifies headings generally', () => {
    expect(classifyHeading('CHAPTER I.')).toEqual({ kind: 'chapter', number: '1', title: undefined });
    expect(classifyHeading('Chapter 12')).toMatchObject({ kind: 'chapter', number: '12' });
    expect(classifyHeading('Chapter the Third')).toMatchObject({ kind: 'chapter', number: '3' });
    expect(classifyHeading('BOOK ONE: 1805')).toMatchObject({ kind: 'part', number: '1', title: '1805' });
    expect(classifyHeading('PREFACE')).toMatchObject({ kind: 'chapter', title: 'PREFACE' });
    expect(classifyHeading('Epilogue')).toMatchObject({ kind: 'chapter', title: 'Epilogue' });
    expect(classifyHeading('Chapter 5 of the treaty says that the parties agree.')).toBeNull();
    expect(classifyHeading('It was a dark night.')).toBeNull();
  });
});

describe('sentences: hard cases for the chosen segmenter', () => {
  const split = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));
  it.each([
    [
      'Mr. and Mrs. Gardiner left for St. Albans. They returned in May.',
      ['Mr. and Mrs. Gardiner left for St. Albans.', 'They returned in May.'],
    ],
    [
      'It was signed by J. R. Collins of Hunsford. Nobody replied.',
      ['It was signed by J. R. Collins of Hunsford.', 'Nobody replied.'],
    ],
    ['Dr. Jones called at noon... He stayed an hour.', ['Dr. Jones called at noon...', 'He stayed an hour.']],
    [
      'He wrote to Mrs. Phillips... but the letter never came.',
      ['He wrote to Mrs. Phillips... but the letter never came.'],
    ],
    [
      '“Is he married?” asked Kitty. “Oh! single, my dear!”',
      ['“Is he married?” asked Kitty.', '“Oh! single, my dear!”'],
    ],
    ['“No.” She left the room.', ['“No.”', 'She left the room.']],
    ['It was No. 4 on the list. Then came another.', ['It was No. 4 on the list.', 'Then came another.']],
    [
      '"What him say?" said Queequeg. I did not answer, said I. Then I left.',
      ['"What him say?" said Queequeg.', 'I did not answer, said I.', 'Then I left.'],
    ],
    [
      'Some years ago-never mind how long precisely-having\nlittle money, I went to sea. It is a way I have.',
      ['Some years ago-never mind how long precisely-having\nlittle money, I went to sea.', 'It is a way I have.'],
    ],
    [
      'Already last September I wrote:\n\n“The whole generation is condemned.”',
      ['Already last September I wrote:', '“The whole generation is condemned.”'],
    ],
  ])('%s', (text, expected) => {
    expect(split(text)).toEqual(expected);
  });
});

describe('display excerpts', () => {
  const doc = parseFixture('gutenberg-sample.txt');
  const p = body(doc)[1]!; // “My dear Mr. Bennet,” … hard-wrapped

  it('folds line breaks, and marks every cut with …', () => {
    expect(displayQuote(p, { start: 0, end: p.text.length })).toBe(foldWhitespace(p.text));
    expect(displayQuote(p, { start: 0, end: 20 })).toBe('“My dear Mr. Bennet, …');
    expect(displayQuote(p, { start: 21, end: p.text.length }).startsWith('… said his lady')).toBe(true);
    expect(isVerbatim(displayQuote(p, { start: 21, end: 60 }), p.text)).toBe(true);
  });

  it('cuts long passages at sentence boundaries', () => {
    const long = parseDocument(
      'long.txt',
      'First sentence here. Second sentence is here. Third sentence is a little longer than the others.\n',
    );
    expect(excerpt(body(long)[0]!, 50)).toBe('First sentence here. Second sentence is here. …');
    expect(excerpt(body(long)[0]!, 500)).toBe(
      'First sentence here. Second sentence is here. Third sentence is a little longer than the others.',
    );
    expect(excerpt(body(long)[0]!, 12)).toBe('First …');
  });
});

describe('a library of several formats', async () => {
  it('loads every format from one directory, with a sidecar', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-mixed-'));
    try {
      for (const f of ['gutenberg-sample.txt', 'book-with-headings.md', 'mia-article.html', 'lighthouse-epub2.epub'])
        await cp(path.join(FIXTURES, 'formats', f), path.join(dir, f));
      await writeFile(path.join(dir, 'gutenberg-sample.txt.meta.json'), JSON.stringify({ author: 'J. E.' }));
      const library = await loadLibrary(dir);
      expect(library.documents.map((d) => d.format).sort()).toEqual(['epub', 'gutenberg', 'html', 'markdown']);
      expect(library.getDocument('gutenberg-sample')!.meta.author).toBe('J. E.');
      expect(library).toBeInstanceOf(Library);
      expect((await readFile(path.join(dir, 'gutenberg-sample.txt.meta.json'), 'utf8')).length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile markup and archives never crash the readers', () => {
  const parseOrCorpusError = (file: string, input: string | Uint8Array) => {
    try {
      return parseDocument(file, input);
    } catch (error) {
      expect(error).toBeInstanceOf(CorpusError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).not.toContain('\n');
      return null;
    }
  };
  const pieces = [
    '<p>',
    '</p>',
    '<div>',
    '</div>',
    '<h2>',
    '</h2>',
    'Chapter 1',
    '<br>',
    '<nav>',
    '<script>',
    '&amp;',
    '&nbsp;',
    '&#x',
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    'text. ',
    'Mr. X',
    '<p class="information">',
    'Source: Paper, 1937',
    '<a href="#">',
    '\n',
    ' ',
  ];

  it('HTML: any markup parses into passages or gives one CorpusError line (300 runs, seed 8)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...pieces), maxLength: 80 }), (html) => {
        const doc = parseOrCorpusError('page.html', Buffer.from(html));
        if (doc) for (const p of body(doc)) expect(p.text).toBe(p.text.trim());
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it('EPUB: truncated or corrupted archives give one CorpusError line (200 runs, seed 8)', () => {
    const epub = fixture('formats', 'lighthouse-epub2.epub');
    fc.assert(
      fc.property(
        fc.nat({ max: epub.length }),
        fc.nat({ max: epub.length - 1 }),
        fc.nat({ max: 255 }),
        (cut, at, byte) => {
          const damaged = Uint8Array.from(epub);
          damaged[at] = byte;
          parseOrCorpusError('book.epub', damaged.subarray(0, Math.max(cut, 4)));
        },
      ),
      { numRuns: 200, seed: 8 },
    );
  });
});
