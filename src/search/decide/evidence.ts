/**
 * Stage 5a, decide: the evidence that the library addresses a question, read
 * by the abstention rules (decide/rules.ts).
 */
import type { Library } from '../../corpus/library.js';
import type { OffTopicBaseline } from '../../index/calibration.js';
import { contentTerms } from '../../text/analyser.js';
import type { RankedPassage } from '../../types.js';
import { unknownNames } from '../analyse/names.js';
import { libraryNames, mayBeSlotQuestion, slotOf, statesSlot } from '../analyse/slot.js';
import { DEFAULT_RANKING_CONFIG, type DecideConfig } from '../config.js';
import type { PassageScope } from '../retrieve/filter.js';
import type { Vocabulary } from '../retrieve/lexical.js';

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

/** What {@link gatherEvidence} reads. */
export interface EvidenceSources {
  /** The question as searched. */
  question: string;
  /** Best dense similarity of any unit retrieved. */
  topDense: number;
  vocabulary: Vocabulary;
  /** The ranked passages, best first (for the best passage's coverage and the slot check). */
  ranked?: readonly RankedPassage[];
  /** The library, for the slot check's names; without it the slot check is skipped. */
  library?: Library;
  /** How close unrelated questions come to this library (index/calibration.ts). */
  offTopic?: OffTopicBaseline;
  slot?: DecideConfig['slot'];
  /** A reading limit: the slot check's names are those met within it. */
  scope?: PassageScope;
}

/** Gathers the {@link Evidence} for a question. */
export async function gatherEvidence(sources: EvidenceSources): Promise<Evidence> {
  const { question, topDense, vocabulary, ranked = [], library, offTopic } = sources;
  const slot = sources.slot ?? DEFAULT_RANKING_CONFIG.decide.slot;
  const terms = contentTerms(question);
  const known = terms.filter((t) => vocabulary.knows(t));
  const top = ranked[0];
  const inTop = new Set(top ? contentTerms(top.passage.text) : []);
  const termSet = new Set(terms);
  return {
    topDense,
    coverage: terms.length ? known.length / terms.length : 0,
    unknownNames: await unknownNames(question, vocabulary),
    contentTerms: terms.length,
    topCoverage: terms.length ? terms.filter((t) => inTop.has(t)).length / terms.length : 0,
    slotStated: library ? slotStated(question, library, ranked, termSet, slot, sources.scope) : undefined,
    offTopicZ: offTopic && offTopic.sd > 0 ? (topDense - offTopic.mean) / offTopic.sd : undefined,
  };
}

function slotStated(
  question: string,
  library: Library,
  ranked: readonly RankedPassage[],
  questionTerms: ReadonlySet<string>,
  options: DecideConfig['slot'],
  scope?: PassageScope,
): boolean | undefined {
  if (!mayBeSlotQuestion(question)) return undefined;
  const names = libraryNames(library, options.nameShare, scope);
  const slot = slotOf(question, names);
  return slot
    ? statesSlot(
        slot,
        ranked.map((r) => r.passage),
        names,
        questionTerms,
        options,
      )
    : undefined;
}
