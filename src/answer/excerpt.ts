import type { Passage, Quote, Span } from '../types.js';

/** The mark of every cut: text left out before or after an excerpt. */
export const ELLIPSIS = '…';

/**
 * Text for display: white space (line breaks of hard-wrapped files, runs of
 * spaces) folded to single spaces. No other character changes: this is the
 * "verbatim up to white space" every quote check compares with.
 */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** True when `quote` is `source` verbatim up to white space (what tests and evaluations check). */
export function isVerbatim(quote: string, source: string): boolean {
  return foldWhitespace(source).includes(foldWhitespace(quote.replace(/^…\s*|\s*…$/g, '')));
}

/**
 * A quote as shown to readers: folded white space, with "…" where it starts
 * after its passage's start or ends before its passage's end.
 *
 * @example
 * displayQuote(passage, { start: 15, end: 26 }) // "… He is lost."
 */
export function displayQuote(passage: Passage, span: Span): string {
  const before = /\S/.test(passage.text.slice(0, span.start));
  const after = /\S/.test(passage.text.slice(span.end));
  return `${before ? `${ELLIPSIS} ` : ''}${foldWhitespace(passage.text.slice(span.start, span.end))}${after ? ` ${ELLIPSIS}` : ''}`;
}

/** The display parts of a quote: text before, inside and after its highlighted sentence, folded, cut marks included. */
export function displayQuoteParts(
  passage: Passage,
  quote: Quote,
): { before: string; highlight: string; after: string } {
  const lead = /\S/.test(passage.text.slice(0, quote.start)) ? `${ELLIPSIS} ` : '';
  const trail = /\S/.test(passage.text.slice(quote.end)) ? ` ${ELLIPSIS}` : '';
  const fold = (t: string) => t.replace(/\s+/g, ' ');
  const h = quote.highlight;
  const before = fold(quote.text.slice(0, h.start)).trimStart();
  const after = fold(quote.text.slice(h.end)).trimEnd();
  return { before: lead + before, highlight: fold(quote.text.slice(h.start, h.end)), after: after + trail };
}

/**
 * An excerpt of at most about `max` characters for lists and previews: whole
 * sentences from the passage's start (or from `around`, a sentence index),
 * folded, with "…" marking each cut. A single sentence longer than `max` is
 * cut at a word, also marked.
 *
 * @example
 * excerpt(passage, 200) // "Call me Ishmael. Some years ago … …"
 */
export function excerpt(passage: Passage, max: number, around = 0): string {
  const sentences = passage.sentences.length ? passage.sentences : [{ start: 0, end: passage.text.length }];
  const first = Math.max(0, Math.min(around, sentences.length - 1));
  let last = first;
  while (
    last + 1 < sentences.length &&
    foldWhitespace(passage.text.slice(sentences[first]!.start, sentences[last + 1]!.end)).length <= max
  )
    last++;
  const span = { start: sentences[first]!.start, end: sentences[last]!.end };
  const text = foldWhitespace(passage.text.slice(span.start, span.end));
  if (text.length <= max) return displayQuote(passage, span);
  // One sentence too long: cut at the last word boundary that fits.
  const room = text.slice(0, Math.max(1, max - 2));
  const word = room.search(/\s+\S*$/);
  const cut = (word > max / 3 ? room.slice(0, word) : room).trimEnd();
  return `${first > 0 || /\S/.test(passage.text.slice(0, span.start)) ? `${ELLIPSIS} ` : ''}${cut} ${ELLIPSIS}`;
}
