/**
 * Stage 1 of a build: read and parse every text once. Everything later (the
 * units, the build id, whether a previous build is current) works from what
 * is read here; no later stage reads the texts folder again.
 */
import { textSourcesOf, type CoreConfig } from '../../config.js';
import { loadLibrary, type Library, type SkippedFile } from '../../corpus/library.js';
import type { Manifest } from '../store.js';
import type { FileEntry } from './fingerprint.js';
import type { BuildEvent } from './types.js';

/** The texts of a build, parsed, with what the manifest records of them. */
export interface Corpus {
  library: Library;
  /** The manifest's entry for each document read. */
  documents: Manifest['documents'];
  /** Files left out, with why and the hash they had. */
  skipped: SkippedFile[];
  /** Every file in the texts folder with its hash (documents and skipped alike), as the staleness check compares them. */
  files: FileEntry[];
}

/** Reads the texts of `config` (textSourcesOf); a bad file is skipped and told as a `skipped` event (or, with `strict`, fails the build). */
export async function readCorpus(
  config: Pick<CoreConfig, 'textsDir' | 'textSources'>,
  options: { strict?: boolean; onEvent?: (event: BuildEvent) => void } = {},
): Promise<Corpus> {
  const library = await loadLibrary(textSourcesOf(config), {
    strict: options.strict,
    onSkip: (s) => options.onEvent?.({ stage: 'skipped', file: s.file, reason: s.reason }),
  });
  const skipped = library.skipped.map(({ file, hash, reason }) => ({ file, hash, reason }));
  const documents = library.documents.map((d) => ({
    id: d.id,
    file: d.file,
    hash: d.hash,
    paragraphs: library.paragraphCount(d.id),
    chapters: d.chapters.length,
    words: d.wordCount,
  }));
  const files = [...documents, ...skipped].map(({ file, hash }) => ({ file, hash }));
  return { library, documents, skipped, files };
}
