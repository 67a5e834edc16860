/**
 * The ranking stages one by one, on synthetic candidates and scores, without
 * the model: fusion, each reranker and its records, the abstention rules, the
 * configuration, and filters inside retrieval (real hnswlib and MiniSearch
 * indexes over a small parsed text, with hand-made vectors).
 */
import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import { Library } from '../src/corpus/library.js';
import { parseDocument } from '../src/corpus/parse.js';
import { LexicalIndex } from '../src/index/lexical.js';
import { buildUnits } from '../src/index/units.js';
import { contentTerms } from '../src/text/analyser.js';
import { DEFAULT_RANKING_CONFIG, resolveRanking } from '../src/search/config.js';
import type { Evidence } from '../src/search/decide/evidence.js';
import { ABSTENTION_RULES, decide } from '../src/search/decide/rules.js';
import { fuse } from '../src/search/fuse.js';
import { answerTypeFit } from '../src/search/rerank/answer-type.js';
import { earlierPassages, firstMentions, shortPassages } from '../src/search/rerank/position.js';
import { runRerankers, type RerankContext } from '../src/search/rerank/reranker.js';
import { weekPassages } from '../src/search/rerank/week.js';
import { hnswRetriever } from '../src/search/retrieve/dense.js';
import { retrievalFilter } from '../src/search/retrieve/filter.js';
import { miniSearchRetriever } from '../src/search/retrieve/lexical.js';
import { retrieve, type UnitScore } from '../src/search/retrieve/retrieve.js';
import type { RankedPassage } from '../src/types.js';

const TEXT = `# The Harbour

## Chapter 1. Arrival

The ferry reached the harbour at dawn, and the gulls rose from the pier.

Quill.

The harbour master counted the boats because the storm had scattered them.

## Chapter 2. The Storm

The storm came from the north and broke three masts in the harbour.

The boats were counted again in the evening.

## Chapter 3. Leaving

The ferry left the harbour when the wind turned, and nobody counted the boats.
`;

const doc = parseDocument('harbour.md', TEXT);
const library = new Library([doc]);
const body = doc.passages.filter((p) => p.paragraph > 0);
const passage = (paragraph: number) => doc.passages.find((p) => p.paragraph === paragraph)!;
const candidate = (paragraph: number, score: number): RankedPassage => ({
  passage: passage(paragraph),
  score,
  dense: 0,
  lexical: 0,
});

function context(overrides: Partial<RerankContext> = {}): RerankContext {
  return {
    library,
    config: DEFAULT_RANKING_CONFIG.rerank,
    answerType: 'other',
    questionTerms: new Set(),
    introduced: new Map(),
    sentenceScores: () => [],
    ...overrides,
  };
}

describe('the parsed text the stages run on', () => {
  it('has six body paragraphs in three chapters', () => {
    expect(body.map((p) => p.chapter)).toEqual([1, 1, 1, 2, 2, 3]);
  });
});

describe('fuse', () => {
  const unit = (paragraph: number, kind: 'passage' | 'sentence', label: number) => ({
    label,
    passageId: passage(paragraph).id,
    kind,
    start: 0,
    end: passage(paragraph).text.length,
    hash: '',
  });
  const scores = new Map<string, UnitScore[]>([
    [
      passage(1).id,
      [
        { unit: unit(1, 'passage', 1), dense: 0.5, lexical: 0.2 },
        { unit: unit(1, 'sentence', 2), dense: 0.4, lexical: 0.9 },
      ],
    ],
    [passage(3).id, [{ unit: unit(3, 'passage', 5), dense: 0.7, lexical: 0.6 }]],
  ]);

  it('scores a passage by its best unit on each retriever, weighted by denseWeight', () => {
    const [first, second] = fuse(library, scores, 'hybrid', { denseWeight: 0.3 });
    expect(first!.passage.paragraph).toBe(1);
    expect(first!.score).toBeCloseTo(0.3 * 0.5 + 0.7 * 0.9, 10);
    expect(second!.score).toBeCloseTo(0.3 * 0.7 + 0.7 * 0.6, 10);
  });

  it('ranks by one retriever alone in dense and lexical modes', () => {
    expect(fuse(library, scores, 'dense', { denseWeight: 0.3 })[0]!.passage.paragraph).toBe(3);
    expect(fuse(library, scores, 'lexical', { denseWeight: 0.3 })[0]!.score).toBe(0.9);
  });
});

