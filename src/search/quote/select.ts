/**
 * Stage 6, quote: the verbatim span of the top passage, from its sentences' scores
 * (quote/sentences.ts). Settings and measurements: config.ts `quote`.
 */
import type { Passage, Quote, Span } from '../../types.js';
import { DEFAULT_RANKING_CONFIG, type QuoteConfig } from '../config.js';

/**
 * The contiguous verbatim span of a passage that best answers the question:
 * the best-scoring sentence, joined by neighbours that score nearly as well,
 * by the sentence a lead-in (ending in ":") introduces, or by one neighbour
 * when the best sentence is too short to stand alone; at most `maxLength`
 * characters. A single sentence longer than that is cut at the last clause
 * boundary (or word) that fits, so the quote stays verbatim.
 *
 * @example
 * selectQuote(passage, [0.2, 0.9, 0.3]) // the second sentence, or more
 */
export function selectQuote(
  passage: Passage,
  sentenceScores: readonly number[],
  options: Partial<QuoteConfig> = {},
): Quote {
  const opts = { ...DEFAULT_RANKING_CONFIG.quote, ...options };
  const sentences = passage.sentences.length ? passage.sentences : [{ start: 0, end: passage.text.length }];
  let best = 0;
  sentenceScores.forEach((score, i) => {
    if (score > sentenceScores[best]!) best = i;
  });
  const length = (from: number, to: number) => sentences[to]!.end - sentences[from]!.start;
  let from = best;
  let to = best;
  const fits = (f: number, t: number) => length(f, t) <= opts.maxLength;
  const text = (i: number) => passage.text.slice(sentences[i]!.start, sentences[i]!.end);

  if (passage.paragraph === 0 && length(0, sentences.length - 1) <= opts.maxLength) {
    // A header is short and reads best whole, with the line that answers in bold.
    from = 0;
    to = sentences.length - 1;
  }
  if (to + 1 < sentences.length && /:\s*$/.test(text(to)) && fits(from, to + 1)) to++;
  if (from > 0 && /:\s*$/.test(text(from - 1)) && fits(from - 1, to)) from--;
  const threshold = sentenceScores[best]! * opts.neighbourShare;
  let grew = true;
  while (grew) {
    grew = false;
    const before = from - 1;
    const after = to + 1;
    const beforeScore = before >= 0 ? sentenceScores[before]! : -Infinity;
    const afterScore = after < sentences.length ? sentenceScores[after]! : -Infinity;
    if (afterScore >= threshold && afterScore >= beforeScore && fits(from, after)) {
      to = after;
      grew = true;
    } else if (beforeScore >= threshold && fits(before, to)) {
      from = before;
      grew = true;
    }
  }
  if (length(from, to) < opts.minLength && passage.paragraph > 0) {
    const after = to + 1 < sentences.length ? to + 1 : -1;
    const before = from - 1;
    if (after >= 0 && fits(from, after) && (before < 0 || sentenceScores[after]! >= sentenceScores[before]!))
      to = after;
    else if (before >= 0 && fits(before, to)) from = before;
  }
  if (passage.paragraph > 0) {
    for (let k = 0; k < opts.context; k++) {
      if (to + 1 < sentences.length && fits(from, to + 1)) to++;
      if (from > 0 && fits(from - 1, to)) from--;
    }
  }

  let span: Span = { start: sentences[from]!.start, end: sentences[to]!.end };
  if (span.end - span.start > opts.maxLength) span = cutToLength(passage.text, span, opts.maxLength);
  const highlight = {
    start: Math.max(0, sentences[best]!.start - span.start),
    end: Math.min(span.end - span.start, sentences[best]!.end - span.start),
  };
  return {
    passageId: passage.id,
    text: passage.text.slice(span.start, span.end),
    start: span.start,
    end: span.end,
    highlight,
  };
}

/** Shortens a span to at most `max` characters, ending at a clause boundary or, failing that, a word. */
export function cutToLength(text: string, span: Span, max: number): Span {
  const slice = text.slice(span.start, span.start + max);
  const clause = Math.max(
    slice.lastIndexOf('; '),
    slice.lastIndexOf(', '),
    slice.lastIndexOf(' – '),
    slice.lastIndexOf(': '),
  );
  if (clause > max / 2) return { start: span.start, end: span.start + clause + (slice[clause] === ' ' ? 0 : 1) };
  const word = slice.search(/\s\S*$/);
  return { start: span.start, end: span.start + (word > 0 ? word : max) };
}
