/**
 * The identity of a build: every setting that decides what an index holds,
 * apart from the texts themselves. It is computed once per build
 * ({@link indexFingerprint}) and each question a build asks about identity is
 * a view of it, so a new setting is added in one place:
 *
 * | field                    | build id | stale index | reuse vectors | checkpoint |
 * | ------------------------ | -------- | ----------- | ------------- | ---------- |
 * | format                   | yes      | (1)         |               |            |
 * | chunking                 | yes      | yes         | yes           | yes        |
 * | model.id, model.dtype    | yes      | yes         | yes           | yes        |
 * | model.passagePrefix      | yes      | yes         | yes           | yes        |
 * | model.queryPrefix        | yes      | yes         |               |            |
 * | hnsw.M, efConstruction   | yes      | yes         | (2)           |            |
 * | sentenceVectors          | (3)      | (3)         | (3)           | yes        |
 * | the model's dimension    |          |             | yes (4)       | yes (4)    |
 *
 * (1) `readManifest` refuses an index of another format before any comparison.
 * (2) The graph is rebuilt from stored vectors: other graph settings do not
 *     make a vector wrong.
 * (3) Not hashed on its own: a pooled sentence's unit hash names its
 *     paragraph (units.ts), so the units, hashed into the build id and
 *     compared unit by unit when vectors are reused, already differ. Hashing
 *     it again would change the id of every committed index.
 * (4) Known only once the model is loaded, so passed beside the fingerprint.
 *
 * The query prefix takes no part in vectors: it only says how questions are
 * read, which a served index must match.
 */
import { createHash } from 'node:crypto';
import type { CoreConfig } from '../../config.js';
import type { Manifest } from '../store.js';
import { INDEX_FORMAT } from '../store.js';
import { CHUNKING_VERSION, SENTENCE_VECTORS, type SentenceVectors, type UnitWithText } from '../units.js';

/** Everything but the texts that decides a build's content; see the table above. */
export interface IndexFingerprint {
  /** {@link INDEX_FORMAT}: the layout of the files. */
  format: typeof INDEX_FORMAT;
  /** {@link CHUNKING_VERSION}: how texts are cut into units and analysed for BM25. */
  chunking: number;
  /** The embedding model and the prefixes read before passages and questions. */
  model: { id: string; dtype: string; queryPrefix: string; passagePrefix: string };
  /** How the vector graph is built (efSearch is a search setting, stored but no part of a build's identity). */
  hnsw: { M: number; efConstruction: number };
  /** How sentence vectors are made (units.ts). */
  sentenceVectors: SentenceVectors;
}

/** The fingerprint of a build of `config` (the model and graph settings in force now). */
export function indexFingerprint(
  config: Pick<CoreConfig, 'model' | 'hnsw'>,
  options: { sentenceVectors?: SentenceVectors } = {},
): IndexFingerprint {
  const { id, dtype, queryPrefix, passagePrefix } = config.model;
  return {
    format: INDEX_FORMAT,
    chunking: CHUNKING_VERSION,
    model: { id, dtype, queryPrefix, passagePrefix },
    hnsw: { M: config.hnsw.M, efConstruction: config.hnsw.efConstruction },
    sentenceVectors: options.sentenceVectors ?? SENTENCE_VECTORS,
  };
}

/** A text file as the build id and the staleness check see it. */
export interface FileEntry {
  file: string;
  hash: string;
}

/**
 * The id of a build: a hash of the fingerprint, the texts (read and skipped)
 * and the units cut from them. The hashed JSON keeps the shape it has always
 * had, so an index built before the fingerprint existed keeps its id.
 */
export function buildId(
  fingerprint: IndexFingerprint,
  corpus: { documents: readonly FileEntry[]; skipped: readonly FileEntry[] },
  units: readonly UnitWithText[],
): string {
  const { model, hnsw } = fingerprint;
  const hash = createHash('sha256').update(
    JSON.stringify({
      format: fingerprint.format,
      chunking: fingerprint.chunking,
      model: [model.id, model.dtype, model.queryPrefix, model.passagePrefix],
      hnsw: [hnsw.M, hnsw.efConstruction],
      documents: corpus.documents.map((d) => [d.file, d.hash]),
      skipped: corpus.skipped.map((d) => [d.file, d.hash]),
    }),
  );
  // The units themselves, so any change in how texts are cut or described gives a new build.
  for (const unit of units)
    hash.update(`${unit.passageId}|${unit.kind}|${unit.start}|${unit.end}|${unit.hash}|${unit.lexicalText ?? ''}\n`);
  return hash.digest('hex').slice(0, 12);
}

/** How a built index's settings differ from `fingerprint`, one reason per difference; empty when none does. */
export function fingerprintChanges(fingerprint: IndexFingerprint, manifest: Manifest): string[] {
  const reasons: string[] = [];
  const { model, hnsw } = fingerprint;
  if (manifest.model.id !== model.id || manifest.model.dtype !== model.dtype) {
    reasons.push(
      `it was built with ${manifest.model.id} (${manifest.model.dtype}), but ${model.id} (${model.dtype}) is configured`,
    );
  }
  if (manifest.model.queryPrefix !== model.queryPrefix || manifest.model.passagePrefix !== model.passagePrefix) {
    reasons.push('the model prefixes changed');
  }
  if (manifest.hnsw.M !== hnsw.M || manifest.hnsw.efConstruction !== hnsw.efConstruction) {
    // Rebuilt from the stored vectors: only the graph is built again.
    reasons.push(
      `its vector graph was built with M ${manifest.hnsw.M}, efConstruction ${manifest.hnsw.efConstruction}, but M ${hnsw.M}, efConstruction ${hnsw.efConstruction} is configured`,
    );
  }
  if (manifest.chunking !== fingerprint.chunking)
    reasons.push('it was cut into passages by an older version of Lectern');
  return reasons;
}

/**
 * True when the vectors stored in a built index are what this build would
 * compute for the same unit hashes: the same model, passage prefix and
 * cutting, and a model of this `dimension`.
 */
export function vectorsFit(fingerprint: IndexFingerprint, manifest: Manifest, dimension: number): boolean {
  return (
    manifest.chunking === fingerprint.chunking &&
    manifest.model.id === fingerprint.model.id &&
    manifest.model.dtype === fingerprint.model.dtype &&
    manifest.model.dimension === dimension &&
    manifest.model.passagePrefix === fingerprint.model.passagePrefix
  );
}

/**
 * Names the vectors a stopped build left behind (checkpoint.ts): the same key
 * means the same model, passage prefix, cutting and way of making sentence
 * vectors, so a resumed build never mixes in vectors of another setup.
 */
export function checkpointKey(fingerprint: IndexFingerprint, dimension: number): string {
  const { model } = fingerprint;
  return createHash('sha256')
    .update(
      JSON.stringify([
        model.id,
        model.dtype,
        model.passagePrefix,
        dimension,
        fingerprint.chunking,
        fingerprint.sentenceVectors,
      ]),
    )
    .digest('hex')
    .slice(0, 12);
}
