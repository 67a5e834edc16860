/**
 * Per-server libraries at the engine level (src/libraries/server-libraries.ts), with the real model,
 * real builds in a worker thread and a real SQLite store: the shared texts inside each server's index,
 * a shared text added on the host reaching a server's index, the least recently asked index closed
 * past the bound but kept open while borrowed, and a failed build leaving the library as it was.
 */
import { EventEmitter } from 'node:events';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.js';
import { Lectern } from '../../src/lectern.js';
import { loadLibrariesConfig } from '../../src/libraries/config.js';
import { ServerLibraries, type BuildOutcome } from '../../src/libraries/server-libraries.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { BUNDLED_DOC, makeWorkspace, type Workspace } from '../support/workspace.js';

const A = '100000000000000001';
const B = '100000000000000002';
const BOOKS = path.join(ROOT_DIR, 'test', 'fixtures', 'books');

let ws: Workspace;
let lectern: Lectern;
let store: Store;
let libraries: ServerLibraries;
const events: string[] = [];
const logged = new EventEmitter();
const log = (event: string) => {
  events.push(event);
  logged.emit(event);
};
/** Resolves when `event` has been logged (at once if it already has). */
const logOf = (event: string) =>
  events.includes(event) ? Promise.resolve() : new Promise<void>((resolve) => logged.once(event, () => resolve()));

beforeAll(async () => {
  ws = await makeWorkspace({ copyIndex: true });
  lectern = await Lectern.open({ config: ws.config });
  store = await openStore({ kind: 'sqlite', file: path.join(ws.dir, 'lectern.db') });
  libraries = new ServerLibraries(
    lectern,
    store,
    loadLibrariesConfig({ LECTERN_DATA_DIR: ws.dir, LECTERN_MAX_LOADED_LIBRARIES: '1' }),
    log,
  );
}, 120_000);

afterAll(async () => {
  await libraries?.close();
  await store?.close();
  await lectern?.close();
  await ws?.cleanup();
});

function add(guildId: string, file: string, bytes: Uint8Array): Promise<BuildOutcome> {
  return new Promise((resolve, reject) => {
    libraries
      .add(
        { guildId, userId: '1', fileName: file, bytes, now: Date.now() },
        { progress: () => undefined, finished: resolve },
      )
      .catch(reject);
  });
}

describe('server libraries', () => {
  it('builds a server index that holds the shared text and the book, and serves the shared one elsewhere', async () => {
    const outcome = await add(A, 'two-winters.txt', await readFile(path.join(BOOKS, 'two-winters.txt')));
    expect(outcome.kind).toBe('added');
    const a = await libraries.engineFor(A);
    expect(a!.library.documents.map((d) => d.id).sort()).toEqual([BUNDLED_DOC, 'two-winters'].sort());
    expect(await libraries.engineFor(B)).toBe(lectern);
    expect(await libraries.engineFor(null)).toBe(lectern);
  }, 120_000);

  it('keeps a borrowed index open past an eviction, and answers the next question after it', async () => {
    const borrowed = await libraries.borrow(A);
    expect(await add(B, 'gull-rock.md', await readFile(path.join(BOOKS, 'gull-rock.md')))).toMatchObject({
      kind: 'added',
    });
    // B's index came in; A's (the bound is 1) was evicted, but is still borrowed.
    expect(events).toContain('library_evicted');
    const answer = await borrowed.engine!.ask('Who kept the household accounts in a green ledger?');
    expect(answer.quote?.text).toContain('Clara Hale');
    borrowed.release();
    const again = await libraries.engineFor(A);
    expect(again).not.toBe(borrowed.engine);
    expect((await again!.ask('Who kept the household accounts in a green ledger?')).quote?.text).toContain(
      'Clara Hale',
    );
  }, 120_000);

  it('leaves the library as it was when a build fails', async () => {
    // It passes the upload check (an EPUB's mimetype and container) but has no package file to read.
    const { zipSync, strToU8 } = await import('fflate');
    const broken = zipSync({
      mimetype: strToU8('application/epub+zip'),
      'META-INF/container.xml': strToU8(
        '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0"><rootfiles><rootfile full-path="OEBPS/missing.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
      ),
    });
    const outcome = await add(A, 'broken.epub', broken);
    expect(outcome.kind).toBe('failed');
    expect((await libraries.texts(A)).map((t) => t.file)).toEqual(['two-winters.txt']);
    const after = (await libraries.engineFor(A))!;
    expect(after.library.documents.map((d) => d.id)).not.toContain('broken');
  }, 120_000);

  it('rebuilds a server index when the shared texts change, serving the old one meanwhile', async () => {
    await cp(path.join(BOOKS, 'northern-letters.txt'), path.join(ws.config.textsDir, 'northern-letters.txt'));
    // The host's own index is rebuilt first (as npm run embed would), so the server reuses its vectors.
    await lectern.rebuild();
    await libraries.close();
    libraries = new ServerLibraries(lectern, store, loadLibrariesConfig({ LECTERN_DATA_DIR: ws.dir }), log);
    const stale = await libraries.engineFor(A);
    expect(stale!.library.getDocument('northern-letters')).toBeUndefined();
    expect(events).toContain('library_refresh');
    await logOf('library_refreshed');
    const fresh = await libraries.engineFor(A);
    expect(fresh!.library.getDocument('northern-letters')).toBeDefined();
    expect(fresh!.library.getDocument('two-winters')).toBeDefined();
  }, 180_000);
});
