import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig, ROOT_DIR } from '../src/config.js';
import { Embedder } from '../src/embed/embedder.js';
import { LecternError } from '../src/errors.js';
import { buildIndex, staleReasons } from '../src/index/build.js';
import { loadIndex, readManifest } from '../src/index/store.js';
import { Lectern } from '../src/lectern.js';
import { BUNDLED_TEXT, makeWorkspace, type Workspace } from './support/workspace.js';

/** Adds a paragraph at the end of the body, before the "Last updated" trailer. */
async function addParagraph(ws: Workspace, text: string): Promise<void> {
  const file = path.join(ws.config.textsDir, BUNDLED_TEXT);
  const content = await readFile(file, 'utf8');
  await writeFile(file, content.replace('\n\nLast updated on', `\n\n${text}\n\nLast updated on`));
}

let embedder: Embedder;
beforeAll(async () => {
  embedder = await Embedder.load(loadCoreConfig({}).model);
});
afterAll(() => embedder?.dispose());

describe('the committed index', () => {
  it('is current for texts/ and the configured model', async () => {
    const config = loadCoreConfig({});
    expect(config.bundledIndexDir).toBe(path.join(ROOT_DIR, 'embeddings'));
    const manifest = await readManifest(config.bundledIndexDir!);
    expect(manifest).not.toBeNull();
    expect(await staleReasons(config, manifest!)).toEqual([]);
    expect(manifest!.model).toMatchObject({ id: config.model.id, dtype: config.model.dtype, dimension: 384 });
    const loaded = await loadIndex(config.bundledIndexDir!, manifest!);
    expect(loaded.units.length).toBe(manifest!.counts.units);
  });
});

