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

const STOP_WORDS = new Set([...eng, 'did', 'does', 'do', 'according', 'say', 'says', 'said', 'tell', 'mean', 'means']);

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
  /** Score in [0, 1]; see {@link LexicalIndex.search}. */
  normalised: number;
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

  private searchOptions(kind?: UnitKind) {
    return {
      fuzzy: (term: string) => fuzziness(term),
      maxFuzzy: 2,
      prefix: (term: string) => term.length >= 6,
      weights: { fuzzy: 0.5, prefix: 0.6 },
      combineWith: 'OR' as const,
      filter: kind ? (result: SearchResult) => result.kind === kind : undefined,
    };
  }

  /**
   * BM25 hits for a query, best first, each with `normalised`: its score over
   * the sum of every query term's best single-term score among units of the
   * same kind. A unit that is the best match for every term scores 1; one that
   * matches only a term found everywhere (the text's subject, say) scores
   * little, however rare better matches are. Plain max-normalisation would
   * give it 1 whenever nothing matches better.
   */
  search(query: string, kind?: UnitKind): LexicalHit[] {
    const options = this.searchOptions(kind);
    const results: SearchResult[] = this.mini.search(query, options);
    const ceiling = { passage: 0, sentence: 0 };
    const seen = new Set<string>();
    let unmatched = 0;
    let matched = 0;
    for (const token of tokenize(query)) {
      const term = indexTerm(token);
      if (term === null || seen.has(term)) continue;
      seen.add(term);
      const best = { passage: 0, sentence: 0 };
      for (const r of this.mini.search(token, options)) {
        const k = r.kind as UnitKind;
        best[k] = Math.max(best[k], r.score);
      }
      if (best.passage === 0 && best.sentence === 0) unmatched++;
      else matched++;
      ceiling.passage += best.passage;
      ceiling.sentence += best.sentence;
    }
    // A term the library lacks could have matched as well as an average term
    // did: counting it keeps a one-word match from looking like a full one.
    if (matched > 0) {
      ceiling.passage *= (matched + unmatched) / matched;
      ceiling.sentence *= (matched + unmatched) / matched;
    }
    return results.map((r) => ({
      id: r.id as number,
      passageId: r.passageId as string,
      kind: r.kind as UnitKind,
      score: r.score,
      // MiniSearch multiplies an OR score by the number of query terms matched; undo that to compare with the ceiling.
      normalised: Math.min(1, r.score / Math.max(1, r.queryTerms.length) / (ceiling[r.kind as UnitKind] || r.score)),
      terms: r.queryTerms,
    }));
  }

  /** Whether a term (already processed) occurs in the library, allowing a spelling variant. */
  knows(term: string): boolean {
    return this.mini.search(term, { fuzzy: fuzziness(term), maxFuzzy: 2, prefix: term.length >= 6, processTerm: (t) => t, tokenize: (t) => [t] }).length > 0;
  }
}
