/**
 * The answer path cut into stages, timed one by one: the real
 * `answerQuestion` (src/search/ask.ts) reports each stage through its
 * `onStage` hook, so the split adds up to (about) the whole answer measured
 * through `Lectern.ask`; its search stage is split by timing the HNSW and
 * BM25 calls made inside it.
 */
import hnswlib from 'hnswlib-node';
import { formatAnswer } from '../../src/answer/format.js';
import type { CoreConfig } from '../../src/config.js';
import { Embedder } from '../../src/embed/embedder.js';
import { loadIndex, readManifest } from '../../src/index/store.js';
import { toSearchIndex } from '../../src/lectern.js';
import { answerQuestion, type AnswerStage } from '../../src/search/ask.js';
import { DEFAULT_RANKING_CONFIG } from '../../src/search/config.js';
import { searchPassages, type SearchIndex } from '../../src/search/search.js';
import { summarise, type LatencySummary } from './stats.js';

export const STAGES = ['embed', 'dense', 'bm25', 'fusion', 'evidence', 'quote', 'format'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageTimings {
  /** Per stage: latency summary in ms. "fusion" is searchPassages minus its dense and BM25 retrievals. */
  stages: Record<Stage, LatencySummary>;
  /** Sum of the stages per question. */
  total: LatencySummary;
  /** Mean BM25 hits kept per question (at most lexicalCandidates per kind): what fusion touches. */
  meanLexicalHits: number;
  /** Mean units matching some query term: what BM25 scores before keeping the best; grows with the library. */
  meanLexicalMatches: number;
  /** Mean units scored per question (dense candidates ∪ BM25 hits). */
  meanUnitsScored: number;
}

export interface RecallReport {
  efSearch: number;
  units: number;
  /** Distinct vectors among the units: duplicates make HNSW's job harder. */
  distinctVectors: number;
  /** searchKnn(q, 10), as in the vector benchmark. */
  recallAt10: number;
  /** The best 10 of searchKnn(q, denseCandidates), as the answer path asks: what answers actually get. */
  recallAt10OfCandidates: number;
  /** recall@10 of an HNSW index (same M, efConstruction, efSearch) holding each distinct vector once. */
  recallAt10Distinct: number;
}

/**
 * Recall@10 of HNSW over `points` (each once) against brute force: separates
 * how HNSW does on real MiniLM vectors from the cost of duplicate vectors.
 */
function distinctRecall(
  points: number[][],
  queries: number[][],
  params: { M: number; efConstruction: number },
  efSearch: number,
): number {
  const dim = points[0]!.length;
  const exact = new hnswlib.BruteforceSearch('cosine', dim);
  const graph = new hnswlib.HierarchicalNSW('cosine', dim);
  exact.initIndex(points.length);
  graph.initIndex({ maxElements: points.length, m: params.M, efConstruction: params.efConstruction, randomSeed: 42 });
  points.forEach((p, i) => {
    exact.addPoint(p, i);
    graph.addPoint(p, i);
  });
  graph.setEf(efSearch);
  let hits = 0;
  for (const q of queries) {
    const kth = Math.max(...exact.searchKnn(q, 10).distances);
    hits += graph.searchKnn(q, 10).distances.filter((d) => d <= kth + 1e-6).length;
  }
  return hits / (10 * queries.length);
}

export interface Stages {
  measure(questions: readonly string[], rounds: number): Promise<StageTimings>;
  recall(questions: readonly string[]): Promise<RecallReport>;
  close(): Promise<void>;
}

/** A proxy of `target` that reports how long each call of `method` took and what it returned. */
function intercept<T extends object>(
  target: T,
  method: keyof T & string,
  report: (ms: number, result: unknown) => void,
): T {
  return new Proxy(target, {
    get(obj, key) {
      const value = Reflect.get(obj, key, obj) as unknown;
      if (typeof value !== 'function') return value;
      if (key !== method) return (value as (...a: unknown[]) => unknown).bind(obj);
      return (...args: unknown[]) => {
        const start = performance.now();
        const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        report(performance.now() - start, result);
        return result;
      };
    },
  });
}

/** Builds the search index the way src/lectern.ts does. */

export async function openStages(config: CoreConfig): Promise<Stages> {
  const manifest = await readManifest(config.indexDir);
  if (!manifest) throw new Error(`no index in ${config.indexDir}`);
  const index = toSearchIndex(await loadIndex(config.indexDir, manifest));
  index.dense.setEf(config.hnsw.efSearch);
  const embedder = await Embedder.load(config.model);

  // Time spent inside the retrievers during searchPassages, so one call is split exactly:
  // dense = HNSW searchKnn, bm25 = LexicalIndex.search, fusion = the rest (including
  // reading stored vectors back for units found only lexically).
  const inside = { dense: 0, bm25: 0, lexicalHits: 0 };
  const timedIndex: SearchIndex = {
    ...index,
    dense: intercept(index.dense, 'searchKnn', (ms) => (inside.dense += ms)),
    lexical: intercept(index.lexical, 'search', (ms, hits) => {
      inside.bm25 += ms;
      inside.lexicalHits += (hits as unknown[]).length;
    }),
  };

  /** One question through the real answerQuestion, timed by its onStage hook, then formatted as Lectern.ask does; ms per stage. */
  async function once(
    raw: string,
  ): Promise<{ ms: Record<Stage, number>; lexicalHits: number; lexicalMatches: number; unitsScored: number }> {
    const laps: Partial<Record<AnswerStage, number>> = {};
    Object.assign(inside, { dense: 0, bm25: 0, lexicalHits: 0 });
    let vector: Float32Array | undefined;
    const embedQuery = async (text: string): Promise<Float32Array> =>
      (vector = (await embedder.embedQueries([text]))[0]!);
    const { answer, searched } = await answerQuestion(timedIndex, embedQuery, raw, {
      onStage: (stage, ms) => (laps[stage] = ms),
    });
    const started = performance.now();
    formatAnswer(answer, index.library);
    const format = performance.now() - started;
    const question = searched ?? answer.question;
    // Untimed: what searchPassages scored (dense candidates ∪ BM25 hits), and every unit matching some query term,
    // i.e. what MiniSearch scores before the candidate limit applies.
    let unitsScored = 0;
    if (vector)
      for (const list of searchPassages(index, vector, question).unitScores.values()) unitsScored += list.length;
    const lexicalMatches = index.lexical.search(question).length;
    // analyse, retrieve (with fusion) and rerank: what the old single "search" stage timed.
    const search = (laps.analyse ?? 0) + (laps.retrieve ?? 0) + (laps.rerank ?? 0);
    const ms = {
      embed: laps.embed ?? 0,
      dense: inside.dense,
      bm25: inside.bm25,
      fusion: search - inside.dense - inside.bm25,
      evidence: laps.decide ?? 0,
      quote: laps.quote ?? 0,
      format,
    };
    return { ms, lexicalHits: inside.lexicalHits, lexicalMatches, unitsScored };
  }

  return {
    async measure(questions, rounds) {
      for (const q of questions) await once(q); // warm-up
      const samples = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>;
      const totals: number[] = [];
      let lexicalHits = 0;
      let lexicalMatches = 0;
      let unitsScored = 0;
      for (let round = 0; round < rounds; round++) {
        for (const q of questions) {
          const run = await once(q);
          for (const s of STAGES) samples[s].push(run.ms[s]);
          totals.push(STAGES.reduce((sum, s) => sum + run.ms[s], 0));
          lexicalHits += run.lexicalHits;
          lexicalMatches += run.lexicalMatches;
          unitsScored += run.unitsScored;
        }
      }
      const n = rounds * questions.length;
      return {
        stages: Object.fromEntries(STAGES.map((s) => [s, summarise(samples[s])])) as Record<Stage, LatencySummary>,
        total: summarise(totals),
        meanLexicalHits: lexicalHits / n,
        meanLexicalMatches: lexicalMatches / n,
        meanUnitsScored: unitsScored / n,
      };
    },

    /** HNSW recall@10 on the library's real vectors, with the dev questions as queries, against brute force. */
    async recall(questions) {
      const count = index.dense.getCurrentCount();
      const exact = new hnswlib.BruteforceSearch('cosine', manifest.model.dimension);
      exact.initIndex(count);
      const distinct = new Map<string, number[]>();
      for (const label of index.dense.getIdsList()) {
        const point = index.dense.getPoint(label);
        distinct.set(point.join(','), point);
        exact.addPoint(point, label);
      }
      const vectors = (await embedder.embedQueries([...questions])).map((v) => Array.from(v));
      const candidates = Math.min(DEFAULT_RANKING_CONFIG.retrieve.denseCandidates, count);
      const kthOf = (search: (q: number[], k: number) => { distances: number[] }, q: number[]) =>
        Math.max(...search(q, 10).distances);
      const within = (distances: number[], kth: number) =>
        Math.min(10, distances.filter((d) => d <= kth + 1e-6).length);
      let hits = 0;
      let candidateHits = 0;
      for (const q of vectors) {
        const kth = kthOf((v, k) => exact.searchKnn(v, k), q);
        hits += within(index.dense.searchKnn(q, 10).distances, kth);
        candidateHits += within(index.dense.searchKnn(q, candidates).distances, kth);
      }
      const n = 10 * vectors.length;
      return {
        efSearch: index.dense.getEf(),
        units: count,
        distinctVectors: distinct.size,
        recallAt10: hits / n,
        recallAt10OfCandidates: candidateHits / n,
        recallAt10Distinct: distinctRecall([...distinct.values()], vectors, manifest.hnsw, index.dense.getEf()),
      };
    },

    close: () => embedder.dispose(),
  };
}
