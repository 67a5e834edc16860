/**
 * Issue 17: a serving process and a build in another process, side by side;
 * and where a user's builds go (never into the committed embeddings/).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig, ROOT_DIR } from '../src/config.js';
import { Embedder } from '../src/embed/embedder.js';
import { buildIndex } from '../src/index/build.js';
import { loadIndex, readManifest, type Manifest } from '../src/index/store.js';
import { Lectern } from '../src/lectern.js';
import { BUNDLED_TEXT, makeWorkspace, type Workspace } from './support/workspace.js';

const TSX = path.join(ROOT_DIR, 'node_modules', '.bin', 'tsx');
const QUESTION = 'Who signed the communiqué?';
const NEW_PARAGRAPH = 'Ambrose Penhallow, the keeper of the archive, painted the reading room a pale sea green.';

/** Adds a paragraph at the end of the body, before the "Last updated" trailer. */
async function addParagraph(ws: Workspace, text: string): Promise<void> {
  const file = path.join(ws.config.textsDir, BUNDLED_TEXT);
  const content = await readFile(file, 'utf8');
  await writeFile(file, content.replace('\n\nLast updated on', `\n\n${text}\n\nLast updated on`));
}

/** Waits until `condition` holds, checking after each turn of the event loop's timers, for at most `ms`. */
async function waitFor(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every file under `dir` with its size, modification time and content hash. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file);
    const hash = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    files[path.relative(dir, file)] = `${info.size} ${info.mtimeMs} ${hash}`;
  }
  return files;
}

function plainEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...extra };
}

/**
 * A harbour log of 40 paragraphs, so that the library has more search units
 * (about 150) than the 64 dense candidates of a search: answers then read
 * stored vectors from the index file (those of units found only by BM25 — many
 * entries were "signed" — and of the quoted passage's sentences), which is
 * what failed once another process had replaced the build.
 */
function harbourLog(): string {
  const keepers = ['Morwenna Tregear', 'Jory Pascoe', 'Elowen Nance', 'Tobias Jago', 'Demelza Rowe'];
  const ships = ['the Curlew', 'the Brisk', 'the Margaret Ann', 'the Heron', 'the Providence', 'the Lark'];
  const places = ['the north pier', 'Gull Rock', 'the breakwater', 'the old quay', 'the harbour mouth'];
  const weather = ['a south-westerly gale', 'thick fog', 'a hard frost', 'driving rain', 'a heavy swell'];
  const paragraphs = ['# The Harbour Log', ''];
  for (let i = 0; i < 40; i++) {
    const year = 1850 + i;
    paragraphs.push(
      `In ${year} ${keepers[i % 5]} kept the log through ${weather[i % 5]}. ` +
        `${ships[i % 6]} came in past ${places[(i + 2) % 5]} with ${3 + (i % 7)} hands aboard. ` +
        `The harbourmaster signed the entry for week ${i + 1}, and the tally of lobster pots came to ${20 + i * 3}.`,
      '',
    );
  }
  return paragraphs.join('\n');
}