describe('rerankers', () => {
  it('earlier-passage: of two equal scores, the earlier passage wins', () => {
    const ranked = earlierPassages.rerank([candidate(6, 0.5), candidate(1, 0.5)], context());
    expect(ranked.map((r) => r.passage.paragraph)).toEqual([1, 6]);
    expect(ranked[0]!.score).toBeCloseTo(0.5 + 0.01 * (1 - 1 / 6), 10);
  });

  it('short-passage: a one-word line loses shortPenalty, and 0 words turns it off', () => {
    const [quill] = shortPassages.rerank([candidate(2, 0.5)], context());
    expect(quill!.score).toBeCloseTo(0.45, 10);
    const off = context({ config: { ...DEFAULT_RANKING_CONFIG.rerank, shortWords: 0 } });
    expect(shortPassages.rerank([candidate(2, 0.5)], off)[0]!.score).toBe(0.5);
  });

  it('first-mention: adds the analysis bonus to the passages it names, only those', () => {
    const ranked = firstMentions.rerank(
      [candidate(1, 0.6), candidate(2, 0.5)],
      context({ introduced: new Map([[passage(2).id, 0.2]]) }),
    );
    expect(ranked.map((r) => [r.passage.paragraph, r.score])).toEqual([
      [2, 0.7],
      [1, 0.6],
    ]);
  });

  it('week: adds weekBonus to the passages of the reader’s week only, and nothing without a week', () => {
    const candidates = [candidate(1, 0.52), candidate(4, 0.5), candidate(6, 0.4)];
    const week = { docId: doc.id, from: 2, to: 2 };
    const ranked = weekPassages.rerank(candidates, context({ week }));
    expect(ranked.map((r) => r.passage.paragraph)).toEqual([4, 1, 6]);
    expect(ranked[0]!.score).toBeCloseTo(0.5 + DEFAULT_RANKING_CONFIG.rerank.weekBonus, 10);
    expect(weekPassages.rerank(candidates, context())).toEqual(candidates);
    const off = context({ week, config: { ...DEFAULT_RANKING_CONFIG.rerank, weekBonus: 0 } });
    expect(weekPassages.rerank(candidates, off)).toEqual(candidates);
  });

  it('answer-type: lifts the passage whose sentence holds a reason, for a why-question', () => {
    const question = new Set(contentTerms('Why were the boats counted?'));
    const ranked = answerTypeFit.rerank(
      [candidate(5, 0.5), candidate(3, 0.48)],
      context({ answerType: 'reason', questionTerms: question, sentenceScores: () => [0.6] }),
    );
    expect(ranked[0]!.passage.paragraph).toBe(3);
  });

  it('records which reranker moved which passage, from where to where', () => {
    const { ranked, records } = runRerankers(
      [candidate(1, 0.6), candidate(2, 0.5), candidate(6, 0.4)],
      [shortPassages, firstMentions],
      context({ introduced: new Map([[passage(6).id, 0.25]]) }),
    );
    expect(ranked.map((r) => r.passage.paragraph)).toEqual([6, 1, 2]);
    expect(records.map((r) => r.reranker)).toEqual(['short-passage', 'first-mention']);
    expect(records[0]!.moves).toEqual([
      { passageId: passage(2).id, from: 2, to: 2, before: 0.5, after: expect.closeTo(0.45, 10) },
    ]);
    expect(records[1]!.moves.map((m) => [m.passageId, m.from, m.to])).toEqual([
      [passage(6).id, 3, 1],
      [passage(1).id, 1, 2],
      [passage(2).id, 2, 3],
    ]);
  });
});

describe('decide', () => {
  const ON_TOPIC: Evidence = { topDense: 0.6, coverage: 1, unknownNames: [], contentTerms: 4, topCoverage: 0.75 };

  it('names the rule that decided', () => {
    expect(decide(ON_TOPIC)).toEqual({ answered: true, rule: 'close-in-meaning' });
    expect(decide({ ...ON_TOPIC, unknownNames: ['Trotsky'] }).rule).toBe('unknown-name');
    expect(decide({ ...ON_TOPIC, slotStated: false }).rule).toBe('slot-not-stated');
    expect(decide({ ...ON_TOPIC, offTopicZ: 1 }).rule).toBe('off-topic');
    expect(decide({ ...ON_TOPIC, offTopicZ: 1.6, topCoverage: 0.2 }).rule).toBe('weak-and-uncovered');
    expect(decide({ ...ON_TOPIC, topDense: 0.2 })).toEqual({ answered: false, rule: 'far-in-meaning' });
    expect(decide({ ...ON_TOPIC, topDense: 0.4, coverage: 0.4 })).toEqual({ answered: false, rule: 'word-coverage' });
  });

  it('runs its rules in order, the first verdict winning', () => {
    expect(ABSTENTION_RULES.map((r) => r.name)).toEqual([
      'unknown-name',
      'slot-not-stated',
      'off-topic',
      'weak-and-uncovered',
      'close-in-meaning',
      'far-in-meaning',
      'word-coverage',
    ]);
    // Close in meaning, but naming what the text never mentions: the earlier rule declines.
    expect(decide({ ...ON_TOPIC, topDense: 0.9, unknownNames: ['Trotsky'] }).answered).toBe(false);
  });

  it('reads its thresholds from the configuration', () => {
    const strict = { ...DEFAULT_RANKING_CONFIG.decide, sureDense: 0.7 };
    expect(decide(ON_TOPIC, strict)).toEqual({ answered: true, rule: 'word-coverage' });
  });
});

