import type { Passage, Quote, Span } from '../types.js';
import { dot, type SearchIndex, type UnitScore } from './search.js';

/** Options of {@link selectQuote}. */
export interface QuoteOptions {
  /** Longest quote in characters. */
  maxLength: number;
  /** Weight of dense similarity in a sentence's score (lexical gets the rest). */
  denseWeight: number;
  /** A neighbouring sentence scoring at least this share of the best joins the quote. */
  neighbourShare: number;
  /** A best sentence shorter than this takes a neighbour along, so the quote reads on its own. */
  minLength: number;
  /**
   * Sentences of context taken on each side of the quote while it stays
   * within `maxLength`: the one after first, then the one before. The
   * sentence that matches the question best is often the one that sets the
   * scene, and the answer follows it ("…stood the statue of the Happy
   * Prince. He was gilded all over…, for eyes he had two bright sapphires").
   * Measured (quote@1, docs/evaluation.md): 1 lifts SQuAD 73.2% → 78.9%,
   * Moby-Dick 22% → 26%, the Children's Literature EPUB 11.4% → 22.9%, and
   * changes nothing on the article; 2 adds 0.5 on SQuAD for longer quotes.
   * The highlighted sentence is unchanged.
   */
  context: number;
}

export const DEFAULT_QUOTE_OPTIONS: QuoteOptions = {
  maxLength: 500,
  denseWeight: 0.5,
  neighbourShare: 0.9,
  minLength: 60,
  context: 1,
};

/** Scores each sentence of a passage against the question: dense similarity and normalised BM25. */
export function scoreSentences(
  index: SearchIndex,
  passage: Passage,
  scores: readonly UnitScore[],
  queryVector: Float32Array,
  denseWeight: number,
): number[] {
  const byStart = new Map<number, UnitScore>();
  for (const s of scores) if (s.unit.kind === 'sentence') byStart.set(s.unit.start, s);
  const passageScore = scores.find((s) => s.unit.kind === 'passage');
  const own = index.unitsByPassage.get(passage.id) ?? [];
  const sentenceUnits = own.filter((u) => u.kind === 'sentence');
  const known = passage.sentences.map((span) =>
    passage.sentences.length === 1 ? passageScore : byStart.get(span.start),
  );
  // Sentences no retriever scored: their stored vectors are read in one go.
  const missing = passage.sentences.map((span, k) =>
    known[k]
      ? undefined
      : passage.sentences.length === 1
        ? own.find((u) => u.kind === 'passage')
        : sentenceUnits.find((u) => u.start === span.start),
  );
  const labels = missing.filter((u) => u !== undefined).map((u) => u.label);
  const vectors = new Map(index.vectors(labels).map((v, i) => [labels[i]!, v]));
  return passage.sentences.map((_, k) => {
    const score = known[k];
    if (score) return denseWeight * score.dense + (1 - denseWeight) * score.lexical;
    const vector = missing[k] ? vectors.get(missing[k].label) : undefined;
    return denseWeight * (vector ? dot(vector, queryVector) : 0);
  });
}

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
  options: Partial<QuoteOptions> = {},
): Quote {
  const opts = { ...DEFAULT_QUOTE_OPTIONS, ...options };
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
