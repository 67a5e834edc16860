/**
 * Showing part of a passage: the one excerpt cutter every view uses (the
 * terminal, JSON and Discord), and the plain-text layouts of the terminal.
 *
 * - Sentences come from the corpus (`Passage.sentences`, src/corpus/sentences.ts):
 *   nothing here splits text into sentences again.
 * - Whole sentences are kept; only a single sentence too long for the room is
 *   cut, at a word; only a single word too long is cut inside.
 * - The text stays verbatim up to white space; every cut is marked "…" by the
 *   layout (`Cut.cutBefore`, `Cut.cutAfter`).
 */
import { trimSpan } from '../corpus/sentences.js';
import type { Passage, Quote, Span } from '../types.js';

/** The mark of every cut: text left out before or after an excerpt. */
export const ELLIPSIS = '…';

/**
 * The white space display folds: line breaks of hard-wrapped files, tabs, runs
 * of spaces. Not the no-break spaces (U+00A0, U+2007, U+202F): an author's
 * "p.\u00a09" is part of the text, and stays.
 */
const FOLDABLE = /[^\S\u00a0\u2007\u202f]+/g;

/** Runs of white space folded to one space, ends kept (offsets of pieces laid side by side stay valid). */
export function foldRuns(text: string): string {
  return text.replace(FOLDABLE, ' ');
}

/**
 * Text for display: white space (line breaks of hard-wrapped files, runs of
 * spaces) folded to single spaces, and trimmed. No other character changes,
 * no-break spaces included: this is the "verbatim up to white space" every
 * quote check compares with.
 */
export function foldWhitespace(text: string): string {
  return foldRuns(text).trim();
}

/** True when `quote` is `source` verbatim up to white space (what tests and evaluations check). */
export function isVerbatim(quote: string, source: string): boolean {
  return foldWhitespace(source).includes(foldWhitespace(quote.replace(/^…\s*|\s*…$/g, '')));
}

/** A part of a text to show: `[start, end)`, and whether text is left out before and after it. */
export interface Cut extends Span {
  /** Text (not only white space) precedes `start`: the layout leads with "…". */
  cutBefore: boolean;
  /** Text follows `end`: the layout ends with "…". */
  cutAfter: boolean;
}

export interface CutOptions {
  /** The most that may be shown (a quote's span inside its passage). Default: the whole text. */
  within?: Span;
  /** What to keep when cutting (the highlighted sentence): the excerpt grows from its first sentence. */
  focus?: Span;
}

/** Whether `text` has anything but white space before `start` / after `end`. */
function cutAt(text: string, start: number, end: number): Cut {
  return { start, end, cutBefore: /\S/.test(text.slice(0, start)), cutAfter: /\S/.test(text.slice(end)) };
}

/**
 * The one excerpt cutter: the largest part of `text` (inside `options.within`)
 * that `fits`, as the caller lays it out ("…" marks and escapes included).
 *
 * Everything fits: all of it. Otherwise whole sentences (`sentences`, the
 * corpus's spans, clipped to `within`; two with no white space between them
 * count as one) around the focus, growing first forwards
 * (reading order), then backwards; a sentence alone too long is cut at its last
 * word that fits (see {@link cutWords}). `undefined` when not even one
 * character fits.
 *
 * @example
 * const plain = (c: Cut) => plainExcerpt(passage.text, c).length <= 200;
 * cutExcerpt(passage.text, passage.sentences, plain) // whole sentences from the start, at most 200 characters shown
 */
export function cutExcerpt(
  text: string,
  sentences: readonly Span[],
  fits: (cut: Cut) => boolean,
  options: CutOptions = {},
): Cut | undefined {
  const bounds = trimSpan(text, options.within ?? { start: 0, end: text.length });
  const whole = cutAt(text, bounds.start, bounds.end);
  if (fits(whole)) return whole;
  const inside = sentences
    .filter((s) => s.end > bounds.start && s.start < bounds.end)
    .map((s) => trimSpan(text, { start: Math.max(s.start, bounds.start), end: Math.min(s.end, bounds.end) }))
    .filter((s) => s.end > s.start);
  // Text without sentence spans is one sentence; sentences with no white space between them ("!A!<b") are one,
  // so that a cut always falls at white space, never inside a word.
  const units: Span[] = [];
  for (const s of inside.length ? inside : [bounds]) {
    const previous = units[units.length - 1];
    if (previous && !/\s/.test(text.slice(previous.end, s.start))) previous.end = s.end;
    else units.push({ ...s });
  }
  const focus = options.focus && options.focus.end > options.focus.start ? options.focus : undefined;
  let first = focus ? units.findIndex((s) => s.end > focus.start) : 0;
  if (first < 0) first = 0;
  let last = first;
  const window = (a: number, b: number): Cut => cutAt(text, units[a]!.start, units[b]!.end);
  if (!fits(window(first, last))) return cutWords(text, units[first]!, fits);
  for (let grew = true; grew;) {
    grew = false;
    if (last + 1 < units.length && fits(window(first, last + 1))) {
      last += 1;
      grew = true;
    } else if (first > 0 && fits(window(first - 1, last))) {
      first -= 1;
      grew = true;
    }
  }
  return window(first, last);
}

