/**
 * Every tuned setting of the answer path, in one object cut by stage:
 * analyse → retrieve → fuse → rerank → decide → quote. Each default says what
 * was measured to choose it (figures: docs/evaluation.md). Every setting is
 * reachable from `AskOptions.ranking`, and a stage reads only its own slice.
 *
 * This file holds the long comments so that the stage modules stay short;
 * it is over 200 lines for that reason and imports nothing.
 */

/** Which retrievers contribute to a ranking; "dense" and "lexical" exist to measure the fusion's gain. */
export type RetrievalMode = 'hybrid' | 'dense' | 'lexical';

/** analyse: what of the reader's message is searched (analyse/question.ts). */
export interface AnalyseConfig {
  /**
   * Scripts that are searched even when the library does not use them.
   * Default: none beyond the library's own. "Common" (digits, punctuation)
   * and "Inherited" (combining marks) belong to every script and are never set aside.
   */
  alwaysSearched: readonly string[];
}

/** retrieve: how many candidates each retriever returns (retrieve/). */
export interface RetrieveConfig {
  mode: RetrievalMode;
  /** Nearest units asked of the dense retriever per query. */
  denseCandidates: number;
  /** Best BM25 hits kept per unit kind; bounds the per-query work however common the query's words are. */
  lexicalCandidates: number;
}

/** fuse: one score per passage from its units' dense and lexical scores (fuse.ts). */
export interface FuseConfig {
  /**
   * Weight of the dense similarity in the fused score; the lexical score gets
   * the rest. Dense cosines of this small model vary over a narrow band while
   * normalised BM25 spans [0, 1], so 0.3 already lets meaning decide between
   * passages with similar words; from 0.25 to 0.45 the dev and validation sets
   * together score the same, and 0.3 is the middle of that plateau that also
   * meets the dev-set target.
   */
  denseWeight: number;
}

