import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLibrary } from '../src/corpus/library.js';
import { CorpusError, decodeText, parseDocument, parseSourceLine } from '../src/corpus/parse.js';
import { splitSentences } from '../src/corpus/sentences.js';
import { ROOT_DIR } from '../src/config.js';
import { BUNDLED_TEXT } from './support/workspace.js';

const bytes = readFileSync(path.join(ROOT_DIR, 'texts', BUNDLED_TEXT));
const raw = bytes.toString('utf8');
const doc = parseDocument(BUNDLED_TEXT, bytes);
const body = doc.passages.filter((p) => p.paragraph > 0);

describe('parsing the bundled article', () => {
  it('reads the header into metadata', () => {
    expect(doc.meta).toMatchObject({
      author: 'Victor Serge',
      title: 'The End of Henry Yagoda',
      subtitle: 'Stalin Imprisons the Head of the G.P.U. Because He Knew the Inside Story',
      dateLine: 'August 1938',
      publication: 'Socialist Appeal',
      issue: 'Vol. 1 No. 3',
      date: '28 August 1937',
      page: 'p.\u00a09',
      lastUpdated: '27 July 2018',
    });
    expect(doc.meta.transcription).toBe(
      'Transcribed & marked up by Einde O’Callaghan for the Marxists’ Internet Archive.',
    );
    expect(doc.meta.source).toBe('From Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p.\u00a09.');
  });

  it('numbers ten body paragraphs in reading order, header and trailer kept out', () => {
    expect(body).toHaveLength(10);
    expect(body.map((p) => p.paragraph)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(body[0]!.text.startsWith('The vast police coup d’etat begun by Stalin')).toBe(true);
    expect(body[3]!.text).toBe(
      'He watched over Stalin, whom he was seen to follow step by step on ceremonial occasions.',
    );
    for (const p of body) {
      expect(p.text).not.toContain('Last updated');
      expect(p.text).not.toContain('Transcribed');
    }
  });

  it('keeps the header as a searchable ¶0 passage', () => {
    const header = doc.passages[0]!;
    expect(header.paragraph).toBe(0);
    expect(header.text.startsWith('Victor Serge')).toBe(true);
    expect(header.text).toContain('From Socialist Appeal');
  });

  it('joins the lead-in ending with a colon to the quotation after it', () => {
    const last = body[9]!;
    expect(
      last.text.startsWith('Already last September I wrote:\n\n“The whole generation of October is condemned.'),
    ).toBe(true);
    expect(last.text.endsWith('incompatible with that of the regime.”')).toBe(true);
  });

  it('keeps every passage verbatim: a slice of the file with curly quotes, dashes and non-breaking spaces', () => {
    for (const p of doc.passages) expect(raw).toContain(p.text);
    expect(body[4]!.text).toContain('“genial Leader.”');
    expect(body[2]!.text).toContain('in the world – a position');
    expect(doc.passages[0]!.text).toContain('p.\u00a09.');
  });

  it('splits sentences without breaking at abbreviations or mid-sentence exclamations', () => {
    const p5 = body[4]!;
    const sentences = p5.sentences.map((s) => p5.text.slice(s.start, s.end));
    expect(sentences).toContain(
      'In this capacity he presided over the secret examinations (what horrible concoctions!) for the Zinoviev trial and over the execution of the sentences against the Sixteen.',
    );
    expect(sentences[0]).toContain('commander of the special troops of the G.P.U., he was in truth');
  });

  it('covers each paragraph with its sentences', () => {
    for (const p of body) {
      const covered = p.sentences.map((s) => p.text.slice(s.start, s.end)).join(' ');
      expect(covered.replace(/\s+/g, ' ')).toBe(p.text.replace(/\s+/g, ' '));
    }
  });
});

describe('other inputs', () => {
  it('rejects a file that is not UTF-8, naming it', () => {
    expect(() => decodeText(Uint8Array.from([0x66, 0xff, 0xfe, 0x20]), 'latin1.txt')).toThrow(
      /latin1\.txt is not valid UTF-8/,
    );
  });

  it('reads Markdown with front matter', () => {
    const md =
      '---\nauthor: Rosa Luxemburg\ntitle: The Junius Pamphlet\nsource: From Die Internationale, 1916, p. 3.\n---\n\n# The Junius Pamphlet\n\nThe scene has changed fundamentally.\n\nViolated, dishonoured, wading in blood.\n';
    const parsed = parseDocument('junius.md', md);
    expect(parsed.meta).toMatchObject({
      author: 'Rosa Luxemburg',
      title: 'The Junius Pamphlet',
      publication: 'Die Internationale',
      page: 'p. 3',
    });
    expect(parsed.passages.filter((p) => p.paragraph > 0).map((p) => p.text)).toEqual([
      'The scene has changed fundamentally.',
      'Violated, dishonoured, wading in blood.',
    ]);
  });

  it('reads a plain text without a header, titled after its file', () => {
    const parsed = parseDocument('notes.txt', 'First paragraph here. It has two sentences.\r\n\r\nSecond one.\r\n');
    expect(parsed.meta.title).toBe('Notes');
    expect(parsed.passages.map((p) => p.text)).toEqual(['First paragraph here. It has two sentences.', 'Second one.']);
    expect(parsed.passages[0]!.sentences).toHaveLength(2);
  });

  it('refuses a file with no paragraphs', () => {
    expect(() => parseDocument('empty.txt', '   \n\n')).toThrow(CorpusError);
  });

  it('parses source lines', () => {
    expect(parseSourceLine('From The Militant, Vol. 9 No. 2, 13 January 1945, p. 4.')).toEqual({
      publication: 'The Militant',
      issue: 'Vol. 9 No. 2',
      date: '13 January 1945',
      page: 'p. 4',
    });
  });

  it('splits sentences of plain text', () => {
    const text = 'He is accused. Everything can be blamed on him. He is lost.';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual([
      'He is accused.',
      'Everything can be blamed on him.',
      'He is lost.',
    ]);
  });

  it('loads the bundled library', async () => {
    const library = await loadLibrary(path.join(ROOT_DIR, 'texts'));
    expect(library.documents).toHaveLength(1);
    expect(library.paragraphCount(library.defaultDocument.id)).toBe(10);
    expect(library.getPassage(library.defaultDocument.id, 4)?.text).toBe(body[3]!.text);
    expect(library.searchTitles('yagoda').map((d) => d.id)).toEqual([library.defaultDocument.id]);
    expect(library.searchTitles('trotsky')).toEqual([]);
  });
});

describe('a plain-text title page with a byline (issue 17)', () => {
  const opening = 'It is a truth universally acknowledged, that a single man in possession of a good fortune.';
  const book = (titlePage: string) =>
    parseDocument(
      'pride.txt',
      `${titlePage}\n\n\n\nChapter 1\n\n${opening}\n\nChapter 2\n\nMr. Bennet was among the earliest.\n`,
    );

  it('reads "By Jane Austen" under the title as the author, in one block or two', () => {
    for (const titlePage of ['PRIDE AND PREJUDICE\n\nBy Jane Austen', 'PRIDE AND PREJUDICE\nBY JANE AUSTEN']) {
      const doc = book(titlePage);
      expect(doc.meta).toMatchObject({ title: 'Pride and Prejudice', author: 'Jane Austen' });
      // The title page is the header (¶0, verbatim), not the first paragraph of the book.
      expect(doc.passages[0]).toMatchObject({ paragraph: 0, text: titlePage });
      expect(doc.passages.find((p) => p.paragraph === 1)?.text).toBe(opening);
    }
  });

  it('takes no sentence for a byline', () => {
    const doc = book('PRIDE AND PREJUDICE\n\nBy the time she came, it was dark.');
    expect(doc.meta.author).toBe('Unknown author');
  });
});
