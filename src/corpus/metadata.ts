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
