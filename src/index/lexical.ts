import MiniSearch, { type SearchResult } from 'minisearch';
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

/** A document of the lexical index: a whole passage or one of its sentences. */
export interface LexicalEntry {
  /** Unit label, shared with the dense index. */
  id: number;
  passageId: string;
  kind: UnitKind;
  text: string;
}

export type UnitKind = 'passage' | 'sentence';

const STOP_WORDS = new Set([...eng, 'did', 'does', 'do', 'according', 'say', 'says', 'said', 'tell', 'text', 'article', 'author']);

/** Words, keeping inner dots and apostrophes so "G.P.U." and "d’etat" stay one token. */
const WORD = /[\p{L}\p{N}]+(?:[.'’‘][\p{L}\p{N}]+)*\.?/gu;

/** Lower case, accents folded, "G.P.U." → "gpu", "Yagoda's" → "yagoda". */
export function normaliseWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘]s$/u, '')
    .replace(/[.'’‘]/gu, '');
}

/** Splits text into raw word tokens. */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** A token's index term, or null for stop words and noise. */
export function indexTerm(token: string): string | null {
  const word = normaliseWord(token);
  if (!word || STOP_WORDS.has(word)) return null;
  if (word.length < 2 && !/\d/.test(word)) return null;
  return stemmer(word);
}

/** The content terms of a question, in order, without duplicates. */
export function contentTerms(text: string): string[] {
  const terms = tokenize(text)
    .map(indexTerm)
    .filter((t): t is string => t !== null);
  return [...new Set(terms)];
}

const OPTIONS = {
  fields: ['text'],
  storeFields: ['passageId', 'kind'],
  tokenize,
  processTerm: indexTerm,
};

/** How lenient a term's match may be: spelling variants of names ("Rakovsky"/"Rakowsky") differ by an edit or two. */
function fuzziness(term: string): number | boolean {
  if (term.length >= 9) return 2;
  if (term.length >= 5) return 1;
  return false;
}

/** One BM25 hit. */
export interface LexicalHit {
  id: number;
  passageId: string;
  kind: UnitKind;
  score: number;
  /** Query terms this hit matched (exact or fuzzy), as index terms. */
  terms: string[];
}

/**
 * BM25 over passages and sentences (MiniSearch's inverted index, so a query
 * costs the postings of its terms, not a scan of the library).
 *
 * @example
 * const lexical = LexicalIndex.build(entries);
 * lexical.search('Rakovsky arrest') // hits for "Rakowsky"
 */
export class LexicalIndex {
  private constructor(private readonly mini: MiniSearch<LexicalEntry>) {}

  static build(entries: LexicalEntry[]): LexicalIndex {
    const mini = new MiniSearch<LexicalEntry>(OPTIONS);
    mini.addAll(entries);
    return new LexicalIndex(mini);
  }

  static fromJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<LexicalEntry>(json, OPTIONS));
  }

  toJSON(): string {
    return JSON.stringify(this.mini);
  }

  get size(): number {
    return this.mini.documentCount;
  }

  /** BM25 hits for a query, best first. Fuzzy matches count for less than exact ones. */
  search(query: string, kind?: UnitKind): LexicalHit[] {
    const results: SearchResult[] = this.mini.search(query, {
      fuzzy: (term) => fuzziness(term),
      maxFuzzy: 2,
      prefix: (term) => term.length >= 6,
      weights: { fuzzy: 0.5, prefix: 0.6 },
      combineWith: 'OR',
      filter: kind ? (result) => result.kind === kind : undefined,
    });
    return results.map((r) => ({
      id: r.id as number,
      passageId: r.passageId as string,
      kind: r.kind as UnitKind,
      score: r.score,
      terms: r.queryTerms,
    }));
  }

  /** Whether a term (already processed) occurs in the library, allowing a spelling variant. */
  knows(term: string): boolean {
    return this.mini.search(term, { fuzzy: fuzziness(term), maxFuzzy: 2, prefix: term.length >= 6, processTerm: (t) => t, tokenize: (t) => [t] }).length > 0;
  }
}
