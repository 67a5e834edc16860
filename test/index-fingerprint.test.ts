/**
 * The identity of a build (src/index/build/fingerprint.ts), without the model:
 * the same texts and settings give the same fingerprint and build id (the
 * committed index's among them), and each setting that decides a build's
 * content changes the views of it that it should, and only those.
 */
import { readdir } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCoreConfig, type CoreConfig } from '../src/config.js';
import {
  buildId,
  checkpointKey,
  fingerprintChanges,
  indexFingerprint,
  vectorsFit,
  type IndexFingerprint,
} from '../src/index/build/fingerprint.js';
import { planBuild } from '../src/index/build/plan.js';
import { readCorpus } from '../src/index/build/read-corpus.js';
import { readManifest, type Manifest } from '../src/index/store.js';

const config = loadCoreConfig({});
const corpus = await readCorpus(config);
const committed = (await readManifest(config.bundledIndexDir!))!;

/** The build id of the bundled texts under `fingerprint`. */
const idOf = (fingerprint: IndexFingerprint) => planBuild(corpus, fingerprint).buildId;

/** `config` with one identity setting changed. */
const changes: { field: string; config: CoreConfig; vectorsChange: boolean }[] = [
  { field: 'model.id', config: { ...config, model: { ...config.model, id: 'another/model' } }, vectorsChange: true },
  { field: 'model.dtype', config: { ...config, model: { ...config.model, dtype: 'fp32' } }, vectorsChange: true },
  {
    field: 'model.passagePrefix',
    config: { ...config, model: { ...config.model, passagePrefix: 'passage: ' } },
    vectorsChange: true,
  },
  {
    field: 'model.queryPrefix',
    config: { ...config, model: { ...config.model, queryPrefix: 'query: ' } },
    vectorsChange: false,
  },
  { field: 'hnsw.M', config: { ...config, hnsw: { ...config.hnsw, M: 32 } }, vectorsChange: false },
  {
    field: 'hnsw.efConstruction',
    config: { ...config, hnsw: { ...config.hnsw, efConstruction: 64 } },
    vectorsChange: false,
  },
];

/** The committed manifest as a build with these settings would have written it. */
function manifestOf(fingerprint: IndexFingerprint, dimension = committed.model.dimension): Manifest {
  return {
    ...committed,
    format: fingerprint.format,
    chunking: fingerprint.chunking,
    model: { ...fingerprint.model, dimension },
    hnsw: { ...committed.hnsw, ...fingerprint.hnsw },
  };
}

describe('the index fingerprint', () => {
  it('gives the committed index its build id, and the same id for the same texts and settings', async () => {
    const fingerprint = indexFingerprint(config);
    expect(idOf(fingerprint)).toBe(committed.buildId);
    // Read again from scratch: nothing in a build's identity depends on when or how often it is computed.
    const again = indexFingerprint(loadCoreConfig({}));
    expect(again).toEqual(fingerprint);
    expect(planBuild(await readCorpus(config), again).buildId).toBe(committed.buildId);
    expect(fingerprintChanges(fingerprint, committed)).toEqual([]);
    expect(vectorsFit(fingerprint, committed, committed.model.dimension)).toBe(true);
  });

  it('keeps the checkpoint name a stopped build of the default setup left, so it is still resumed', () => {
    // Computed by the build before the fingerprint existed, for the default model (384 dimensions).
    expect(checkpointKey(indexFingerprint(config), 384)).toBe('5154439ffa04');
  });

  it.each(changes)('changing $field changes the fingerprint, the build id and the staleness check', (change) => {
    const before = indexFingerprint(config);
    const after = indexFingerprint(change.config);
    expect(after).not.toEqual(before);
    expect(idOf(after)).not.toBe(idOf(before));
    expect(fingerprintChanges(after, committed)).toHaveLength(1);
    expect(fingerprintChanges(after, manifestOf(after))).toEqual([]);
    // Vectors of the committed index serve a build whose change leaves vectors as they were (a new graph or query prefix).
    expect(vectorsFit(after, committed, committed.model.dimension)).toBe(!change.vectorsChange);
    expect(checkpointKey(after, 384) !== checkpointKey(before, 384)).toBe(change.vectorsChange);
  });

  it('changing how texts are cut or the files are laid out changes the build id; cutting also refuses old vectors', () => {
    const before = indexFingerprint(config);
    const chunking = { ...before, chunking: before.chunking + 1 };
    expect(idOf(chunking)).not.toBe(idOf(before));
    expect(fingerprintChanges(chunking, committed)).toEqual([
      'it was cut into passages by an older version of Lectern',
    ]);
    expect(vectorsFit(chunking, committed, 384)).toBe(false);
    expect(checkpointKey(chunking, 384)).not.toBe(checkpointKey(before, 384));
    const format = { ...before, format: (before.format + 1) as IndexFingerprint['format'] };
    expect(idOf(format)).not.toBe(idOf(before));
  });

  it('pooled sentence vectors change the units, so the build id, and name another checkpoint', () => {
    const separate = indexFingerprint(config, { sentenceVectors: 'separate' });
    const pooled = indexFingerprint(config, { sentenceVectors: 'pooled' });
    expect(pooled).not.toEqual(separate);
    expect(idOf(pooled)).not.toBe(idOf(separate));
    expect(checkpointKey(pooled, 384)).not.toBe(checkpointKey(separate, 384));
  });

  it("a model of another size never lends its vectors or its checkpoint, and efSearch is no part of a build's identity", () => {
    const fingerprint = indexFingerprint(config);
    expect(vectorsFit(fingerprint, committed, 768)).toBe(false);
    expect(checkpointKey(fingerprint, 768)).not.toBe(checkpointKey(fingerprint, 384));
    expect(indexFingerprint({ ...config, hnsw: { ...config.hnsw, efSearch: 512 } })).toEqual(fingerprint);
  });

  it('two settings give the same build id exactly when they are the same (any model, dtype, prefixes, graph)', () => {
    const settings = fc.record({
      id: fc.constantFrom(config.model.id, 'another/model'),
      dtype: fc.constantFrom('q4', 'fp32'),
      queryPrefix: fc.constantFrom('', 'query: '),
      passagePrefix: fc.constantFrom('', 'passage: '),
      M: fc.constantFrom(16, 32),
      efConstruction: fc.constantFrom(64, 200),
    });
    const fingerprintOf = (s: {
      id: string;
      dtype: string;
      queryPrefix: string;
      passagePrefix: string;
      M: number;
      efConstruction: number;
    }) =>
      indexFingerprint({
        model: {
          ...config.model,
          id: s.id,
          dtype: s.dtype,
          queryPrefix: s.queryPrefix,
          passagePrefix: s.passagePrefix,
        },
        hnsw: { ...config.hnsw, M: s.M, efConstruction: s.efConstruction },
      });
    // Units depend on the texts only: planned once, so each run hashes rather than re-cuts the article.
    const { units } = planBuild(corpus, indexFingerprint(config));
    fc.assert(
      fc.property(settings, settings, (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        expect(buildId(fingerprintOf(a), corpus, units) === buildId(fingerprintOf(b), corpus, units)).toBe(same);
      }),
      { seed: 18, numRuns: 200 },
    );
  });

  it('names every file of the texts folder, read or skipped, for the staleness check', async () => {
    const files = (await readdir(config.textsDir)).filter((f) => !f.startsWith('.') && !f.endsWith('.meta.json'));
    expect(corpus.files.map((f) => f.file).sort()).toEqual(files.sort());
  });
});
