/**
 * Cutting text to fit Discord: the one place the bot shortens text.
 *
 * - Nothing is cut mid-word. Long material is shortened at sentence
 *   boundaries (falling back to word boundaries only for a single over-long
 *   sentence), and every cut is marked with "…".
 * - Quoted text stays verbatim up to white space: line breaks inside a
 *   paragraph (hard-wrapped files) show as spaces, as in src/answer/excerpt.ts;
 *   it is escaped (markdown.ts), never otherwise rewritten.
 * - A quote taken from inside its passage says so: `cutBefore` / `cutAfter`
 *   add the leading / trailing "…" even when the quote itself fits.
 * - Lengths are measured after escaping, because that is what Discord counts.
 */
import { ELLIPSIS, foldWhitespace } from '../answer/excerpt.js';
import type { Span } from '../types.js';
import { blockQuote, bold, escapeMarkdown } from './markdown.js';

// One mark and one notion of "verbatim up to white space" for the terminal, JSON and Discord (src/answer/excerpt.ts).
export { ELLIPSIS, foldWhitespace };

/** Sentence spans for text that came without them: ends at . ! ? … followed by space. */
export function roughSentences(text: string): Span[] {
  const spans: Span[] = [];
  const re = /[^\s][\s\S]*?(?:[.!?…]+["”’')\]]*(?=\s|$)|$)/g;
  for (let m = re.exec(text); m && m[0].length > 0; m = re.exec(text)) {
    spans.push({ start: m.index, end: m.index + m[0].length });
    if (re.lastIndex >= text.length) break;
  }
  return spans;
}

/** Sentence spans of `passage` that overlap `[start, end)`, clipped and shifted to be relative to `start`. */
export function sentencesWithin(sentences: readonly Span[], start: number, end: number): Span[] {
  return sentences
    .filter((s) => s.end > start && s.start < end)
    .map((s) => ({ start: Math.max(s.start, start) - start, end: Math.min(s.end, end) - start }));
}

/**
 * Cuts `text` to at most `max` characters at a word boundary, adding "…".
 * Only a single word longer than `max` is cut inside (there is nothing else to do).
 */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  const room = max - ELLIPSIS.length;
  const cut = text.slice(0, room + 1);
  const space = cut.search(/\s\S*$/);
  const head = space > 0 ? cut.slice(0, space) : text.slice(0, room);
  return `${head.trimEnd()}${ELLIPSIS}`;
}

export interface ExcerptOptions {
  /** Sentence spans relative to `text`; derived roughly when absent. */
  sentences?: readonly Span[];
  /** Part to keep and show in bold (relative to `text`), e.g. the best sentence. */
  focus?: Span;
  /** Bold the focus. Default true when a focus is given. */
  boldFocus?: boolean;
  /** Render as a block quote. Default true. */
  quote?: boolean;
  /** `text` starts after its passage's start (a quote from inside a paragraph): lead with "…". Default false. */
  cutBefore?: boolean;
  /** `text` ends before its passage's end: end with "…". Default false. */
  cutAfter?: boolean;
}

/** Whether a quote `[start, end)` of `passageText` leaves text out before and after it. */
export function cutsOf(passageText: string, start: number, end: number): { cutBefore: boolean; cutAfter: boolean } {
  return { cutBefore: /\S/.test(passageText.slice(0, start)), cutAfter: /\S/.test(passageText.slice(end)) };
}

/**
 * Renders `text` escaped (focus in bold, as a block quote by default) in at
 * most `max` characters. When it does not fit, whole sentences are dropped,
 * keeping the focus sentence and as much around it as fits, marking each cut
 * with "…"; a single sentence too long to fit is cut at a word boundary.
 * Returns "" only when `max` cannot hold even "…".
 */
export function renderExcerpt(text: string, max: number, options: ExcerptOptions = {}): string {
  const quote = options.quote ?? true;
  const focus = options.focus && options.focus.end > options.focus.start ? options.focus : undefined;
  const boldFocus = options.boldFocus ?? Boolean(focus);
  const trimmed = { start: text.length - text.trimStart().length, end: text.trimEnd().length };
  const outerBefore = options.cutBefore ?? false;
  const outerAfter = options.cutAfter ?? false;
  // White space folded piece by piece, so offsets into `text` stay valid.
  const shown = (a: number, b: number): string => escapeMarkdown(text.slice(a, b).replace(/\s+/g, ' '));
  const render = (start: number, end: number, cutBefore: boolean, cutAfter: boolean): string => {
    let body: string;
    if (focus && boldFocus && focus.end > start && focus.start < end) {
      const fs = Math.max(focus.start, start);
      const fe = Math.min(focus.end, end);
      body = shown(start, fs) + bold(foldWhitespace(text.slice(fs, fe))) + shown(fe, end);
    } else {
      body = shown(start, end);
    }
    body = body.trim();
    if (cutBefore || (outerBefore && start <= trimmed.start)) body = `${ELLIPSIS} ${body}`;
    if (cutAfter || (outerAfter && end >= trimmed.end)) body = `${body} ${ELLIPSIS}`;
    return quote ? blockQuote(body) : body;
  };
  const whole = render(trimmed.start, trimmed.end, false, false);
  if (whole.length <= max) return whole;

  const sentences = (options.sentences?.length ? options.sentences : roughSentences(text)).filter(
    (s) => s.end > s.start,
  );
  if (sentences.length === 0) return fitWords(text, trimmed, max, render);
  // The window grows from the focus sentence, first forwards (reading order), then backwards.
  let first = focus ? sentences.findIndex((s) => s.end > focus.start) : 0;
  if (first < 0) first = 0;
  let last = first;
  const windowText = (a: number, b: number): string =>
    render(sentences[a]!.start, sentences[b]!.end, a > 0, b < sentences.length - 1);
  if (windowText(first, last).length > max) {
    const s = sentences[first]!;
    return fitWords(text, s, max, (a, b, before, after) =>
      render(a, b, before || first > 0, after || first < sentences.length - 1),
    );
  }
  for (let grew = true; grew;) {
    grew = false;
    if (last + 1 < sentences.length && windowText(first, last + 1).length <= max) {
      last += 1;
      grew = true;
    } else if (first > 0 && windowText(first - 1, last).length <= max) {
      first -= 1;
      grew = true;
    }
  }
  return windowText(first, last);
}

/** Longest word-boundary prefix of `span` whose rendering fits in `max`; "" if not even one word fits. */
function fitWords(
  text: string,
  span: Span,
  max: number,
  render: (start: number, end: number, cutBefore: boolean, cutAfter: boolean) => string,
): string {
  // Word ends inside the span, longest first.
  const ends: number[] = [];
  const re = /\S+/g;
  const slice = text.slice(span.start, span.end);
  for (let m = re.exec(slice); m; m = re.exec(slice)) ends.push(span.start + m.index + m[0].length);
  // Binary search: rendered length grows with the end position.
  let lo = 0;
  let hi = ends.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (render(span.start, ends[mid]!, false, true).length <= max) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best >= 0) return render(span.start, ends[best]!, false, ends[best]! < span.end);
  // One enormous "word" (e.g. a URL): cutting inside it is the only option left.
  let end = span.start + Math.max(0, max - 4);
  while (end > span.start && render(span.start, end, false, true).length > max)
    end -= Math.max(1, Math.ceil((end - span.start) / 8));
  return end > span.start ? render(span.start, end, false, true) : ELLIPSIS.slice(0, Math.max(0, max));
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
