import { contentTerms } from '../text/analyser.js';
import { type LexicalIndex } from '../index/lexical.js';
import type { RankedPassage } from '../types.js';
import { holdsAnswerOfType } from './answer-type.js';
import { unknownNames } from './names.js';
import type { AnswerType } from './question.js';
import type { Library } from '../corpus/library.js';
import type { OffTopicBaseline } from '../index/calibration.js';
import { libraryNames, mayBeSlotQuestion, slotOf, statesSlot } from './slot.js';

/** Evidence that the library addresses a question. */
export interface Evidence {
  /** Best cosine similarity of the question to any passage or sentence. */
  topDense: number;
  /** Share of the question's content terms that occur in the library (spelling variants allowed). */
  coverage: number;
  /** Names in the question (capitalised words, acronyms, numbers) that the library never mentions under any alias. */
  unknownNames: string[];
  contentTerms: number;
  /** Share of the question's content terms found in the best passage itself (not anywhere in the library): scales to a book. */
  topCoverage: number;
  /** Fused score of the best passage. */
  topScore: number;
  /** Its lead over the second passage. */
  margin: number;
  /** Whether the best passage holds an answer of the question's type (undefined for types with no surface form). */
  typed?: boolean;
  /**
   * For a question that asks for a name or an age (see slot.ts): whether the
   * best passages state one next to what is asked about. Undefined for other questions.
   */
  slotStated?: boolean;
  /**
   * How far the best similarity stands above what unrelated questions reach in
   * this library, in standard deviations of theirs (index/calibration.ts).
   * Undefined when the index has no calibration.
   */
  offTopicZ?: number;
}

/** Thresholds of {@link decideAnswerable}. */
export interface AbstainOptions {
  /** Below this best similarity, a question with little word overlap is off-topic. */
  minDense: number;
  /** At or above this similarity, the question is on-topic whatever its words. */
  sureDense: number;
  /** Below this coverage, the question's words are mostly foreign to the library. */
  minCoverage: number;
  /**
   * Below this {@link Evidence.offTopicZ}, the question is no closer to the
   * library than unrelated questions are. Measured (docs/evaluation.md, issue
   * 9 second round, step 4): 1.0 leaves half the EPUB's off-topic questions
   * answered; 1.25 costs one false decline in the 96 answerable Moby-Dick
   * questions, 1.5 two, and neither declines every off-topic question alone.
   */
  minOffTopicZ: number;
  /**
   * Below this z, a question is declined when its best passage also holds
   * at most {@link minTopCoverage} of its words: two weak signals together
   * ("in great expectations who turns out to be pip's secret benefactor",
   * asked of a children's anthology: z 1.76, two words in six in its best
   * passage). With 1.25 above, every off-topic question of the book sets is
   * declined, for a second false decline on Moby-Dick.
   */
  weakOffTopicZ: number;
  /** See {@link weakOffTopicZ}: 0.34 is "a third of the question's words or fewer". */
  minTopCoverage: number;
}

export const DEFAULT_ABSTAIN_OPTIONS: AbstainOptions = {
  minDense: 0.3,
  sureDense: 0.55,
  minCoverage: 0.5,
  minOffTopicZ: 1.25,
  weakOffTopicZ: 2,
  minTopCoverage: 0.34,
};

/** Gathers the {@link Evidence} for a question. */
export async function gatherEvidence(
  question: string,
  topDense: number,
  lexical: LexicalIndex,
  ranked: readonly RankedPassage[] = [],
  answerType: AnswerType = 'other',
  library?: Library,
  offTopic?: OffTopicBaseline,
): Promise<Evidence> {
  const terms = contentTerms(question);
  const known = terms.filter((t) => lexical.knows(t));
  const top = ranked[0];
  const inTop = new Set(top ? contentTerms(top.passage.text) : []);
  const termSet = new Set(terms);
  return {
    topDense,
    coverage: terms.length ? known.length / terms.length : 0,
    unknownNames: await unknownNames(question, lexical),
    contentTerms: terms.length,
    topCoverage: terms.length ? terms.filter((t) => inTop.has(t)).length / terms.length : 0,
    topScore: top?.score ?? 0,
    margin: top ? top.score - (ranked[1]?.score ?? 0) : 0,
    typed: top ? holdsAnswerOfType(top.passage.text, answerType, termSet) : undefined,
    slotStated: library ? slotStated(question, library, ranked, termSet) : undefined,
    offTopicZ: offTopic && offTopic.sd > 0 ? (topDense - offTopic.mean) / offTopic.sd : undefined,
  };
}

function slotStated(
  question: string,
  library: Library,
  ranked: readonly RankedPassage[],
  questionTerms: ReadonlySet<string>,
): boolean | undefined {
  if (!mayBeSlotQuestion(question)) return undefined;
  const names = libraryNames(library);
  const slot = slotOf(question, names);
  return slot
    ? statesSlot(
        slot,
        ranked.map((r) => r.passage),
        names,
        questionTerms,
      )
    : undefined;
}

/**
 * Decides whether to answer. A question is answered when it is close in
 * meaning to some passage, or moderately close and made of words the texts
 * use. It is not answered when it names someone or something the texts never
 * mention (the text cannot say who replaced a person it does not name), or
 * when neither its meaning nor its words meet the texts.
 */
export function decideAnswerable(evidence: Evidence, options: Partial<AbstainOptions> = {}): boolean {
  const opts = { ...DEFAULT_ABSTAIN_OPTIONS, ...options };
  if (evidence.unknownNames.length > 0) return false;
  if (evidence.slotStated === false) return false;
  if (evidence.offTopicZ !== undefined) {
    if (evidence.offTopicZ < opts.minOffTopicZ) return false;
    if (evidence.offTopicZ < opts.weakOffTopicZ && evidence.topCoverage < opts.minTopCoverage) return false;
  }
  if (evidence.topDense >= opts.sureDense) return true;
  if (evidence.topDense < opts.minDense) return false;
  return evidence.coverage >= opts.minCoverage;
}