/**
 * The longest prefix of `span` ending at a word's end that `fits`; failing
 * that (one word longer than the room, e.g. a URL), the longest prefix of
 * whole characters that fits; `undefined` when none does.
 */
export function cutWords(text: string, span: Span, fits: (cut: Cut) => boolean): Cut | undefined {
  const at = (end: number): Cut => ({ ...cutAt(text, span.start, end), cutAfter: true });
  const ends: number[] = [];
  const word = /\S+/g;
  const slice = text.slice(span.start, span.end);
  for (let m = word.exec(slice); m; m = word.exec(slice)) ends.push(span.start + m.index + m[0].length);
  const best = lastFitting(ends, (end) => fits(at(end)));
  if (best !== undefined) return cutAt(text, span.start, best);
  // Whole characters (never half of a surrogate pair), longest first.
  const chars: number[] = [];
  for (let i = span.start; i < span.end;) {
    i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    chars.push(i);
  }
  const end = lastFitting(chars, (e) => fits(at(e)));
  return end === undefined ? undefined : at(end);
}

/** The last of increasing `ends` for which `fits` holds (it holds for a prefix of them), by binary search. */
function lastFitting(ends: readonly number[], fits: (end: number) => boolean): number | undefined {
  let lo = 0;
  let hi = ends.length - 1;
  let best: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fits(ends[mid]!)) {
      best = ends[mid]!;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** A cut of `text` as plain text: folded white space, "…" marking each cut. */
export function plainExcerpt(text: string, cut: Cut): string {
  return `${cut.cutBefore ? `${ELLIPSIS} ` : ''}${foldWhitespace(text.slice(cut.start, cut.end))}${cut.cutAfter ? ` ${ELLIPSIS}` : ''}`;
}

/**
 * A quote as shown to readers: folded white space, with "…" where it starts
 * after its passage's start or ends before its passage's end.
 *
 * @example
 * displayQuote(passage, { start: 15, end: 26 }) // "… He is lost."
 */
export function displayQuote(passage: Passage, span: Span): string {
  return plainExcerpt(passage.text, cutAt(passage.text, span.start, span.end));
}

/** The display parts of a quote: text before, inside and after its highlighted sentence, folded, cut marks included. */
export function displayQuoteParts(
  passage: Passage,
  quote: Pick<Quote, 'start' | 'end' | 'highlight'>,
): { before: string; highlight: string; after: string } {
  const { cutBefore, cutAfter } = cutAt(passage.text, quote.start, quote.end);
  const text = passage.text.slice(quote.start, quote.end);
  const fold = foldRuns;
  const h = quote.highlight;
  const before = fold(text.slice(0, h.start)).trimStart();
  const after = fold(text.slice(h.end)).trimEnd();
  return {
    before: (cutBefore ? `${ELLIPSIS} ` : '') + before,
    highlight: fold(text.slice(h.start, h.end)),
    after: after + (cutAfter ? ` ${ELLIPSIS}` : ''),
  };
}

/**
 * An excerpt of a passage for lists and previews, at most `max` characters
 * shown ("…" marks included): whole sentences from its start, folded, each cut
 * marked; a first sentence longer than `max` is cut at a word.
 *
 * @example
 * excerpt(passage, 200) // "Call me Ishmael. Some years ago … …"
 */
export function excerpt(passage: Passage, max: number): string {
  const cut = cutExcerpt(passage.text, passage.sentences, (c) => plainExcerpt(passage.text, c).length <= max);
  return cut ? plainExcerpt(passage.text, cut) : ELLIPSIS.slice(0, Math.max(0, max));
}