describe('RankingConfig', () => {
  it('lays overrides over the defaults stage by stage, nested settings one level down', () => {
    const config = resolveRanking({ rerank: { introduction: { bonus: 0 } }, retrieve: { mode: 'dense' } });
    expect(config.rerank.introduction).toEqual({ ...DEFAULT_RANKING_CONFIG.rerank.introduction, bonus: 0 });
    expect(config.rerank.earlierBonus).toBe(DEFAULT_RANKING_CONFIG.rerank.earlierBonus);
    expect(config.retrieve).toEqual({ ...DEFAULT_RANKING_CONFIG.retrieve, mode: 'dense' });
    expect(resolveRanking()).toEqual(DEFAULT_RANKING_CONFIG);
  });
});

describe('filters inside retrieval', () => {
  // Real indexes over the text's units: MiniSearch as built for an index, and an HNSW graph whose
  // vectors are made by hand so that the nearest units are known (no model).
  const units = buildUnits(library);
  const lexical = LexicalIndex.build(
    units.map((u) => ({ id: u.label, passageId: u.passageId, kind: u.kind, text: u.text })),
  );
  const dim = 4;
  const vectorOf = (label: number): number[] => {
    const angle = label / units.length;
    return [Math.cos(angle), Math.sin(angle), 0, 0];
  };
  const graph = new hnswlib.HierarchicalNSW('cosine', dim);
  graph.initIndex(units.length);
  for (const u of units) graph.addPoint(vectorOf(u.label), u.label);
  graph.setEf(64);
  const sources = {
    units,
    unitsByPassage: new Map(
      body.concat(passage(0)).map((p) => [p.id, units.filter((u) => u.passageId === p.id)] as const),
    ),
    dense: hnswRetriever(graph, (labels) => labels.map(vectorOf)),
    lexical: miniSearchRetriever(lexical),
  };
  const query = new Float32Array(vectorOf(0));
  const passageIdOf = (label: number) => units[label]!.passageId;
  const config = { mode: 'hybrid' as const, denseCandidates: 3, lexicalCandidates: 64 };

  it('returns k dense candidates inside a chapter range, not k filtered down to fewer', () => {
    const filter = retrievalFilter(library, passageIdOf, [{ chapters: { docId: doc.id, from: 2, to: 3 } }]);
    const found = retrieve(sources, query, 'harbour boats', config, filter);
    expect(found.found.dense).toBe(3);
    const chapters = [...found.unitScores.keys()].map((id) => library.getPassageById(id)!.chapter);
    expect(chapters.length).toBeGreaterThan(0);
    expect(chapters.every((c) => c === 2 || c === 3)).toBe(true);
  });

  it('composes filters: a chapter range and an allowed-passage predicate both hold', () => {
    const filter = retrievalFilter(library, passageIdOf, [
      { docId: doc.id },
      { chapters: { docId: doc.id, from: 1, to: 2 } },
      { allows: (p) => (p.chapter ?? 0) < 2 },
    ]);
    expect(filter!.filters).toHaveLength(3);
    const found = retrieve(sources, query, 'harbour boats storm', config, filter);
    const chapters = [...found.unitScores.keys()].map((id) => library.getPassageById(id)!.chapter);
    expect(new Set(chapters)).toEqual(new Set([1]));
    expect(found.found.dense).toBe(3);
  });

  it('filters nothing when no filter is given', () => {
    expect(retrievalFilter(library, passageIdOf, [{}])).toBeUndefined();
    const found = retrieve(sources, query, 'storm', config, undefined);
    expect(found.found.dense).toBe(3);
    expect(found.topLexical).toBeGreaterThan(0);
  });

  it('scores the units of seeded passages neither retriever found', () => {
    const seeded = retrieve(sources, query, 'ferry', { ...config, denseCandidates: 1 }, undefined, [passage(5).id]);
    expect(seeded.unitScores.has(passage(5).id)).toBe(true);
    expect(seeded.found.seeded).toBeGreaterThan(0);
  });
});
