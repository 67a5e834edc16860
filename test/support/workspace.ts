import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCoreConfig, ROOT_DIR, type CoreConfig } from '../../src/config.js';

export const BUNDLED_TEXT = 'serge-the-end-of-henry-yagoda-1937.txt';
export const BUNDLED_DOC = 'serge-the-end-of-henry-yagoda-1937';

/** A throw-away texts/ + embeddings/ pair with the bundled text copied in. */
export interface Workspace {
  dir: string;
  config: CoreConfig;
  cleanup(): Promise<void>;
}

export async function makeWorkspace(options: { copyIndex?: boolean } = {}): Promise<Workspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-test-'));
  const textsDir = path.join(dir, 'texts');
  const indexDir = path.join(dir, 'embeddings');
  await cp(path.join(ROOT_DIR, 'texts'), textsDir, { recursive: true });
  if (options.copyIndex) await cp(path.join(ROOT_DIR, 'embeddings'), indexDir, { recursive: true });
  const config = { ...loadCoreConfig({}), textsDir, indexDir };
  return { dir, config, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A throw-away library of test fixtures (paths under test/fixtures, e.g.
 * "formats/lighthouse-epub2.epub"), indexed with the real model.
 */
export async function makeFixtureWorkspace(fixtures: readonly string[]): Promise<Workspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-test-'));
  const textsDir = path.join(dir, 'texts');
  await mkdir(textsDir, { recursive: true });
  for (const fixture of fixtures)
    await cp(path.join(ROOT_DIR, 'test', 'fixtures', fixture), path.join(textsDir, path.basename(fixture)));
  const config = { ...loadCoreConfig({}), textsDir, indexDir: path.join(dir, 'embeddings') };
  // Imported here: most users of this module only need the names above, not the model runtime.
  const { buildIndex } = await import('../../src/index/build.js');
  await buildIndex(config);
  return { dir, config, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
