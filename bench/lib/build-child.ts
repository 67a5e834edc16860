/**
 * A child process of `npm run bench`: builds one library's index from
 * scratch with one pipeline and reports time, CPU, word pieces and the
 * process's peak resident memory (its own, so the figure is the build's):
 *
 *   LECTERN_TEXTS_DIR=… LECTERN_INDEX_DIR=… BENCH_PIPELINE=current|pooled|baseline node dist/bench/lib/build-child.js
 *
 * - current: `npm run embed` as it is (buildIndex);
 * - pooled: the same with sentence vectors pooled from the paragraph's pass;
 * - baseline: the pipeline before issue 12, reproduced: units with the title
 *   in front however long it is, every unit through the Transformers.js
 *   feature-extraction pipeline (truncating at 512 word pieces) in
 *   length-sorted batches of 32, all vectors held, then HNSW and BM25.
 *
 * Prints one line `RESULT {json}` (see BuildRun).
 */
import { rm } from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import { loadCoreConfig } from '../../src/config.js';
import { loadLibrary } from '../../src/corpus/library.js';
import { Embedder } from '../../src/embed/embedder.js';
import { buildIndex } from '../../src/index/build.js';
import { LexicalIndex } from '../../src/index/lexical.js';
import { headerSearchText } from '../../src/index/units.js';

export interface BuildRun {
  pipeline: string;
  passages: number;
  units: number;
  /** Word pieces fed to the model (padding excluded). */
  tokens: number;
  /** Process start → index built, model load included. */
  wallMs: number;
  /** Of which: loading the model. */
  modelMs: number;
  /** CPU time of the process, all threads. */
  cpuMs: number;
  maxRssBytes: number;
}

const pipeline = process.env.BENCH_PIPELINE ?? 'current';
const config = loadCoreConfig();
const started = performance.now();
await rm(config.indexDir, { recursive: true, force: true });
let run: Omit<BuildRun, 'wallMs' | 'cpuMs' | 'maxRssBytes'>;
let timed: Pick<BuildRun, 'wallMs' | 'cpuMs'> | null = null;
const measure = (): Pick<BuildRun, 'wallMs' | 'cpuMs'> => {
  const usage = process.resourceUsage();
  return { wallMs: performance.now() - started, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
};

if (pipeline === 'current' || pipeline === 'pooled') {
  const embedder = await Embedder.load(config.model);
  const modelMs = performance.now() - started;
  const result = await buildIndex(config, {
    embedder,
    force: true,
    sentenceVectors: pipeline === 'pooled' ? 'pooled' : undefined,
  });
  run = {
    pipeline,
    passages: result.manifest.counts.passages,
    units: result.manifest.counts.units,
    tokens: result.tokens,
    modelMs,
  };
  await embedder.dispose();
} else {
  const embedder = await Embedder.load(config.model);
  const modelMs = performance.now() - started;
  const library = await loadLibrary(config.textsDir);
  // Today's units: the same passages and sentences, with the title in front of every body unit, uncapped.
  const texts: { text: string; lexical: string; passageId: string; kind: 'passage' | 'sentence' }[] = [];
  for (const doc of library.documents) {
    const context = `${doc.meta.title}. `;
    for (const passage of doc.passages) {
      if (passage.paragraph === 0)
        texts.push({
          text: headerSearchText(doc, passage, { names: true }),
          lexical: headerSearchText(doc, passage, { names: false }),
          passageId: passage.id,
          kind: 'passage',
        });
      else texts.push({ text: context + passage.text, lexical: passage.text, passageId: passage.id, kind: 'passage' });
      if (passage.sentences.length > 1) {
        for (const s of passage.sentences) {
          const sentence = passage.text.slice(s.start, s.end);
          texts.push({
            text: passage.paragraph === 0 ? sentence : context + sentence,
            lexical: sentence,
            passageId: passage.id,
            kind: 'sentence',
          });
        }
      }
    }
  }
  const distinct = [...new Set(texts.map((t) => t.text))];
  const vectors = await embedder.embedWithPipeline(distinct, 32);
  const byText = new Map(distinct.map((t, i) => [t, vectors[i]!]));
  const dense = new hnswlib.HierarchicalNSW('cosine', embedder.dimension);
  dense.initIndex({
    maxElements: Math.max(texts.length, 1),
    m: config.hnsw.M,
    efConstruction: config.hnsw.efConstruction,
    randomSeed: 42,
  });
  texts.forEach((t, label) => dense.addPoint(Array.from(byText.get(t.text)!), label));
  LexicalIndex.build(texts.map((t, id) => ({ id, passageId: t.passageId, kind: t.kind, text: t.lexical })));
  timed = measure();
  // Counted after the clock stopped: the word pieces the pipeline was fed (it truncates at 512).
  const tokens = distinct.reduce((n, t) => n + Math.min(512, embedder.countTokens(t)), 0);
  run = {
    pipeline,
    passages: library.documents.reduce((n, d) => n + d.passages.length, 0),
    units: texts.length,
    tokens,
    modelMs,
  };
  await embedder.dispose();
}
const result: BuildRun = { ...run, ...(timed ?? measure()), maxRssBytes: process.resourceUsage().maxRSS * 1024 };
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
