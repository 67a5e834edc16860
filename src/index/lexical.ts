import MiniSearch from 'minisearch';
import { indexTerm, tokenize } from '../text/analyser.js';

/** A document of the lexical index: a whole passage or one of its sentences. */
export interface LexicalEntry {
  /** Unit label, shared with the dense index. */
  id: number;
  passageId: string;
  kind: UnitKind;
  text: string;
}

export type UnitKind = 'passage' | 'sentence';
export const UNIT_KINDS: readonly UnitKind[] = ['passage', 'sentence'];

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

/** The passages a view of the index holds (see {@link LexicalIndex.within}); `key` names the scope for caching. */
export interface LexicalScope {
  key: string;
  allowsPassage(passageId: string): boolean;
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
 * BM25 over passages and, separately, over sentences (MiniSearch's inverted
 * index, so a query costs the postings of its terms, not a scan of the
 * library). Two indexes rather than one, because mixing long paragraphs with
 * short sentences skews both the average length that BM25 normalises by and
 * the rarity of every term.
 *
 * @example
 * const lexical = LexicalIndex.build(entries);
 * lexical.search('Rakovsky arrest') // hits for "Rakowsky"
 */
export class LexicalIndex {
  private constructor(
    private readonly byKind: Record<UnitKind, MiniSearch<LexicalEntry>>,
    /** Set on a view made by {@link within}: only these passages exist for it. */
    private readonly scope?: LexicalScope,
  ) {}

  /** Views by scope key, so a view's caches outlive one question (bounded: a few limits are in use at once). */
  private readonly views = new Map<string, LexicalIndex>();

  /**
   * The same index as if it held only the passages `scope` allows: searches,
   * BM25 normalisation (each term's best score) and what the vocabulary knows
   * all ignore the rest. A reading group's limit uses it, so that nothing past
   * the limit can change a ranking or a decision (src/search/ask.ts).
   */
  within(scope: LexicalScope): LexicalIndex {
    let view = this.views.get(scope.key);
    if (!view) {
      view = new LexicalIndex(this.byKind, scope);
      if (this.views.size >= 32) this.views.delete(this.views.keys().next().value as string);
      this.views.set(scope.key, view);
    }
    return view;
  }

  /** MiniSearch's filter for the scope, or undefined for the whole index. */
  private scoped(filter?: (id: number) => boolean): ((r: { id: unknown; passageId?: unknown }) => boolean) | undefined {
    const scope = this.scope;
    if (!scope && !filter) return undefined;
    return (r) => (!scope || scope.allowsPassage(r.passageId as string)) && (!filter || filter(r.id as number));
  }

  static build(entries: LexicalEntry[]): LexicalIndex {
    const byKind = { passage: new MiniSearch<LexicalEntry>(OPTIONS), sentence: new MiniSearch<LexicalEntry>(OPTIONS) };
    for (const kind of UNIT_KINDS) byKind[kind].addAll(entries.filter((e) => e.kind === kind));
    return new LexicalIndex(byKind);
  }

  static fromJSON(json: string): LexicalIndex {
    const parsed = JSON.parse(json) as Record<UnitKind, unknown>;
    const load = (kind: UnitKind) =>
      MiniSearch.loadJS<LexicalEntry>(parsed[kind] as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS);
    return new LexicalIndex({ passage: load('passage'), sentence: load('sentence') });
  }

  toJSON(): string {
    return JSON.stringify(this.byKind);
  }

  get size(): number {
    return this.byKind.passage.documentCount + this.byKind.sentence.documentCount;
  }

  /** Best single-term scores by kind and term. The index never changes once loaded, so they are computed once. */
  private readonly best = new Map<string, number>();

  /** The best score any unit of `kind` gets for `term` alone (fuzzy and prefix matches included); 0 when none matches. */
  private bestScore(kind: UnitKind, term: string): number {
    const key = `${kind}\u0000${term}`;
    let best = this.best.get(key);
    if (best === undefined) {
      best = 0;
      const filter = this.scoped();
      for (const r of this.byKind[kind].search(term, {
        ...LexicalIndex.searchOptions,
        processTerm: (t: string) => t,
        tokenize: (t: string) => [t],
        ...(filter ? { filter } : {}),
      }))
        best = Math.max(best, r.score);
      if (this.best.size > 50_000) this.best.clear(); // bound memory on a bot that runs for months
      this.best.set(key, best);
    }
    return best;
  }

