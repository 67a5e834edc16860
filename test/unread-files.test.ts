/**
 * Issue 17, item 3: every file in texts/ that is not read is named, with why, whatever its extension;
 * --strict fails on it. Hidden files and sidecars are not texts and stay silent.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.js';
import { loadLibrary } from '../src/corpus/library.js';
import { CorpusError, SUPPORTED_FORMATS } from '../src/corpus/parse.js';

const FIXTURES = path.join(ROOT_DIR, 'test', 'fixtures');

describe('files in texts/ that are not read', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-unread-'));
    await cp(path.join(FIXTURES, 'formats', 'gutenberg-sample.txt'), path.join(dir, 'good.txt'));
    await writeFile(path.join(dir, 'good.txt.meta.json'), '{"author": "Someone Else"}');
    await cp(path.join(FIXTURES, 'broken', 'report.pdf'), path.join(dir, 'report.pdf'));
    await writeFile(path.join(dir, 'notes.xyz'), 'Some notes.\n');
    await writeFile(path.join(dir, 'README'), 'What this folder holds.\n');
    await mkdir(path.join(dir, 'drafts'));
    await writeFile(path.join(dir, '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
    await writeFile(path.join(dir, 'orphan.txt.meta.json'), '{"title": "No text"}');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names a PDF, an unknown extension, a file without one and a folder; not hidden files or sidecars', async () => {
    const warnings: string[] = [];
    const library = await loadLibrary(dir, { onSkip: (s) => warnings.push(s.reason) });
    expect(library.documents.map((d) => d.file)).toEqual(['good.txt']);
    expect(library.skipped.map((s) => s.file)).toEqual(['drafts', 'notes.xyz', 'README', 'report.pdf']);
    expect(warnings).toEqual([
      `drafts is a folder; Lectern reads only the files directly in ${dir}.`,
      `notes.xyz is not a supported format; Lectern reads ${SUPPORTED_FORMATS}.`,
      `README is not a supported format; Lectern reads ${SUPPORTED_FORMATS}.`,
      `report.pdf is a PDF; Lectern reads ${SUPPORTED_FORMATS}.`,
    ]);
    for (const w of warnings) expect(w).not.toContain('\n');
  });

  it('--strict fails on a PDF, naming it', async () => {
    const only = await mkdtemp(path.join(os.tmpdir(), 'lectern-unread-strict-'));
    try {
      await cp(path.join(FIXTURES, 'formats', 'gutenberg-sample.txt'), path.join(only, 'good.txt'));
      await cp(path.join(FIXTURES, 'broken', 'report.pdf'), path.join(only, 'report.pdf'));
      await expect(loadLibrary(only, { strict: true })).rejects.toThrow(CorpusError);
      await expect(loadLibrary(only, { strict: true })).rejects.toThrow(/^report\.pdf is a PDF/);
    } finally {
      await rm(only, { recursive: true, force: true });
    }
  });
});
