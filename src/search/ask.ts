/**
 * The answer path, one stage after another:
 *
 *   analyse → retrieve (dense, lexical) → fuse → rerank[] → decide → quote
 *
 * analyse/ reads the question (what is searched, the answer type, names asked
 * about); retrieve/ finds candidate units behind the DenseRetriever and
 * LexicalRetriever interfaces, filters applied inside; fuse.ts scores each
 * passage; rerank/ is an ordered list of rerankers; decide/ gathers the
 * evidence and runs the named abstention rules; quote/ picks the verbatim span.
 * Every setting is in one RankingConfig (config.ts), reachable from
 * `AskOptions.ranking`, and each stage records what it did in the answer's
 * evidence (`npx lectern ask --explain` prints it: src/answer/explain.ts).
 *
 * Why one file of ~360 lines: it is the driver, wiring the six stages in the
 * order above and handling the answers that stop early (small talk, unknown
 * chapter, a reading limit with nothing before it); each stage lives in its
 * own folder.
 */
import type { Answer, LibraryDocument, RankedPassage, ReadingLimit } from '../types.js';
import type { Library } from '../corpus/library.js';
import { declinedWithinLimit } from '../corpus/reading-limit.js';
import { contentTerms } from '../text/analyser.js';
import { typedSentenceScores } from './analyse/answer-type.js';
import { isSmallTalk } from './analyse/intent.js';
import { introductionBonuses } from './analyse/introduction.js';
import { cleanQuestion, longQuestionNotice, truncateQuestion } from './analyse/clean.js';
import { analyseQuestion, libraryScripts, type AnswerType } from './analyse/question.js';
import { resolveRanking, type RankingConfig, type RankingOverrides } from './config.js';
import { gatherEvidence, type Evidence } from './decide/evidence.js';
import { decide } from './decide/rules.js';
import { selectQuote } from './quote/select.js';
import { firstMentions, earlierPassages, shortPassages } from './rerank/position.js';
import { answerTypeFit } from './rerank/answer-type.js';
import type { Reranker, RerankRecord } from './rerank/reranker.js';
import { readingFilter, readingScope, type PassageFilter, type PassageScope } from './retrieve/filter.js';
import { weekPassages } from './rerank/week.js';
import { rankPassages, withinScope, type SearchIndex } from './search.js';

export { cleanQuestion, longQuestionNotice, MAX_QUESTION_LENGTH, truncateQuestion } from './analyse/clean.js';

/** The rerankers of a new question, in the order they run. */
export const RERANKERS: readonly Reranker[] = [
  earlierPassages,
  shortPassages,
  firstMentions,
  answerTypeFit,
  weekPassages,
];

/**
 * A further passage is related to a question when its score is at least this share of the best
 * passage's: on the bundled article, passages sharing one of a question's words score 0.45–0.7 of
 * the best, passages sharing none at most 0.15. Used for "See also" and for "more" follow-ups.
 */
export const RELATED_SHARE = 0.4;

/** The passages after the first that are related to the question (see {@link RELATED_SHARE}), at most `count`. */
export function relatedPassages(
  answer: Pick<Answer, 'passages'>,
  count: number,
  share = RELATED_SHARE,
): RankedPassage[] {
  const best = answer.passages[0]?.score ?? 0;
  if (best <= 0) return [];
  return answer.passages
    .slice(1)
    .filter((r) => r.score >= share * best)
    .slice(0, count);
}

/** What a greeting or an empty message gets; the example is about the loaded texts, not the bundled article. */
export function usageMessage(library: Library): string {
  return (
    'Ask me a question about the text and I will answer by quoting it, with the paragraph number so you can find it. ' +
    `For example: "${library.exampleQuestion()}"`
  );
}

export const ABSTAIN_MESSAGE =
  'The text does not seem to address this question. The closest passage is shown, in case it helps.';

/** Options for one question. */
export interface AskOptions {
  /** Restrict the answer to one document. */
  docId?: string;
  /**
   * Restrict the search to a chapter or a range of chapters of `docId` (or of
   * the default text): "34", "30-35", "XII", or a title prefix. An unknown
   * chapter gets a one-line message instead of an answer.
   */
  chapter?: string;
  /**
   * A reader's limit: a reading group's position or a member's bookmark
   * (src/corpus/reading-limit.ts). Only `until.docId` is searched, up to the
   * end of chapter `until.through`, as a filter inside retrieval; the names and
   * words the decision reads are those of that text only, so a question is
   * decided the same whatever comes later. A declined question says exactly
   * `declinedWithinLimit(…)` ("Nothing up to chapter 12 answers this."), and
   * `chapter` is intersected with the limit. `until.week` is favoured in
   * ranking (rerank/week.ts).
   */
  until?: ReadingLimit;
  /** How many passages to return. Default 5. */
  limit?: number;
  /** Skip this many ranked passages (for "more passages"). Default 0. */
  offset?: number;
  /**
   * The question this message may follow up ("why?", "who else?", "tell me more"), for callers that
   * keep no conversation. Read by `Lectern.ask` through `answerMessage` in follow-up.ts: a follow-up is
   * answered from that question's answer, and a message with new content words is a new question.
   * {@link answerQuestion} itself always answers the message alone.
   */
  followUpOf?: string;
  /** Any setting of the answer path, by stage (config.ts); the rest keep their measured defaults. */
  ranking?: RankingOverrides;
  /**
   * Further restrictions on the passages searched, applied inside retrieval so
   * that k candidates still come back (a reading group's "not past chapter N").
   */
  filters?: readonly PassageFilter[];
  /**
   * Called after each stage with its name and how long it took (ms), so the
   * bench (bench/lib/stages.ts) times this code rather than a copy of it.
   */
  onStage?: (stage: AnswerStage, ms: number) => void;
}

