import path from 'node:path';
import type { DocumentMetadata } from '../types.js';

/** Words kept in lower case inside a title made from a file name. */
const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'but',
  'by',
  'for',
  'from',
  'in',
  'into',
  'nor',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);

/**
 * A file name read as a title: "pride_and_prejudice.txt" → "Pride and Prejudice".
 * Names that already hold capitals keep them ("Moby-Dick.epub" → "Moby-Dick").
 */
export function titleFromFileName(file: string): string {
  const base = path
    .basename(file, path.extname(file))
    .replace(/[_]+|\s+/g, ' ')
    .trim();
  if (!base) return 'Untitled';
  if (/\p{Lu}/u.test(base)) return base;
  const words = base.replace(/-+/g, ' ').split(' ').filter(Boolean);
  return words.map((w, i) => (i > 0 && SMALL_WORDS.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

/**
 * A catalogue-style name ("Melville, Herman, 1819-1891") as a reader writes
 * it ("Herman Melville"); other names unchanged.
 */
export function displayName(name: string): string {
  const n = name.replace(/\s+/g, ' ').trim();
  const m = /^([^,]+),\s*([^,\d]+?)(?:,\s*(?:\d|\?|ca\.|active|fl\.).*)?$/.exec(n);
  return m ? `${m[2]!.trim()} ${m[1]!.trim()}` : n;
}

/**
 * True when `text` can be a person's name rather than a sentence read by
 * mistake: short, few words, no sentence punctuation.
 */
export function plausibleName(text: string): boolean {
  const t = text.trim();
  return (
    t.length > 0 &&
    t.length <= 80 &&
    t.split(/\s+/).length <= 8 &&
    !/[.!?;:]$|[;!?]/.test(t.replace(/\b\p{Lu}\./gu, ''))
  );
}

/** "By Jane Austen", "BY MARK TWAIN": the byline under a title. */
const BYLINE = /^by\s+(\S.*)$/i;

/** Lines of the opening blocks searched for a title and its byline (a title page rarely runs longer). */
const MAX_TITLE_PAGE_LINES = 4;

/**
 * A title page without a catalogue header: title lines, then a byline as the last line of its block
 * ("PRIDE AND PREJUDICE" / "By Jane Austen", in one block or two). `blocks` holds the lines of each
 * opening block. Returns how many blocks it spans, the title and the author (capitals read as a
 * reader writes them: "Pride and Prejudice", "Jane Austen"), or undefined when the text opens otherwise.
 */
export function titlePageByline(
  blocks: readonly (readonly string[])[],
): { count: number; title: string; author: string } | undefined {
  const title: string[] = [];
  for (const [i, blockLines] of blocks.entries()) {
    for (const [j, raw] of blockLines.entries()) {
      const line = raw.trim();
      const by = BYLINE.exec(line);
      if (by && title.length && j === blockLines.length - 1 && /^\p{Lu}/u.test(by[1]!) && plausibleName(by[1]!))
        return { count: i + 1, title: fromCapitals(title.join(' ')), author: fromCapitals(by[1]!) };
      // A sentence, or more lines than a title has: not a title page.
      if (!line || line.length > 120 || /[.!?;,]$/.test(line) || title.length >= MAX_TITLE_PAGE_LINES) return undefined;
      title.push(line);
    }
  }
  return undefined;
}

/** A line in capitals ("PRIDE AND PREJUDICE") in title case; any other line unchanged. */
function fromCapitals(text: string): string {
  if (/\p{Ll}/u.test(text) || !/\p{Lu}.*\p{Lu}/u.test(text)) return text;
  return text
    .toLowerCase()
    .split(' ')
    .map((w, i) => (i > 0 && SMALL_WORDS.has(w) ? w : w.replace(/\p{L}/u, (c) => c.toUpperCase())))
    .join(' ');
}

/** Keeps only the defined fields. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/** Fields a reader may give in front matter or a sidecar file. */
export const META_FIELDS = [
  'author',
  'title',
  'subtitle',
  'dateLine',
  'source',
  'publication',
  'issue',
  'date',
  'page',
  'transcription',
] as const;

export type MetaOverrides = Partial<Pick<DocumentMetadata, (typeof META_FIELDS)[number]>>;