/** rerank: the ordered rerankers' settings (rerank/). */
export interface RerankConfig {
  /**
   * Added to a passage's score in proportion to how early it comes in its text
   * (the first passage gets all of it, the last none), so that of two passages
   * that answer about equally, the one where the text first tells it wins: an
   * introduction ("who is Fedallah?"), a Wikipedia lead. Measured: 0.01 moves
   * the article's validation set from 88% to 92% hit@1 and SQuAD's gold@1 from
   * 74.1% to 74.4%, and nothing else; 0.02 lost two SQuAD questions at hit@3.
   */
  earlierBonus: number;
  /**
   * Passages of fewer words than this lose `shortPenalty`: a line of dialogue
   * ("Elijah.") or a book's list entry matches a question's names with nothing
   * around them to answer it, and BM25's length normalisation ranks such lines
   * high. Measured (issue 9 third round): under 10 words the EPUB's hit@1 goes
   * 34.3% → 37.1% and nothing else moves; under 6 changes nothing; under 20
   * loses a Moby-Dick validation question at hit@3. 0 turns the reranker off.
   */
  shortWords: number;
  /** See `shortWords`. A penalty of 0.1 ranks the same. */
  shortPenalty: number;
  /** "Who is X?": the first passages that mention X (rerank/introduction.ts). Issue 9 third round, step 2. */
  introduction: {
    /**
     * How many of a name's first passages are favoured, in reading order. An
     * introduction often runs over a few paragraphs (Elijah's first mention is
     * the one-word reply "Elijah."). Measured (hit@1 · quote@1, Moby-Dick
     * validation / EPUB): 1 → 19.6 · 17.4 / 34.3 · 25.7; 3 → 19.6 · 19.6 /
     * 34.3 · 25.7; 5 → 17.4 · 17.4 / 31.4 · 22.9.
     */
    mentions: number;
    /**
     * Added to the score of the first passage that mentions the name; the
     * later ones get a linearly smaller share (3 passages: 0.2, 0.13, 0.07).
     * Measured (hit@1, Moby-Dick dev / validation / EPUB, before 36.0 / 17.4 /
     * 31.4): 0.1 → 38.0 / 17.4 / 31.4; 0.2 → 38.0 / 19.6 / 34.3; 0.3 → the
     * same, with one Moby-Dick validation quote lost. 0 turns it off.
     */
    bonus: number;
    /**
     * Share of a word's mid-sentence uses that must be capitalised for it to
     * count as a name. Lower than the slot check's 0.9, because a character's
     * name may also be a word: the EPUB writes "Robin Goodfellow" and "a
     * robin". Measured: 0.9 misses that question, 0.7 and 0.5 gain it, and
     * nothing else changes on any set.
     */
    nameShare: number;
  };
  /**
   * Added to the score of a passage in a reading group's week (`ReadingLimit.week`,
   * rerank/week.ts), after every other reranker; nothing without a week. Measured in
   * reading-along mode (docs/evaluation.md, 5 chapters a week), hit@1 · hit@3 on Moby-Dick
   * dev / validation / Children's Literature, (a) `--until answer` (the answer is in the
   * week) and (b) `--until later` (the group is a week further on, the answer in an earlier week):
   * 0 → (a) 40.0·52.0 / 34.8·47.8 / 40.0·54.3, (b) 40.0·50.0 / 30.4·43.5 / 37.1·54.3;
   * 0.03 → (a) 40.0·54.0 / 37.0·47.8 / same, (b) 40.0·48.0 / 28.3·39.1 / same;
   * 0.05 → (a) 40.0·56.0 / 37.0·52.2 / same, (b) 36.0·48.0 / 26.1·39.1 / 34.3·54.3;
   * 0.1 → (a) 46.0·62.0 / 37.0·56.5 / same, (b) 28.0·42.0 / 23.9·32.6 / 31.4·42.9.
   * Every weight that gains in (a) loses about as much in (b) (0.01 already loses one (b)
   * question, and a multiplicative bonus traces the same curve); 0.03 gains on both
   * Moby-Dick sets in (a) while (b) loses one question at hit@1, on one set only.
   */
  weekBonus: number;
  /** Answer type (rerank/answer-type.ts): the sentence that could answer. */
  answerType: {
    /**
     * Share of a passage's score taken from its best sentence that holds an
     * answer of the question's type. Measured: 0.15 is the only weight tried
     * (0.1, 0.15, 0.2, 0.25, 0.4) that loses on no set: Moby-Dick hit@1 28% →
     * 36%, SQuAD hit@3 95.4% → 96.5%, the article's sets unchanged; 0.1 and 0.2
     * each lose one or two SQuAD questions at hit@1, 0.4 loses on the article.
     */
    weight: number;
    /** How many of the best passages are re-ranked: the rest are too far behind for the blend to lift them. */
    depth: number;
  };
}

/** decide: the abstention rules' thresholds (decide/). */
export interface DecideConfig {
  /** Below this best similarity, a question with little word overlap is off-topic. */
  minDense: number;
  /** At or above this similarity, the question is on-topic whatever its words. */
  sureDense: number;
  /** Below this coverage, the question's words are mostly foreign to the library. */
  minCoverage: number;
  /**
   * Below this off-topic z (how far the best similarity stands above what
   * unrelated questions reach in this library), the question is no closer to
   * the library than unrelated questions are. Measured (issue 9 second round,
   * step 4): 1.0 leaves half the EPUB's off-topic questions answered; 1.25
   * costs one false decline in the 96 answerable Moby-Dick questions, 1.5 two,
   * and neither declines every off-topic question alone.
   */
  minOffTopicZ: number;
  /**
   * Below this z, a question is declined when its best passage also holds at
   * most `minTopCoverage` of its words: two weak signals together ("in great
   * expectations who turns out to be pip's secret benefactor", asked of a
   * children's anthology: z 1.76, two words in six in its best passage). With
   * 1.25 above, every off-topic question of the book sets is declined, for a
   * second false decline on Moby-Dick.
   */
  weakOffTopicZ: number;
  /** See `weakOffTopicZ`: 0.34 is "a third of the question's words or fewer". */
  minTopCoverage: number;
  /** Slot questions ("What is the name of Ahab's wife?", analyse/slot.ts). Issue 9 second round, step 3. */
  slot: {
    /**
     * Best passages searched for the attribute. Measured on the sets' slot
     * questions: 3 wrongly declined 5 answerable SQuAD questions, 5 and 8 two,
     * and 5 declines the same unanswered book questions as 8.
     */
    passages: number;
    /**
     * Words (and punctuation marks) between a name and the word asked about,
     * at most: "the Spouter Inn", "the hiring of Gary Kubiak as the new head
     * coach". Measured: 3 wrongly declined 7 answerable SQuAD questions, 6
     * declines 2, and 3 to 6 decline the same unanswered book questions.
     */
    window: number;
    /** Share of a word's mid-sentence uses that must be capitalised for it to count as a name of the library. */
    nameShare: number;
  };
}