/** The stages of {@link answerQuestion}, in order, as reported to `onStage`: "retrieve" includes fusion. */
export type AnswerStage = 'analyse' | 'embed' | 'retrieve' | 'rerank' | 'decide' | 'quote';

/** One passage's scores, as a stage left them. */
export interface ScoredPassage {
  passageId: string;
  score: number;
  dense: number;
  lexical: number;
}

/** What each stage of {@link answerQuestion} did, for evaluation, logs and `ask --explain`. */
export interface AnswerEvidence extends Evidence {
  analysis: {
    answerType: AnswerType;
    /** Passages favoured for a "who is…?" question, with their bonus. */
    introduced: [passageId: string, bonus: number][];
  };
  retrieval: {
    mode: RankingConfig['retrieve']['mode'];
    /** Units each retriever returned, and units of favoured passages scored besides. */
    found: { dense: number; lexical: number; seeded: number };
    topLexical: number;
    filtered: boolean;
  };
  /** The best candidates after fusion, before any reranker. */
  fused: ScoredPassage[];
  /** Which reranker moved which of the best candidates, in the order they ran. */
  rerank: RerankRecord[];
  /** The best candidates after the rerankers (scores not yet clamped to [0, 1]). */
  ranked: ScoredPassage[];
  /** The abstention rule that decided ("nothing-found" when no passage was ranked). */
  rule: string;
  /** The sentence scores the quote was chosen from (answer-type bonus included). */
  quote?: { passageId: string; sentenceScores: number[] };
}

/** An answer with the evidence behind it, for evaluation and logs. */
export interface AnswerWithEvidence {
  answer: Answer;
  evidence?: AnswerEvidence;
  /** The text that was actually searched. */
  searched?: string;
}

/**
 * Answers a question from a built index: search, choose a quote from the top
 * passage, decide whether the library addresses the question.
 *
 * @example
 * const { answer } = await answerQuestion(index, (q) => embedder.embedQueries([q]).then(v => v[0]), 'Who signed the communiqué?');
 * answer.quote?.text // "A Government communiqué, signed by Kalinin, …"
 */
