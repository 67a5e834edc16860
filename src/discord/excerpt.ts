/**
 * Fitting text into Discord: the Markdown layout of the one excerpt cutter
 * (src/answer/excerpt.ts), and word cuts for titles, footers and notices.
 *
 * - Nothing is cut mid-word. Passages are shortened at their sentence
 *   boundaries (the corpus's `Passage.sentences`; nothing here splits
 *   sentences), falling back to word boundaries only for a single over-long
 *   sentence, and every cut is marked with "…".
 * - Quoted text stays verbatim up to white space: line breaks inside a
 *   paragraph (hard-wrapped files) show as spaces, as in src/answer/excerpt.ts;
 *   it is escaped (markdown.ts), never otherwise rewritten.
 * - A quote taken from inside its passage says so: rendered `within` its span,
 *   it gets the leading / trailing "…" even when the quote itself fits.
 * - Lengths are measured after escaping, because that is what Discord counts.
 */
import { cutExcerpt, cutWords, ELLIPSIS, foldRuns, foldWhitespace, type Cut } from '../answer/excerpt.js';
import type { Span } from '../types.js';
import { blockQuote, bold, escapeMarkdown } from './markdown.js';

// One mark and one notion of "verbatim up to white space" for the terminal, JSON and Discord (src/answer/excerpt.ts).
export { ELLIPSIS, foldWhitespace };

/**
 * Cuts `text` to at most `max` characters at a word boundary, adding "…"
 * (titles, footers, notices: one line of plain text, not a passage).
 * Only a single word longer than `max` is cut inside (there is nothing else to do).
 */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  const shown = (cut: Cut) => `${text.slice(0, cut.end).trimEnd()}${ELLIPSIS}`;
  const cut = cutWords(text, { start: 0, end: text.length }, (c) => shown(c).length <= max);
  return cut ? shown(cut) : ELLIPSIS;
}

export interface ExcerptOptions {
  /** Sentence spans of `text` (a passage's `sentences`); without them the text is one sentence. */
  sentences?: readonly Span[];
  /** Part to keep and show in bold, e.g. the best sentence. */
  focus?: Span;
  /** Bold the focus. Default true when a focus is given. */
  boldFocus?: boolean;
  /** Render as a block quote. Default true. */
  quote?: boolean;
  /** The most to show (a quote's span in its passage): text of `text` outside it is a cut, marked "…". */
  within?: Span;
}

/**
 * Renders `text` escaped (focus in bold, as a block quote by default) in at
 * most `max` characters. When it does not fit, whole sentences are dropped,
 * keeping the focus sentence and as much around it as fits, marking each cut
 * with "…"; a single sentence too long to fit is cut at a word boundary
 * (the one cutter: `cutExcerpt` in src/answer/excerpt.ts).
 * Returns "" only when `max` cannot hold even "…".
 */
export function renderExcerpt(text: string, max: number, options: ExcerptOptions = {}): string {
  const quote = options.quote ?? true;
  const focus = options.focus && options.focus.end > options.focus.start ? options.focus : undefined;
  const boldFocus = options.boldFocus ?? Boolean(focus);
  // White space folded piece by piece, so offsets into `text` stay valid.
  const shown = (a: number, b: number): string => escapeMarkdown(foldRuns(text.slice(a, b)));
  const render = ({ start, end, cutBefore, cutAfter }: Cut): string => {
    let body: string;
    if (focus && boldFocus && focus.end > start && focus.start < end) {
      const fs = Math.max(focus.start, start);
      const fe = Math.min(focus.end, end);
      body = shown(start, fs) + bold(foldWhitespace(text.slice(fs, fe))) + shown(fe, end);
    } else {
      body = shown(start, end);
    }
    body = body.trim();
    if (cutBefore) body = `${ELLIPSIS} ${body}`;
    if (cutAfter) body = `${body} ${ELLIPSIS}`;
    return quote ? blockQuote(body) : body;
  };
  const cut = cutExcerpt(text, options.sentences ?? [], (c) => render(c).length <= max, {
    ...(options.within ? { within: options.within } : {}),
    ...(focus ? { focus } : {}),
  });
  return cut ? render(cut) : ELLIPSIS.slice(0, Math.max(0, max));
}

/** Plain text (footers, author names, thread names: no Markdown there) cut at a word boundary. */
export function plain(text: string, max: number): string {
  return truncateWords(text.replace(/\s+/g, ' ').trim(), max);
}

/** Escaped text for titles and field names, cut at a word boundary *before* escaping so no escape is split. */
export function escapedLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let room = max;
  for (;;) {
    const out = escapeMarkdown(truncateWords(flat, room));
    if (out.length <= max || room <= 1) return out.length <= max ? out : ELLIPSIS;
    room -= Math.max(1, out.length - max);
  }
}
