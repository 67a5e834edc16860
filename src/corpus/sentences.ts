import type { Span } from '../types.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Starts with a lower-case letter (after opening quotes/brackets): a continuation, not a new sentence. */
const CONTINUATION = /^[\s"'“‘(\[]*\p{Ll}/u;
/** Nothing but punctuation, e.g. a leading "... ". */
const NO_WORDS = /^[^\p{L}\p{N}]*$/u;

/**
 * Splits verbatim text into sentence spans, using ICU's sentence rules plus
 * two repairs that matter for quoting: a segment that begins in lower case
 * continues the previous sentence ("(what horrible concoctions!) for the
 * Zinoviev trial"), and a segment without words (a leading "...") is joined
 * to the sentence that follows. Spans exclude surrounding white space.
 *
 * @example
 * splitSentences('He is accused. He is lost.') // [{start:0,end:14},{start:15,end:26}]
 */
export function splitSentences(text: string): Span[] {
  const raw: Span[] = [];
  for (const { index, segment } of segmenter.segment(text)) {
    raw.push({ start: index, end: index + segment.length });
  }
  const merged: Span[] = [];
  let pendingStart: number | null = null;
  for (const span of raw) {
    const segment = text.slice(span.start, span.end);
    if (NO_WORDS.test(segment)) {
      pendingStart ??= span.start;
      continue;
    }
    const start = pendingStart ?? span.start;
    pendingStart = null;
    const previous = merged[merged.length - 1];
    if (previous && CONTINUATION.test(segment)) {
      previous.end = span.end;
    } else {
      merged.push({ start, end: span.end });
    }
  }
  if (pendingStart !== null) {
    const previous = merged[merged.length - 1];
    if (previous) previous.end = text.length;
    else merged.push({ start: pendingStart, end: text.length });
  }
  return merged.map((span) => trimSpan(text, span)).filter((span) => span.end > span.start);
}

/** Narrows a span so it neither starts nor ends with white space. */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  return { start, end };
}