describe('building an index', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeWorkspace();
  });
  afterAll(() => ws?.cleanup());

  it('writes a manifest and round-trips the vectors, passages and lexical index', async () => {
    const result = await buildIndex(ws.config, { embedder });
    expect(result.upToDate).toBe(false);
    const m = result.manifest;
    expect(m).toMatchObject({
      format: 4,
      model: { id: ws.config.model.id, dtype: 'q4', dimension: 384 },
      counts: { documents: 1, passages: 11 },
    });
    expect(m.documents[0]).toMatchObject({ file: BUNDLED_TEXT, paragraphs: 10 });
    expect(m.documents[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    // Unrelated questions come close to a short article only by chance: far below the 0.37 of its own questions.
    expect(m.calibration?.offTopic.probes).toBeGreaterThan(30);
    expect(m.calibration!.offTopic.mean).toBeGreaterThan(0.05);
    expect(m.calibration!.offTopic.mean).toBeLessThan(0.3);
    expect(m.calibration!.offTopic.sd).toBeGreaterThan(0);

    const loaded = await loadIndex(ws.config.indexDir, m);
    expect(loaded.dense.getCurrentCount()).toBe(m.counts.units);
    expect(loaded.library.getPassage(loaded.library.defaultDocument.id, 4)?.text).toBe(
      'He watched over Stalin, whom he was seen to follow step by step on ceremonial occasions.',
    );
    // The stored vector of ¶4 is the model's vector of its text (with the title as context).
    const unit = loaded.units.find((u) => u.passageId.endsWith('#4') && u.kind === 'passage')!;
    const [fresh] = await embedder.embedPassages([
      `The End of Henry Yagoda. ${loaded.library.getPassageById(unit.passageId)!.text}`,
    ]);
    const stored = loaded.dense.getPoint(unit.label);
    expect(stored.reduce((s, x, i) => s + x * fresh![i]!, 0)).toBeGreaterThan(0.999);
    // Vectors read straight from the index file are hnswlib's own, for every unit.
    const labels = loaded.units.map((u) => u.label);
    const read = loaded.vectors!.read(labels);
    labels.forEach((label, i) => expect(Array.from(read[i]!)).toEqual(loaded.dense.getPoint(label)));
    expect(loaded.lexical.search('Kalinin communiqué')[0]?.passageId).toMatch(/#2$/);
  });

  it('does nothing when the index is current, and re-embeds only what changed', async () => {
    expect((await buildIndex(ws.config, { embedder })).upToDate).toBe(true);
    await addParagraph(ws, 'A new closing paragraph for the test.');
    expect(await staleReasons(ws.config, (await readManifest(ws.config.indexDir))!)).toEqual([
      `${BUNDLED_TEXT} changed`,
    ]);
    const result = await buildIndex(ws.config, { embedder });
    expect(result.upToDate).toBe(false);
    // The new one-sentence paragraph is the only new unit; everything else is reused.
    expect(result.embedded).toBe(1);
    expect(result.manifest.documents[0]!.paragraphs).toBe(11);
    // Only the current build's folder is left.
    const dirs = (await readdir(ws.config.indexDir)).filter((d) => d !== 'manifest.json');
    expect(dirs).toEqual([result.manifest.dir]);
  });

  it('rebuilds the vector graph from the stored vectors when its HNSW settings change', async () => {
    const config = { ...ws.config, hnsw: { ...ws.config.hnsw, efConstruction: 100 } };
    expect(await staleReasons(config, (await readManifest(ws.config.indexDir))!)).toEqual([
      `its vector graph was built with M 16, efConstruction ${ws.config.hnsw.efConstruction}, but M 16, efConstruction 100 is configured`,
    ]);
    const result = await buildIndex(config, { embedder });
    expect(result.embedded).toBe(0);
    expect(result.manifest.hnsw.efConstruction).toBe(100);
    expect(await staleReasons(config, result.manifest)).toEqual([]);
    await buildIndex(ws.config, { embedder });
  });

  it('keeps the previous index when a build fails halfway', async () => {
    const before = await readManifest(ws.config.indexDir);
    const bad = path.join(ws.config.textsDir, 'broken.txt');
    await writeFile(bad, Buffer.from([0x41, 0x0a, 0x0a, 0xff, 0xfe, 0x42]));
    // --strict (CI) is all-or-nothing: the bad file fails the build.
    await expect(buildIndex(ws.config, { embedder, strict: true })).rejects.toThrow(/broken\.txt is not valid UTF-8/);
    expect(await readManifest(ws.config.indexDir)).toEqual(before);
    await expect(loadIndex(ws.config.indexDir, before!)).resolves.toBeDefined();
    const { rm } = await import('node:fs/promises');
    await rm(bad);
  });

  it('skips a bad or empty file with a warning naming it, indexes the rest, and does not call the index stale for it', async () => {
    const bad = path.join(ws.config.textsDir, 'latin1.txt');
    const empty = path.join(ws.config.textsDir, 'empty.md');
    await writeFile(bad, Buffer.from('Caf\xe9 cr\xe8me.\n', 'latin1'));
    await writeFile(empty, '');
    const warnings: string[] = [];
    const { manifest } = await buildIndex(ws.config, {
      embedder,
      onEvent: (e) => e.stage === 'skipped' && warnings.push(e.reason),
    });
    expect(warnings).toEqual([
      'empty.md is empty.',
      'latin1.txt is not valid UTF-8; convert it to UTF-8 and try again.',
    ]);
    expect(manifest.documents.map((d) => d.file)).toEqual([BUNDLED_TEXT]);
    expect(manifest.skipped.map((s) => s.file)).toEqual(['empty.md', 'latin1.txt']);
    expect(await staleReasons(ws.config, manifest)).toEqual([]);
    await writeFile(bad, Buffer.from('Caf\xe9 noir.\n', 'latin1'));
    expect(await staleReasons(ws.config, manifest)).toEqual(['latin1.txt changed']);
    const { rm } = await import('node:fs/promises');
    await rm(bad);
    await rm(empty);
    expect(await staleReasons(ws.config, manifest)).toEqual([]);
    await buildIndex(ws.config, { embedder });
  });

  it('detects a new, changed or removed text, and another model', async () => {
    const manifest = (await readManifest(ws.config.indexDir))!;
    await writeFile(path.join(ws.config.textsDir, 'extra.md'), '# Extra\n\nOne paragraph.\n');
    expect(await staleReasons(ws.config, manifest)).toContain('extra.md is new');
    const { rm } = await import('node:fs/promises');
    await rm(path.join(ws.config.textsDir, 'extra.md'));
    const other = { ...ws.config, model: { ...ws.config.model, id: 'Xenova/bge-small-en-v1.5' } };
    expect((await staleReasons(other, manifest))[0]).toMatch(/built with onnx-community\/all-MiniLM-L6-v2-ONNX/);
  });

  it('refuses a stale index with a message naming npm run embed', async () => {
    await addParagraph(ws, 'Another paragraph.');
    await expect(Lectern.open({ config: ws.config })).rejects.toThrow(
      /out of date: .*changed\. Rebuild it with `npm run embed`/,
    );
  });

  it('rebuilds a stale index when asked to', async () => {
    const reasons: string[][] = [];
    const lectern = await Lectern.open({ config: ws.config, onStale: 'rebuild', onRebuild: (r) => reasons.push(r) });
    expect(reasons[0]).toEqual([`${BUNDLED_TEXT} changed`]);
    expect(lectern.library.paragraphCount(lectern.library.defaultDocument.id)).toBe(12);
    await lectern.close();
  });

  it('reports a corrupt, truncated or hand-edited file clearly', async () => {
    const manifest = (await readManifest(ws.config.indexDir))!;
    const file = path.join(ws.config.indexDir, manifest.dir, 'dense.hnsw');
    const original = await readFile(file);
    await writeFile(file, original.subarray(0, 100));
    await expect(loadIndex(ws.config.indexDir, manifest)).rejects.toThrow(LecternError);
    await expect(Lectern.open({ config: ws.config })).rejects.toThrow(/corrupt or was edited.*npm run embed/);
    await writeFile(file, original);
    const manifestFile = path.join(ws.config.indexDir, 'manifest.json');
    await writeFile(manifestFile, '{"format": 1, "buil');
    await expect(Lectern.open({ config: ws.config })).rejects.toThrow(/not valid JSON.*npm run embed/);
    await writeFile(manifestFile, JSON.stringify({ ...manifest, model: { ...manifest.model, dimension: 768 } }));
    await expect(Lectern.open({ config: ws.config })).rejects.toThrow(/768-dimensional.*npm run embed/);
  });

  it('names npm run embed when there is no index at all', async () => {
    const empty = { ...ws.config, indexDir: path.join(ws.dir, 'nothing-here') };
    await expect(Lectern.open({ config: empty })).rejects.toThrow(
      /No index in .*nothing-here\. Build it with `npm run embed`/,
    );
  });
});
