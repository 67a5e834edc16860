import { contentTerms, tokenize, type LexicalIndex } from '../index/lexical.js';
import { unknownNames } from './names.js';

/** Evidence that the library addresses a question. */
export interface Evidence {
  /** Best cosine similarity of the question to any passage or sentence. */
  topDense: number;
  /** Share of the question's content terms that occur in the library (spelling variants allowed). */
  coverage: number;
  /** Names in the question (capitalised words, acronyms, numbers) that the library never mentions under any alias. */
  unknownNames: string[];
  contentTerms: number;
}

/** Thresholds of {@link decideAnswerable}. */
export interface AbstainOptions {
  /** Below this best similarity, a question with little word overlap is off-topic. */
  minDense: number;
  /** At or above this similarity, the question is on-topic whatever its words. */
  sureDense: number;
  /** Below this coverage, the question's words are mostly foreign to the library. */
  minCoverage: number;
}

export const DEFAULT_ABSTAIN_OPTIONS: AbstainOptions = { minDense: 0.3, sureDense: 0.55, minCoverage: 0.5 };

/** Capitalised words not at the start of the question, acronyms and numbers such as years: likely names and facts. */
export function candidateNames(question: string): string[] {
  const tokens = tokenize(question);
  return tokens.filter((token, i) => {
    const bare = token.replace(/[.'’‘]/g, '');
    if (bare.length < 2) return false;
    if (/^\p{Lu}{2,}$/u.test(bare) || /^\d+$/.test(bare)) return true;
    return i > 0 && /^\p{Lu}\p{Ll}/u.test(bare);
  });
}

/** Gathers the {@link Evidence} for a question. */
export async function gatherEvidence(question: string, topDense: number, lexical: LexicalIndex): Promise<Evidence> {
  const terms = contentTerms(question);
  const known = terms.filter((t) => lexical.knows(t));
  return { topDense, coverage: terms.length ? known.length / terms.length : 0, unknownNames: await unknownNames(question, lexical), contentTerms: terms.length };
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
  if (evidence.topDense >= opts.sureDense) return true;
  if (evidence.topDense < opts.minDense) return false;
  return evidence.coverage >= opts.minCoverage;
}
