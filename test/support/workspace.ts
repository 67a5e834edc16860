import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCoreConfig, ROOT_DIR, type CoreConfig } from '../../src/config.js';

export const BUNDLED_TEXT = 'serge-the-end-of-henry-yagoda-1937.txt';
export const BUNDLED_DOC = 'serge-the-end-of-henry-yagoda-1937';

/**
 * A throw-away texts/ + embeddings/ pair with the bundled text copied in. Its
 * configuration names the index folder (as LECTERN_INDEX_DIR does), so it
 * stands alone: the repository's bundled index is never served or reused.
 */
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
  const config = workspaceConfig(dir, textsDir, indexDir);
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
  const config = workspaceConfig(dir, textsDir, path.join(dir, 'embeddings'));
  // Imported here: most users of this module only need the names above, not the model runtime.
  const { buildIndex } = await import('../../src/index/build.js');
  await buildIndex(config);
  return { dir, config, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function workspaceConfig(dir: string, textsDir: string, indexDir: string): CoreConfig {
  return loadCoreConfig({ LECTERN_TEXTS_DIR: textsDir, LECTERN_INDEX_DIR: indexDir, LECTERN_DATA_DIR: dir });
}
