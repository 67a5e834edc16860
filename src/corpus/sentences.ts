import type { Span } from '../types.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Starts with a lower-case letter (after opening quotes/brackets): a continuation, not a new sentence. */
const CONTINUATION = /^[\s"'“‘(\[_]*\p{Ll}/u;
/** Nothing but punctuation, e.g. a leading "... ". */
const NO_WORDS = /^[^\p{L}\p{N}]*$/u;
/**
 * Titles and abbreviations that end in a period but almost never end a
 * sentence, because a name or number follows: "Mr. Bingley", "St. Petersburg",
 * "No. 3". ICU (Intl.Segmenter) breaks after every one of them.
 */
const TITLES =
  /(?:^|[\s"'“‘(\[])(?:Mr|Mrs|Messrs|Mme|Mlle|Ms|Dr|St|Ste|Mt|Rev|Revd|Prof|Capt|Col|Gen|Lieut|Lt|Sgt|Hon|Gov|Sen|cf|viz|vs|i\.e|e\.g)\.\s*$/;
/** Abbreviations that precede a number ("No. 3", "Vol. 1", "p. 9", "ch. XII"); elsewhere "No." is a word ("No." she said). */
const NUMBERED = /(?:^|[\s"'“‘(\[])(?:No|Nos|Vol|vol|pp?|Fig|fig|ch|Ch|Bk|Pt|Art|Sect?|Op|Ps)\.\s*$/;
const NUMBER_START = /^\s*(?:\d|[IVXLC]+\b)/;
/**
 * A single capital letter and a period after a space: an initial, as in
 * "J. Smith". "I." is left out (Moby-Dick: "said I."), and so are acronyms
 * ("the G.P.U. For…"), which end sentences as often as not.
 */
const INITIAL = /(?:^|[\s"'“‘(\[])[A-HJ-Z]\.\s*$/;

/**
 * Splits verbatim text into sentence spans: ICU's sentence rules
 * (Intl.Segmenter) on a copy with line breaks read as spaces, so hard-wrapped
 * lines are not sentence ends, plus repairs measured on eval/sentences/gold.jsonl
 * (`npm run eval:sentences`): a blank line always ends a sentence; a segment that begins in lower case continues
 * the previous sentence ("(what horrible concoctions!) for the Zinoviev trial",
 * '"Is it?" said he'); a break after a title ("Mr.", "St.") or an initial
 * ("J.") is undone; a segment without words (a leading "...") is joined to
 * the sentence that follows. Spans exclude surrounding white space.
 *
 * @example
 * splitSentences('He is accused. He is lost.') // [{start:0,end:14},{start:15,end:26}]
 */
export function splitSentences(text: string): Span[] {
  // Same length as `text`, so offsets need no mapping: only white space is replaced.
  // A blank line (a lead-in joined to its quotation) still ends a sentence; a single line break does not.
  const flat = text.replace(/\n[ \t]*\n\s*|[\n\r\u2028\u2029\u000b\u000c\u0085]/g, (m) => (m.length > 1 ? m : ' '));
  const raw: Span[] = [];
  for (const { index, segment } of segmenter.segment(flat)) {
    raw.push({ start: index, end: index + segment.length });
  }
  const merged: Span[] = [];
  let pendingStart: number | null = null;
  for (const span of raw) {
    const segment = flat.slice(span.start, span.end);
    if (NO_WORDS.test(segment)) {
      pendingStart ??= span.start;
      continue;
    }
    const start = pendingStart ?? span.start;
    pendingStart = null;
    const previous = merged[merged.length - 1];
    const before = previous ? flat.slice(previous.start, previous.end) : '';
    if (
      previous &&
      (CONTINUATION.test(segment) ||
        TITLES.test(before) ||
        INITIAL.test(before) ||
        (NUMBERED.test(before) && NUMBER_START.test(segment)))
    ) {
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

/** ICU's sentence rules alone, on the same white-space-folded copy: the baseline of `npm run eval:sentences`. */
export function splitSentencesIcu(text: string): Span[] {
  const flat = text.replace(/\s/g, ' ');
  return [...segmenter.segment(flat)]
    .map(({ index, segment }) => trimSpan(text, { start: index, end: index + segment.length }))
    .filter((s) => s.end > s.start);
}

/** Narrows a span so it neither starts nor ends with white space. */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  return { start, end };
}