export async function answerQuestion(
  index: SearchIndex,
  embedQuery: (text: string) => Promise<Float32Array>,
  rawQuestion: string,
  options: AskOptions = {},
): Promise<AnswerWithEvidence> {
  const cleaned = cleanQuestion(rawQuestion);
  const { text: read, truncated } = truncateQuestion(cleaned);
  // The question as searched (Discord markup and words in scripts the library does not use set aside) is what the reader is shown.
  const analysis = analyseQuestion(read, libraryScripts(index.library), options.ranking?.analyse);
  // A message that was only markup ("@everyone") is echoed as read, and gets usage text.
  const question = analysis.searched || read;
  const notices = [
    truncated ? longQuestionNotice() : '',
    analysis.setAside.length
      ? `Words in ${analysis.setAsideScripts.join(' and ')} script, which the texts do not use, were not searched.`
      : '',
  ].filter(Boolean);
  const notice = notices.length ? notices.join(' ') : undefined;
  const limit = Math.max(1, options.limit ?? 5);
  const offset = Math.max(0, options.offset ?? 0);

  if (isSmallTalk(analysis.searched)) {
    return {
      answer: { question, answered: false, status: 'help', message: usageMessage(index.library), notice, passages: [] },
    };
  }

  const reader = options.until ? readerOf(index.library, options.until) : undefined;
  if (typeof reader === 'string')
    return { answer: { question, answered: false, status: 'help', message: reader, notice, passages: [] } };
  const declined = (): AnswerWithEvidence => ({
    answer: { question, answered: false, status: 'abstained', message: reader!.declined, notice, passages: [] },
  });
  const docId = reader ? reader.doc.id : options.docId;

  let chapters: { docId: string; from: number; to: number } | undefined;
  if (options.chapter !== undefined && options.chapter.trim()) {
    const chapterDoc = docId ?? index.library.defaultDocument.id;
    const range = index.library.parseChapterRange(chapterDoc, options.chapter);
    if (typeof range === 'string')
      return { answer: { question, answered: false, status: 'help', message: range, notice, passages: [] } };
    chapters = { docId: chapterDoc, from: range.from, to: range.to };
    // Chapters past the limit are not searched; a range wholly past it is declined as any question would be.
    if (reader) {
      chapters.to = Math.min(chapters.to, reader.limit.through);
      if (chapters.from > chapters.to) return declined();
    }
  }

  // The question alone: follow-ups are answered from the conversation (follow-up.ts), never by gluing messages.
  const searched = question;
  const config = resolveRanking(options.ranking);
  let lapStart = performance.now();
  const lap = (stage: AnswerStage): void => {
    if (!options.onStage) return;
    const now = performance.now();
    options.onStage(stage, now - lapStart);
    lapStart = now;
  };

  // Under a limit, the index as if it held only the text up to the limit: its words, its names, its BM25 scores.
  const seen = reader ? withinScope(index, reader.scope) : index;

  // analyse: the question's terms and the first mentions of a name it asks about.
  const questionTerms = new Set(contentTerms(searched));
  const introduced = introductionBonuses(
    searched,
    index.library,
    seen.lexical,
    config.rerank.introduction,
    reader?.scope,
  );
  lap('analyse');
  const vector = await embedQuery(searched);
  lap('embed');

  // retrieve → fuse → rerank[]
  const filters: PassageFilter[] = [
    ...(docId ? [{ docId }] : []),
    ...(chapters ? [{ chapters }] : []),
    ...(reader ? [readingFilter(reader.scope)] : []),
    ...(options.filters ?? []),
  ];
  const result = rankPassages(seen, vector, searched, config, {
    filters,
    seeds: introduced.keys(),
    rerankers: RERANKERS,
    context: {
      answerType: analysis.answerType,
      questionTerms,
      introduced,
      ...(reader?.limit.week ? { week: { docId: reader.doc.id, ...reader.limit.week } } : {}),
    },
    onStage: lap,
  });

  // decide
  const evidence = await gatherEvidence({
    question: searched,
    topDense: result.topDense,
    vocabulary: seen.lexical,
    ranked: result.ranked,
    library: index.library,
    offTopic: index.offTopic,
    slot: config.decide.slot,
    scope: reader?.scope,
  });
  const decision =
    result.ranked.length > 0 ? decide(evidence, config.decide) : { answered: false, rule: 'nothing-found' };
  const answered = decision.answered;
  lap('decide');

  // quote: from the top passage's sentences, the same scores the answer-type reranker read.
  // A measured non-change: putting first, for "Why …?" questions, the related passage whose sentence
  // states a reason (because, in order to…) found ¶6 for "Why was Yagoda arrested?" but lost four
  // why-questions of the dev and validation sets (hit@1 90.5% → 85.7%, 88% → 80%), so ranking stays as searched.
  const top: RankedPassage | undefined = result.ranked[0];
  const sentenceScores = top
    ? typedSentenceScores(
        top.passage.sentences.map((s) => top.passage.text.slice(s.start, s.end)),
        result.sentenceScores(top.passage),
        analysis.answerType,
        questionTerms,
        config.quote.typeBonus,
      )
    : undefined;
  const quote = top && sentenceScores ? selectQuote(top.passage, sentenceScores, config.quote) : undefined;
  lap('quote');
  const passages = result.ranked
    .slice(offset, offset + limit)
    .map((r) => ({ ...r, score: Math.max(0, Math.min(1, r.score)) }));
  const answer: Answer = {
    question,
    answered,
    status: answered ? 'answered' : 'abstained',
    message: answered ? undefined : (reader?.declined ?? ABSTAIN_MESSAGE),
    notice,
    quote,
    passages,
  };
  const scored = (r: RankedPassage): ScoredPassage => ({
    passageId: r.passage.id,
    score: r.score,
    dense: r.dense,
    lexical: r.lexical,
  });
  return {
    answer,
    searched,
    evidence: {
      ...evidence,
      analysis: { answerType: analysis.answerType, introduced: [...introduced] },
      retrieval: {
        mode: config.retrieve.mode,
        found: result.found,
        topLexical: result.topLexical,
        filtered: filters.length > 0,
      },
      fused: result.fused.slice(0, EXPLAIN_DEPTH).map(scored),
      rerank: result.rerank,
      ranked: result.ranked.slice(0, EXPLAIN_DEPTH).map(scored),
      rule: decision.rule,
      ...(top && sentenceScores ? { quote: { passageId: top.passage.id, sentenceScores } } : {}),
    },
  };
}

/** A reader's limit, resolved against the library. */
export interface Reader {
  doc: LibraryDocument;
  limit: ReadingLimit;
  scope: PassageScope;
  /** What a declined question says: the same whether or not a later chapter answers it. */
  declined: string;
}

/** The limit's text and scope, or a one-line message when it names no text of the library. */
export function readerOf(library: Library, limit: ReadingLimit): Reader | string {
  const doc = library.getDocument(limit.docId);
  if (!doc) return `No text with id "${limit.docId}".`;
  return { doc, limit, scope: readingScope(doc, limit), declined: declinedWithinLimit(doc, limit.through) };
}

/** How many of the best fused candidates the evidence keeps. */
const EXPLAIN_DEPTH = 10;
