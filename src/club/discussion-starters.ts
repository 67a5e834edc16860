/**
 * Discussion starters: three passages of the week's chapters for `/club discuss` to post as prompts.
 * Nothing is generated: every starter is one of the document's passages, whole and verbatim, and
 * the caller cites it (src/answer/citation.ts).
 *
 * The method (docs/discord.md, "Discussion starters", says the same in short):
 * 1. Usable passages: the body passages of chapters `from`…`to` (never ¶0, never a passage outside
 *    the range) that read as prose, that is not mostly capitalised words (headings, contents lists,
 *    bibliography entries, inscriptions), and at least {@link DiscussionStarterOptions.minFallbackChars}
 *    long, which leaves out short dialogue lines and letter headings. Those of 150–900 characters
 *    are "quotable": long enough to discuss, short enough to read in chat and for three to fit a message.
 * 2. The usable passages are split into three consecutive parts of about equal words, so the
 *    prompts follow the week from its beginning to its end rather than bunching in one chapter.
 * 3. In each part the pick is the quotable passage (else, if the part has none, the usable one)
 *    that carries most of the week's key terms. A term's weight is
 *    `(1 + ln tf) × ln(N / df)`: `tf` its occurrences in the week, `df` the passages containing
 *    it among the `N` body passages up to the end of chapter `to` (the book as the group has read
 *    it, so the choice never depends on later chapters). Terms the week uses only once weigh
 *    nothing: they are rare, not what the week is about. A passage scores the sum of its
 *    distinct terms' weights over the square root of its number of distinct terms, so a long
 *    passage does not win by length alone nor a short one by a single rare word. Ties go to the
 *    earlier passage. Terms are the index terms of src/text/analyser.ts (stop words dropped,
 *    stemmed), as in search.
 * 4. A week with three usable passages or fewer gives all of them; one with none gives none.
 *
 * Why this and not the passage most distinctive against the book (plain TF-IDF of the passage's
 * own terms): that rewards one-off vocabulary. Of the 39 quotable passages of Moby-Dick ch. 6–10,
 * plain TF-IDF ranks 2nd the list of exotic names of ch. 6 ¶3 ("Feegeeans, Tongatobooarrs,
 * Erromanggoans…"); weighting terms by how often the week uses them ranks it 14th, and puts first
 * the passages on what the week keeps returning to (Jonah's terror in the sermon, the pulpit,
 * the Whaleman's Chapel). It is the classic keyword weight of the week's text; the passage densest in
 * those keywords is the one most about the week.
 *
 * Deterministic (no randomness, ties by position) and fast: each passage's terms are read once
 * per document, on first need, and kept with it (a WeakMap), so a call counts terms over the book
 * up to `to` and scores the week only. Measured on Moby-Dick, 10-chapter weeks, 5 fresh parses
 * each, on this shared 2-core machine (load average 6): ch. 126–135 (the whole book read) first
 * call 149 ms median (every passage tokenised and stemmed), later calls 9 ms median, 32 ms max;
 * ch. 1–10 first call 30 ms, later 6 ms. The first call per text is the cost to warm early.
 */
import { indexTerm, tokenize } from '../text/analyser.js';
import type { LibraryDocument, Passage } from '../types.js';

/** A week's assignment: chapter ordinals, inclusive (as `ReadingLimit.week`). */
export interface ChapterOrdinalRange {
  from: number;
  to: number;
}

/** How starters are chosen; every default with its reason. */
export interface DiscussionStarterOptions {
  /** How many starters. Default 3: the "three passages". */
  count: number;
  /** Shortest quotable passage, in characters. Default 150: about two lines of prose; shorter is mostly a line of dialogue. */
  minChars: number;
  /** Longest quotable passage. Default 900: three fit Discord's 4,096-character embed description with their citations. */
  maxChars: number;
  /**
   * Shortest passage used at all, when a part of the week has no quotable one. Default 60: a full
   * sentence ("Captain Thomas Reed arrived from Portsmouth on the first of December.", 69), not a
   * dated letter heading ("St. Petersburgh, Dec. 11th, 17—.", 32) or an exclamation.
   */
  minFallbackChars: number;
  /**
   * A passage whose words are more than this share capitalised is a heading, a contents or
   * bibliography entry or an inscription, not prose. Default 0.5: prose with many names stays
   * under it ("Captain Thomas Reed arrived from Portsmouth…" is 5 of 11).
   */
  maxCapitalisedShare: number;
  /** Occurrences in the week for a term to count as one of its key terms. Default 2: a word used once is rare, not a theme. */
  minRecurrence: number;
}

export const DEFAULT_DISCUSSION_STARTER_OPTIONS: Readonly<DiscussionStarterOptions> = Object.freeze({
  count: 3,
  minChars: 150,
  maxChars: 900,
  minFallbackChars: 60,
  maxCapitalisedShare: 0.5,
  minRecurrence: 2,
});

/** What the method reads of a passage, computed once per document. */
interface PassageProfile {
  /** Index terms with their counts. */
  counts: Map<string, number>;
  /** Words, for splitting the week into parts of equal words. */
  words: number;
  /** Share of words that start with a capital letter. */
  capitalisedShare: number;
  /** Length with white space folded, as it is shown. */
  displayLength: number;
}

/** Per document: the profiles read so far (in passage order), and each token's index term, looked up once. */
interface DocumentProfiles {
  profiles: PassageProfile[];
  termOf: Map<string, string | null>;
}

const cache = new WeakMap<LibraryDocument, DocumentProfiles>();