  /**
   * How queries match. Spelling variants ("Rakovsky" for the text's
   * "Rakowsky", a reader's "captian") are matched for every term. Matching
   * them only for terms the library lacks was measured and rejected
   * (docs/evaluation.md): in a novel it turns "wont" and "stuck" into exact
   * matches only, and the Moby-Dick validation set lost two questions at hit@3.
   */
  private static readonly searchOptions = {
    fuzzy: (term: string) => fuzziness(term),
    maxFuzzy: 2,
    prefix: (term: string) => term.length >= 6,
    weights: { fuzzy: 0.5, prefix: 0.6 },
    combineWith: 'OR' as const,
  };

  /**
   * BM25 hits for a query, each with `normalised`: its score over the sum of
   * every query term's best single-term score among units of the same kind.
   * A unit that is the best match for every term scores 1; one that matches
   * only a term found everywhere (the text's subject, say) scores little.
   * Plain max-normalisation would give it 1 whenever nothing matches better.
   *
   * @param limit best hits kept per kind
   * @param filter keeps only units whose label passes (e.g. one document's)
   */
  search(
    query: string,
    limit = Infinity,
    filter?: (id: number) => boolean,
    kinds: readonly UnitKind[] = UNIT_KINDS,
  ): LexicalHit[] {
    const hits: LexicalHit[] = [];
    const terms = [...new Set(tokenize(query).map(indexTerm))].filter((term): term is string => term !== null);
    for (const kind of kinds) {
      const mini = this.byKind[kind];
      let ceiling = 0;
      let matched = 0;
      for (const term of terms) {
        const best = this.bestScore(kind, term);
        if (best > 0) matched++;
        ceiling += best;
      }
      if (matched === 0) continue;
      // A term the library lacks could have matched as well as an average term
      // did: counting it keeps a one-word match from looking like a full one.
      ceiling *= terms.length / matched;
      const scoped = this.scoped(filter);
      const results = mini.search(
        query,
        scoped ? { ...LexicalIndex.searchOptions, filter: scoped } : LexicalIndex.searchOptions,
      );
      for (const r of results.slice(0, limit)) {
        // MiniSearch multiplies an OR score by the number of query terms matched; undo that to compare with the ceiling.
        const raw = r.score / Math.max(1, r.queryTerms.length);
        hits.push({
          id: r.id as number,
          passageId: r.passageId as string,
          kind,
          score: r.score,
          normalised: Math.min(1, raw / ceiling),
          terms: r.queryTerms,
        });
      }
    }
    return hits;
  }

  /**
   * Whether a term (already processed) occurs in the library as it is, with no
   * spelling variant: in a novel's vocabulary nearly every word has a neighbour
   * one edit away ("seattle" ~ "settle"), so a name typed in lower case needs this.
   */
  knowsExactly(term: string): boolean {
    let known = this.exact.get(term);
    if (known === undefined) {
      const exact = {
        fuzzy: false,
        prefix: false,
        processTerm: (t: string) => t,
        tokenize: (t: string) => [t],
      } as const;
      const filter = this.scoped();
      known = UNIT_KINDS.some(
        (kind) => this.byKind[kind].search(term, filter ? { ...exact, filter } : exact).length > 0,
      );
      if (this.exact.size > 50_000) this.exact.clear(); // bounded, as `best`
      this.exact.set(term, known);
    }
    return known;
  }

  /** Whether each term looked up occurs as it is; the index never changes once loaded. */
  private readonly exact = new Map<string, boolean>();

  /**
   * Ids of the passages that hold every one of these terms (already
   * processed) exactly as they are, in no particular order: where a name is
   * mentioned, for "who is…?" questions (search/analyse/introduction.ts).
   */
  passagesWithAll(terms: readonly string[]): string[] {
    if (terms.length === 0) return [];
    return this.byKind.passage
      .search(terms.join(' '), {
        fuzzy: false,
        prefix: false,
        combineWith: 'AND',
        processTerm: (t: string) => t,
        tokenize: (t: string) => t.split(' '),
      })
      .map((r) => r.passageId as string)
      .filter((id) => !this.scope || this.scope.allowsPassage(id));
  }

  /** Whether a term (already processed) occurs in the library, allowing a spelling variant. */
  knows(term: string): boolean {
    // Sentences too: a header's lines (with the author's name) are indexed only as sentences.
    return UNIT_KINDS.some((kind) => this.bestScore(kind, term) > 0);
  }
}
