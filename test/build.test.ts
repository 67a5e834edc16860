import { INDEX_FORMAT } from '../src/index/store.js';
/**
 * Building an index as a stream: progress that counts what it says, a
 * build stopped by Ctrl-C or an abort leaving the previous index, re-runs
 * that embed only what is new, and a serving engine that keeps answering
 * while a worker thread rebuilds its index, then swaps the new one in.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../src/config.js';
import { Embedder } from '../src/embed/embedder.js';
import { buildIndex, type BuildEvent } from '../src/index/build.js';
import { loadIndex, readManifest } from '../src/index/store.js';
import { Lectern } from '../src/lectern.js';
import { killLeftovers, QUESTION, runUntilKilled, STACK_LINE, writeGeneratedTexts } from './reliability/helpers.js';
import { BUNDLED_DOC, BUNDLED_TEXT, makeWorkspace, type Workspace } from './support/workspace.js';

afterAll(killLeftovers);

/** A chapter of three paragraphs whose sentences are in no other text. */
const CHAPTER = [
  'The archive of the canal administration was moved twice that winter. Nobody could say who ordered it.',
  'A clerk remembered the crates, numbered in red chalk, stacked in the corridor for a week. Then they were gone.',
  'Years later the numbers turned up in an inventory of the Lubyanka cellars.',
];

async function addChapter(ws: Workspace): Promise<void> {
  const file = path.join(ws.config.textsDir, BUNDLED_TEXT);
  const content = await readFile(file, 'utf8');
  await writeFile(file, content.replace('\n\nLast updated on', `\n\n${CHAPTER.join('\n\n')}\n\nLast updated on`));
}

const embeddingEvents = (events: BuildEvent[]) =>
  events.filter((e): e is Extract<BuildEvent, { stage: 'embedding' }> => e.stage === 'embedding');

describe('a streaming build', () => {
  let ws: Workspace;
  let embedder: Embedder;
  beforeAll(async () => {
    ws = await makeWorkspace();
    embedder = await Embedder.load(loadCoreConfig({}).model);
  });
  afterAll(async () => {
    await embedder?.dispose();
    await ws?.cleanup();
  });

  it('reports progress in passages, with the units and word pieces done, ending at its total', async () => {
    const events: BuildEvent[] = [];
    const result = await buildIndex(ws.config, { embedder, onEvent: (e) => events.push(e) });
    const progress = embeddingEvents(events);
    expect(progress[0]).toMatchObject({ done: 0, units: 0, tokens: 0 });
    const last = progress.at(-1)!;
    // Every passage of the article is new: header and 10 body paragraphs.
    expect(last.total).toBe(result.manifest.counts.passages);
    expect(last.done).toBe(last.total);
    expect(last.units).toBe(result.manifest.counts.units);
    expect(last.tokens).toBe(result.tokens);
    expect(last.tokens).toBeGreaterThan(1000);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
      expect(progress[i]!.tokens).toBeGreaterThanOrEqual(progress[i - 1]!.tokens);
    }
    // The vectors went into HNSW as they came: every unit has one.
    const loaded = await loadIndex(ws.config.indexDir, result.manifest);
    expect(loaded.dense.getCurrentCount()).toBe(result.manifest.counts.units);
  });

  it('adding a chapter embeds that chapter and nothing else', async () => {
    const before = (await readManifest(ws.config.indexDir))!;
    await addChapter(ws);
    const events: BuildEvent[] = [];
    const result = await buildIndex(ws.config, { embedder, onEvent: (e) => events.push(e) });
    const newUnits = result.manifest.counts.units - before.counts.units;
    // Three paragraphs: two of two sentences (paragraph + 2 sentence units), one of one sentence.
    expect(newUnits).toBe(7);
    expect(result.embedded).toBe(newUnits);
    expect(result.reused).toBe(before.counts.units);
    expect(embeddingEvents(events).at(-1)).toMatchObject({ done: 3, total: 3, units: 7 });
    // The new paragraphs' vectors are those of a fresh build.
    const fresh = await buildIndex({ ...ws.config, indexDir: path.join(ws.dir, 'fresh') }, { embedder });
    const [a, b] = await Promise.all([
      loadIndex(ws.config.indexDir, result.manifest),
      loadIndex(path.join(ws.dir, 'fresh'), fresh.manifest),
    ]);
    for (const unit of a.units) {
      const x = a.dense.getPoint(unit.label);
      const y = b.dense.getPoint(unit.label);
      expect(x.reduce((s, v, i) => s + v * y[i]!, 0)).toBeGreaterThan(0.9999);
    }
  });

  it('a build stopped halfway is resumed by the next one, which embeds only the rest', async () => {
    const texts = path.join(ws.dir, 'texts-many');
    const config = { ...ws.config, textsDir: texts, indexDir: path.join(ws.dir, 'index-many') };
    // ~150 short texts: more word pieces than one streaming chunk, so a chunk is saved before the stop.
    await writeGeneratedTexts(texts, 150, { paragraphs: 3, sentences: 4 });
    const controller = new AbortController();
    let stoppedAt = 0;
    const first = buildIndex(config, {
      embedder,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.stage === 'embedding' && e.units > 0 && !controller.signal.aborted) {
          stoppedAt = e.units;
          controller.abort();
        }
      },
    });
    await expect(first).rejects.toThrow();
    expect(await readManifest(config.indexDir)).toBeNull();
    const second = await buildIndex(config, { embedder });
    expect(second.reused).toBe(stoppedAt);
    expect(second.embedded).toBe(second.manifest.counts.units - stoppedAt);
    // The checkpoint is gone once the index is written.
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(config.indexDir)).filter((f) => f.startsWith('.partial-'))).toEqual([]);
  });

  it('an aborted build leaves the previous index as it was', async () => {
    const before = await readFile(path.join(ws.config.indexDir, 'manifest.json'), 'utf8');
    await writeGeneratedTexts(ws.config.textsDir, 5);
    const controller = new AbortController();
    const build = buildIndex(ws.config, {
      embedder,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.stage === 'embedding') controller.abort();
      },
    });
    await expect(build).rejects.toThrow();
    expect(await readFile(path.join(ws.config.indexDir, 'manifest.json'), 'utf8')).toBe(before);
    const manifest = (await readManifest(ws.config.indexDir))!;
    await expect(loadIndex(ws.config.indexDir, manifest)).resolves.toBeDefined();
  });
});