/**
 * Profiles of `doc`'s passages up to index `through`, read on first need and kept with the document.
 * Stemming is most of the cost (on Moby-Dick, 166 ms for every token against 50 ms for each distinct
 * token once), hence the token → term table.
 */
function profilesOf(doc: LibraryDocument, through: number): PassageProfile[] {
  let entry = cache.get(doc);
  if (!entry) {
    entry = { profiles: [], termOf: new Map() };
    cache.set(doc, entry);
  }
  const { profiles, termOf } = entry;
  for (let i = profiles.length; i <= through && i < doc.passages.length; i++) {
    const text = doc.passages[i]!.text;
    const words = tokenize(text);
    const counts = new Map<string, number>();
    let capitalised = 0;
    for (const word of words) {
      if (/^\p{Lu}/u.test(word)) capitalised++;
      let term = termOf.get(word);
      if (term === undefined) {
        term = indexTerm(word);
        termOf.set(word, term);
      }
      if (term !== null) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    profiles.push({
      counts,
      words: words.length,
      capitalisedShare: words.length > 0 ? capitalised / words.length : 1,
      displayLength: text.replace(/\s+/g, ' ').trim().length,
    });
  }
  return profiles;
}

/** The ¶ numbers of chapters `from`…`to`, clamped to the book; the whole body for a text without chapters. */
function paragraphsOf(doc: LibraryDocument, range: ChapterOrdinalRange): { first: number; last: number } | null {
  if (doc.chapters.length === 0) return { first: 1, last: Number.MAX_SAFE_INTEGER };
  const from = Math.max(1, Math.floor(range.from));
  const to = Math.min(doc.chapters.length, Math.floor(range.to));
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) return null;
  return { first: doc.chapters[from - 1]!.firstParagraph, last: doc.chapters[to - 1]!.lastParagraph };
}

/**
 * Splits `weights` (in order) into `parts` consecutive non-empty runs of about equal total weight:
 * each boundary falls where the running total crosses its share, kept at least one item from its neighbours.
 * Returns the start index of each run.
 */
function equalParts(weights: readonly number[], parts: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const starts = [0];
  let running = 0;
  let index = 0;
  for (let part = 1; part < parts; part++) {
    const target = (total * part) / parts;
    while (index < weights.length && running + weights[index]! / 2 < target) running += weights[index++]!;
    const start = Math.min(Math.max(index, starts[part - 1]! + 1), weights.length - (parts - part));
    while (index < start) running += weights[index++]!;
    while (index > start) running -= weights[--index]!;
    starts.push(start);
  }
  return starts;
}

/**
 * Up to `count` passages of chapters `range.from`…`range.to` of `doc` to open a discussion with,
 * in reading order, chosen by the method in this file's comment. Fewer when the week has fewer
 * usable passages; none for an empty or reversed range. A text without chapters is one week.
 */
export function discussionStarters(
  doc: LibraryDocument,
  range: ChapterOrdinalRange,
  options: Partial<DiscussionStarterOptions> = {},
): Passage[] {
  const o: DiscussionStarterOptions = { ...DEFAULT_DISCUSSION_STARTER_OPTIONS, ...options };
  const span = paragraphsOf(doc, range);
  if (!span || o.count <= 0) return [];
  // Passages run in reading order (¶0, ¶1…): those read by the end of the week are a prefix.
  const inWeek: number[] = [];
  let readThrough = -1;
  for (let i = 0; i < doc.passages.length && doc.passages[i]!.paragraph <= span.last; i++) {
    readThrough = i;
    if (doc.passages[i]!.paragraph >= Math.max(1, span.first)) inWeek.push(i);
  }
  const profile = profilesOf(doc, readThrough);
  const usable = inWeek.filter((i) => {
    const p = profile[i]!;
    return p.displayLength >= o.minFallbackChars && p.capitalisedShare <= o.maxCapitalisedShare;
  });
  if (usable.length <= o.count) return usable.map((i) => doc.passages[i]!);

  // Key-term weights: frequency in the week, rarity among the body passages read by the end of the week.
  const weekTf = new Map<string, number>();
  for (const i of inWeek) for (const [t, n] of profile[i]!.counts) weekTf.set(t, (weekTf.get(t) ?? 0) + n);
  const df = new Map<string, number>();
  let read = 0;
  for (let i = 0; i <= readThrough; i++) {
    if (doc.passages[i]!.paragraph <= 0) continue;
    read++;
    for (const t of profile[i]!.counts.keys()) if (weekTf.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const weight = new Map<string, number>();
  for (const [t, tf] of weekTf)
    if (tf >= o.minRecurrence) weight.set(t, (1 + Math.log(tf)) * Math.log(read / df.get(t)!));
  const score = (i: number): number => {
    const counts = profile[i]!.counts;
    if (counts.size === 0) return 0;
    let sum = 0;
    for (const t of counts.keys()) sum += weight.get(t) ?? 0;
    return sum / Math.sqrt(counts.size);
  };
  const quotable = (i: number): boolean =>
    profile[i]!.displayLength >= o.minChars && profile[i]!.displayLength <= o.maxChars;

  const starts = equalParts(
    usable.map((i) => profile[i]!.words),
    o.count,
  );
  const picks: number[] = [];
  starts.forEach((start, part) => {
    const members = usable.slice(start, starts[part + 1] ?? usable.length);
    const pool = members.some(quotable) ? members.filter(quotable) : members;
    let best = pool[0]!;
    let bestScore = score(best);
    for (const i of pool.slice(1)) {
      const s = score(i);
      if (s > bestScore) [best, bestScore] = [i, s]; // strictly greater: ties stay with the earlier passage
    }
    picks.push(best);
  });
  return picks.map((i) => doc.passages[i]!);
}