/** quote: the verbatim span of the top passage (quote/). */
export interface QuoteConfig {
  /** Longest quote in characters. */
  maxLength: number;
  /**
   * Weight of dense similarity in a sentence's score (lexical gets the rest).
   * The answer-type reranker reads the same sentence scores, so this one
   * setting serves both (before issue 18 the reranker ignored an override).
   */
  denseWeight: number;
  /** A neighbouring sentence scoring at least this share of the best joins the quote. */
  neighbourShare: number;
  /** A best sentence shorter than this takes a neighbour along, so the quote reads on its own. */
  minLength: number;
  /**
   * Sentences of context taken on each side of the quote while it stays within
   * `maxLength`: the one after first, then the one before. Measured (quote@1):
   * 1 lifts SQuAD 73.2% → 78.9%, Moby-Dick 22% → 26%, the Children's Literature
   * EPUB 11.4% → 22.9%, and changes nothing on the article; 2 adds 0.5 on SQuAD
   * for longer quotes. The highlighted sentence is unchanged.
   */
  context: number;
  /**
   * Added to the score of a sentence that holds an answer of the question's
   * type. 0.1 lifts SQuAD quote@1 from 72.0% to 72.8% and changes nothing on
   * the article's sets; 0.05 gives 72.5%, 0.2 gives 72.7%.
   */
  typeBonus: number;
}

/** The answer path's settings, by stage. */
export interface RankingConfig {
  analyse: AnalyseConfig;
  retrieve: RetrieveConfig;
  fuse: FuseConfig;
  rerank: RerankConfig;
  decide: DecideConfig;
  quote: QuoteConfig;
}

/** Any part of a {@link RankingConfig}, as `AskOptions.ranking` takes it. */
export type RankingOverrides = {
  [Stage in keyof RankingConfig]?: {
    [Key in keyof RankingConfig[Stage]]?: RankingConfig[Stage][Key] extends readonly unknown[]
      ? RankingConfig[Stage][Key]
      : RankingConfig[Stage][Key] extends object
        ? Partial<RankingConfig[Stage][Key]>
        : RankingConfig[Stage][Key];
  };
};

export const DEFAULT_RANKING_CONFIG: RankingConfig = {
  analyse: { alwaysSearched: [] },
  retrieve: { mode: 'hybrid', denseCandidates: 64, lexicalCandidates: 64 },
  fuse: { denseWeight: 0.3 },
  rerank: {
    earlierBonus: 0.01,
    shortWords: 10,
    shortPenalty: 0.05,
    introduction: { mentions: 3, bonus: 0.2, nameShare: 0.7 },
    answerType: { weight: 0.15, depth: 10 },
    weekBonus: 0.03,
  },
  decide: {
    minDense: 0.3,
    sureDense: 0.55,
    minCoverage: 0.5,
    minOffTopicZ: 1.25,
    weakOffTopicZ: 2,
    minTopCoverage: 0.34,
    slot: { passages: 5, window: 6, nameShare: 0.9 },
  },
  quote: { maxLength: 500, denseWeight: 0.5, neighbourShare: 0.9, minLength: 60, context: 1, typeBonus: 0.1 },
};

/** The defaults with `overrides` laid over them, stage by stage (nested objects merged one level down). */
export function resolveRanking(overrides: RankingOverrides = {}): RankingConfig {
  const merged = {} as Record<string, Record<string, unknown>>;
  for (const [stage, defaults] of Object.entries(DEFAULT_RANKING_CONFIG) as [string, Record<string, unknown>][]) {
    const given = (overrides as Record<string, Record<string, unknown> | undefined>)[stage] ?? {};
    const slice: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined) continue;
      const base = defaults[key];
      slice[key] = base && typeof base === 'object' && !Array.isArray(base) ? { ...base, ...(value as object) } : value;
    }
    merged[stage] = slice;
  }
  return merged as unknown as RankingConfig;
}