describe('npm run embed stopped with Ctrl-C', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeWorkspace({ copyIndex: true });
  });
  afterAll(() => ws?.cleanup());

  it('stops with one line, exit code 130, and the previous index untouched', async () => {
    const texts = path.join(ws.dir, 'texts-more');
    await cp(ws.config.textsDir, texts, { recursive: true });
    await writeGeneratedTexts(texts, 30);
    const before = await readFile(path.join(ws.config.indexDir, 'manifest.json'), 'utf8');
    // SIGINT to the whole process group, as a terminal sends it on Ctrl-C.
    const run = await runUntilKilled(
      'scripts/embed.ts',
      ['--force'],
      { LECTERN_TEXTS_DIR: texts, LECTERN_INDEX_DIR: ws.config.indexDir },
      { stderr: (l) => l.startsWith('Embedding: ') },
      0,
      'SIGINT',
    );
    expect(run.trigger).toMatch(/^Embedding: \d+\/\d+ passages/);
    expect(run.code).toBe(130);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr).toMatch(/Build stopped\. The previous index in .* is unchanged/);
    expect(await readFile(path.join(ws.config.indexDir, 'manifest.json'), 'utf8')).toBe(before);
  });
});

describe('rebuilding while answering', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeWorkspace();
    const embedder = await Embedder.load(ws.config.model);
    await buildIndex(ws.config, { embedder });
    await embedder.dispose();
  });
  afterAll(() => ws?.cleanup());

  it('serves the stale index at once, keeps answering during the rebuild, then swaps the new index in', async () => {
    await addChapter(ws);
    let swapped!: (outcome: unknown) => void;
    const swap = new Promise((resolve) => (swapped = resolve));
    const lectern = await Lectern.open({ config: ws.config, onStale: 'background', onSwap: (o) => swapped(o) });
    try {
      const staleId = lectern.indexId;
      expect(lectern.rebuilding).toBe(true);
      expect(lectern.library.paragraphCount(BUNDLED_DOC)).toBe(10);
      let answered = 0;
      while (lectern.rebuilding) {
        const answer = await lectern.ask(QUESTION);
        expect(answer.status).toBe('answered');
        expect(answer.quote?.text).toContain('signed by Kalinin');
        answered++;
      }
      expect(answered).toBeGreaterThan(0);
      expect(await swap).toEqual({ manifest: expect.objectContaining({ format: INDEX_FORMAT }) });
      expect(lectern.indexId).not.toBe(staleId);
      expect(lectern.indexId).toBe((await readManifest(ws.config.indexDir))!.buildId);
      expect(lectern.library.paragraphCount(BUNDLED_DOC)).toBe(13);
      const answer = await lectern.ask('What was numbered in red chalk?');
      expect(answer.passages[0]?.passage.text).toContain('red chalk');
    } finally {
      await lectern.close();
    }
  });

  it('closing during a rebuild stops it and leaves the index on disk as it was', async () => {
    const file = path.join(ws.config.textsDir, BUNDLED_TEXT);
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        '\n\nLast updated on',
        '\n\nOne more paragraph, for a rebuild that will be stopped.\n\nLast updated on',
      ),
    );
    const before = await readFile(path.join(ws.config.indexDir, 'manifest.json'), 'utf8');
    const outcomes: unknown[] = [];
    const lectern = await Lectern.open({ config: ws.config, onStale: 'background', onSwap: (o) => outcomes.push(o) });
    expect(lectern.rebuilding).toBe(true);
    await lectern.close();
    expect(lectern.rebuilding).toBe(false);
    expect(await readFile(path.join(ws.config.indexDir, 'manifest.json'), 'utf8')).toBe(before);
    await new Promise((r) => setTimeout(r, 50));
    expect(outcomes).toEqual([{ error: expect.stringMatching(/stopped; the previous index is unchanged/) }]);
  });
});