describe('a serving process while another process rebuilds the index (issue 17)', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await makeWorkspace();
    await writeFile(path.join(ws.config.textsDir, 'harbour-log.md'), harbourLog());
    await buildIndex(ws.config);
  }, 120_000);
  afterAll(() => ws?.cleanup());

  it('answers every question during `npm run embed` in a second process, then serves the new build', async () => {
    const swaps: Manifest[] = [];
    const lectern = await Lectern.open({
      config: ws.config,
      onSwap: (outcome) => {
        if ('manifest' in outcome) swaps.push(outcome.manifest);
      },
    });
    try {
      const before = lectern.manifest;
      expect((await lectern.ask(QUESTION)).status).toBe('answered');
      await addParagraph(ws, NEW_PARAGRAPH);

      const child = spawn(TSX, [path.join(ROOT_DIR, 'scripts', 'embed.ts')], {
        cwd: ROOT_DIR,
        env: plainEnv({ LECTERN_TEXTS_DIR: ws.config.textsDir, LECTERN_INDEX_DIR: ws.config.indexDir }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      let childDone = false;
      void exited.then(() => (childDone = true));

      // Questions all through the other process's build, and after it wrote its manifest and cleaned up.
      const failures: string[] = [];
      let asked = 0;
      const askOnce = async () => {
        asked++;
        try {
          const answer = await lectern.ask(QUESTION);
          if (answer.status !== 'answered') failures.push(`${answer.status}: ${JSON.stringify(answer).slice(0, 300)}`);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      };
      while (!childDone) await askOnce();
      expect(await exited, output).toBe(0);
      const after = (await readManifest(ws.config.indexDir))!;
      expect(after.dir).not.toBe(before.dir);
      for (let i = 0; i < 5; i++) await askOnce();
      expect(failures).toEqual([]);
      expect(asked).toBeGreaterThan(5);

      // The serving process notices the new manifest and swaps to it by itself.
      await waitFor(() => lectern.indexId === after.buildId, 'the swap to the new build');
      expect(swaps.map((m) => m.buildId)).toContain(after.buildId);
      const answer = await lectern.ask('Who painted the reading room green?');
      expect(answer.quote?.text).toContain('Penhallow');
      // Once no answer reads the old build, its folder goes.
      await waitFor(() => !existsSync(path.join(ws.config.indexDir, before.dir)), 'the old build folder to go');
    } finally {
      await lectern.close();
    }
  }, 180_000);
});

describe("the builder's cleanup honours reader leases", () => {
  let ws: Workspace;
  let embedder: Embedder;
  beforeAll(async () => {
    ws = await makeWorkspace({ copyIndex: true });
    embedder = await Embedder.load(ws.config.model);
  });
  afterAll(async () => {
    await embedder?.dispose();
    await ws?.cleanup();
  });

  it('keeps a build folder a live process reads, and removes it when the last reader lets go', async () => {
    const old = (await readManifest(ws.config.indexDir))!;
    const oldDir = path.join(ws.config.indexDir, old.dir);
    const loaded = await loadIndex(ws.config.indexDir, old, { lease: true });
    // A lease left by a process that is gone (its pid no longer runs) holds nothing.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const deadLease = path.join(ws.config.indexDir, '.readers', `${old.dir}.${dead}.0badf00d`);
    await writeFile(deadLease, '');

    await addParagraph(ws, NEW_PARAGRAPH);
    const { manifest } = await buildIndex(ws.config, { embedder });
    expect(manifest.dir).not.toBe(old.dir);
    expect(existsSync(oldDir)).toBe(true);
    expect(loaded.vectors!.read([0])[0]).toHaveLength(old.model.dimension);

    await loaded.close();
    expect(existsSync(oldDir)).toBe(false);
    expect(existsSync(deadLease)).toBe(false);
    expect((await readdir(ws.config.indexDir)).sort()).toEqual([manifest.dir, 'manifest.json'].sort());
  });

  it('removes a folder that only a dead process had leased', async () => {
    const current = (await readManifest(ws.config.indexDir))!;
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(path.join(ws.config.indexDir, '.readers'), { recursive: true });
    await writeFile(path.join(ws.config.indexDir, '.readers', `${current.dir}.${dead}.0badf00d`), '');
    await addParagraph(ws, 'A second new paragraph, so that the build changes once more.');
    const { manifest } = await buildIndex(ws.config, { embedder });
    expect((await readdir(ws.config.indexDir)).sort()).toEqual([manifest.dir, 'manifest.json'].sort());
  });
});

describe("a user's builds never touch the committed index (issue 17)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-data-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a fresh clone answers from the bundled index and writes nothing for it', () => {
    const dataDir = path.join(dir, 'fresh');
    const embed = spawnSync(TSX, [path.join(ROOT_DIR, 'scripts', 'embed.ts')], {
      cwd: ROOT_DIR,
      env: plainEnv({ LECTERN_DATA_DIR: dataDir }),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(embed.status, embed.stderr).toBe(0);
    expect(embed.stdout).toMatch(/Index is up to date .*the bundled index in .*embeddings fits the texts/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('`npm run embed` with a new text writes to <data>/index, reusing the bundled vectors, and leaves embeddings/ as it was', async () => {
    const bundled = path.join(ROOT_DIR, 'embeddings');
    const before = await snapshot(bundled);
    const textsDir = path.join(dir, 'texts');
    await cp(path.join(ROOT_DIR, 'texts'), textsDir, { recursive: true });
    await cp(path.join(ROOT_DIR, 'test', 'fixtures', 'books', 'gull-rock.md'), path.join(textsDir, 'gull-rock.md'));
    const dataDir = path.join(dir, 'data');
    const env = plainEnv({ LECTERN_DATA_DIR: dataDir, LECTERN_TEXTS_DIR: textsDir });
    const embed = spawnSync(TSX, [path.join(ROOT_DIR, 'scripts', 'embed.ts')], {
      cwd: ROOT_DIR,
      env,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(embed.status, embed.stderr).toBe(0);
    const indexDir = path.join(dataDir, 'index');
    expect(embed.stdout).toContain(`Wrote ${indexDir}: 2 text(s)`);
    const bundledUnits = (await readManifest(bundled))!.counts.units;
    expect(Number(/reused (\d+)/.exec(embed.stdout)![1])).toBe(bundledUnits);
    expect(await readManifest(indexDir)).not.toBeNull();
    expect(await snapshot(bundled)).toEqual(before);
    const git = spawnSync('git', ['status', '--porcelain', '--', 'embeddings'], { cwd: ROOT_DIR, encoding: 'utf8' });
    expect(git.stdout).toBe('');
    // The build is what a later start serves.
    const config = loadCoreConfig(env);
    expect(config.indexDir).toBe(indexDir);
    const lectern = await Lectern.open({ config: { textsDir, dataDir, indexDir, bundledIndexDir: bundled } });
    try {
      expect(lectern.manifest.buildId).toBe((await readManifest(indexDir))!.buildId);
    } finally {
      await lectern.close();
    }
  }, 240_000);
});

describe('npm start with no usable index', () => {
  it('shows the build as `npm run embed` does and says the chat starts when it is done', async () => {
    const ws = await makeWorkspace();
    try {
      // A terminal for the chat: util-linux `script` runs start in a pseudo-terminal.
      const command = `${TSX} ${path.join(ROOT_DIR, 'src', 'cli', 'start.ts')}`;
      const result = spawnSync('script', ['-qfec', command, '/dev/null'], {
        cwd: ROOT_DIR,
        env: plainEnv({ LECTERN_TEXTS_DIR: ws.config.textsDir, LECTERN_INDEX_DIR: ws.config.indexDir, TERM: 'dumb' }),
        input: '/quit\n',
        encoding: 'utf8',
        timeout: 180_000,
      });
      const output = result.stdout;
      expect(result.status, output).toBe(0);
      const notice = output.indexOf('The chat will start when the build is done.');
      expect(notice, output).toBeGreaterThanOrEqual(0);
      const bar = output.search(/Embedding \[[^\]]*\] \d+\/11 passages \| [\d.]+ passages\/s/);
      expect(bar, output).toBeGreaterThan(notice);
      expect(output.indexOf('11/11 passages')).toBeGreaterThan(notice);
      expect(await readManifest(ws.config.indexDir)).not.toBeNull();
    } finally {
      await ws.cleanup();
    }
  }, 240_000);
});
