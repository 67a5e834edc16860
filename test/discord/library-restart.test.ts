/**
 * Per-server libraries across a restart, an eviction and a host without shared texts, end to end: the
 * real discord.js client against the fake Discord, the real model, real builds in a worker thread, a
 * real SQLite store in a data folder the test owns (so a second bot can start on it).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.js';
import { Lectern } from '../../src/lectern.js';
import { loadStoreConfig } from '../../src/store/config.js';
import { openStore } from '../../src/store/open.js';
import { slashCommand, userMessage, type JsonObject, type Place } from '../../tools/fake-discord/index.js';
import { checkAllMessages, startHarness, waitForLog, type Harness } from './harness.js';
import { addBook, ask, finalText, indexDirOf, listText, shown, uploadedFiles } from './library-helpers.js';

const BOOKS = path.join(ROOT_DIR, 'test', 'fixtures', 'books');

let lectern: Lectern;
beforeAll(async () => {
  lectern = await Lectern.open();
}, 120_000);
afterAll(async () => {
  await lectern?.close();
});

const fixture = (name: string): Promise<Buffer> => readFile(path.join(BOOKS, name));

/**
 * A novel long enough that embedding it takes several seconds: twelve chapters of varied sentences
 * (a fixed pseudo-random choice of people, deeds and places), with one fact to ask about in the middle.
 */
function generatedNovel(): string {
  const people = [
    'the miller',
    'his sister Edda',
    'the ferryman',
    'old Tamsin',
    'the schoolmaster',
    'a tinker',
    'the two boys',
    'the widow Brand',
  ];
  const deeds = [
    'mended the sluice gate',
    'walked the long way round',
    'argued about the price of flour',
    'counted the geese',
    'read the letter twice',
    'watched the river rise',
    'carried the lantern home',
    'sold the grey horse',
  ];
  const places = [
    'by the weir',
    'in the orchard',
    'at the crossroads inn',
    'under the chestnut tree',
    'on the church steps',
    'behind the granary',
    'along the towpath',
    'in the cold kitchen',
  ];
  const times = [
    'before dawn',
    'on market day',
    'after the first frost',
    'in the long evenings',
    'while the bells rang',
    'when the fog lifted',
    'on the feast of Saint Martin',
    'at the turn of the year',
  ];
  const afterwards = [
    'and nobody spoke of it again',
    'and the village talked of little else',
    'though the rain never stopped',
    'as their fathers had done before them',
    'and the dogs barked until midnight',
    'without a word to anyone',
  ];
  let seed = 20_261_124;
  const pick = <T>(list: readonly T[]): T => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return list[seed % list.length]!;
  };
  const sentence = () => {
    const text = `${pick(people)} ${pick(deeds)} ${pick(places)} ${pick(times)}, ${pick(afterwards)}.`;
    return text[0]!.toUpperCase() + text.slice(1);
  };
  const chapters: string[] = [];
  for (let c = 1; c <= 12; c++) {
    const paragraphs = Array.from({ length: 30 }, () => Array.from({ length: 4 }, sentence).join(' '));
    if (c === 6)
      paragraphs.splice(
        15,
        0,
        'Up in the attic of the old mill, Ondine Varga kept seventeen brass telescopes, one for every year her brother had been at sea.',
      );
    chapters.push(`Chapter ${c}\n\n${paragraphs.join('\n\n')}`);
  }
  return `The Mill at Varga Hollow\n\nBy Test Writer\n\n${chapters.join('\n\n')}\n`;
}

describe('a restart in the middle of a build', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let first: Harness;
  let second: Harness | undefined;
  const inA = (): Place => ({ channel: first.fake.world.general });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lectern-restart-'));
    env = { RATE_LIMIT_COUNT: '1000', LECTERN_DATA_DIR: dataDir };
    first = await startHarness(lectern, { env });
  }, 120_000);
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves the library as it was, says so on the progress message, and finishes the book on the next start', async () => {
    const guild = first.fake.world.guildId;
    const general = first.fake.world.general;
    // A book already there, so there is an index whose manifest the interrupted build must not touch.
    expect(
      await addBook(first, 'lighthouse-year.txt', await fixture('lighthouse-year.txt'), inA()).outcome(),
    ).toContain('Added The Lighthouse Year');
    const manifestFile = path.join(indexDirOf(dataDir, guild), 'manifest.json');
    const manifestBefore = await readFile(manifestFile, 'utf8');

    const novel = addBook(first, 'varga-hollow.txt', generatedNovel(), inA());
    const embedding = await novel.probe.webhook(
      (r) => r.method === 'PATCH' && shown(r.body as JsonObject).includes('Embedding:'),
      120_000,
    );
    expect(shown(embedding.body as JsonObject)).toMatch(/Embedding: [\d,]+ of [\d,]+ passages/);
    const messageId = novel.probe.storedMessage()!.id;
    expect(await listText(first, inA())).toContain('varga-hollow.txt: being added by');

    await first.bot.stop();
    const told = await novel.probe.webhook(
      (r) => r.method === 'PATCH' && shown(r.body as JsonObject).includes('restarting'),
      30_000,
    );
    expect(shown(told.body as JsonObject).trim()).toBe(
      'The bot is restarting: varga-hollow.txt will be built again when it is back.',
    );
    // As before: the old index, the book still queued (not ready), its file kept for the next start.
    expect(await readFile(manifestFile, 'utf8')).toBe(manifestBefore);
    const store = await openStore(loadStoreConfig({ LECTERN_DATA_DIR: dataDir }));
    try {
      expect((await store.libraryTexts(guild)).map((t) => t.originalName)).toEqual(['lighthouse-year.txt']);
      expect((await store.queuedLibraryTexts()).map((t) => t.originalName)).toEqual(['varga-hollow.txt']);
    } finally {
      await store.close();
    }
    expect((await uploadedFiles(dataDir, guild)).sort()).toEqual(['lighthouse-year.txt', 'varga-hollow.txt']);

    // The next start, on the same Discord and data folder: the build resumes and its message, now a
    // channel message (the interaction is gone with the old process), ends with the book.
    const since = first.fake.mark();
    second = await startHarness(lectern, { discord: first.fake, env });
    await waitForLog(second, (l) => l.event === 'library_resumed' && l.builds === 1);
    const editPath = `/channels/${general.id}/messages/${messageId}`;
    const added = await first.fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path === editPath && shown(r.body as JsonObject).includes('Added'),
      { since, timeoutMs: 120_000 },
    );
    expect(shown(added.body as JsonObject)).toMatch(/Added The Mill at Varga Hollow[\s\S]*12 chapters/);
    expect(shown(first.fake.messages.get(messageId) as unknown as JsonObject)).toContain(
      'Added The Mill at Varga Hollow',
    );
    expect(await ask(second, 'How many brass telescopes did Ondine Varga keep in the attic?', inA())).toContain(
      'seventeen brass telescopes',
    );
    expect(await ask(second, 'How many iron steps lead up to the lamp room?', inA())).toContain(
      'one hundred and twelve iron steps',
    );
    expect(await readFile(manifestFile, 'utf8')).not.toBe(manifestBefore);
    expect(checkAllMessages(first.fake)).toBeGreaterThan(0);
  }, 240_000);
});

describe('more servers than LECTERN_MAX_LOADED_LIBRARIES', () => {
  let dataDir: string;
  let h: Harness;
  const inA = (): Place => ({ channel: h.fake.world.general });
  const inB = (): Place => ({ channel: h.fake.world.otherGuild.general });
  const STEPS = 'How many iron steps lead up to the lamp room?';
  const TELESCOPES = 'How many brass telescopes did Ondine Varga keep in the attic?';
  /** Answered from server A's book, or server B's: each question and what its answer quotes. */
  const asked = {
    A: { question: STEPS, quotes: 'one hundred and twelve iron steps' },
    B: { question: TELESCOPES, quotes: 'seventeen brass telescopes' },
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lectern-evict-'));
    h = await startHarness(lectern, {
      env: { RATE_LIMIT_COUNT: '1000', LECTERN_DATA_DIR: dataDir, LECTERN_MAX_LOADED_LIBRARIES: '1' },
    });
    // Server B's book is the long one: its answers read stored vectors back from the index file, which
    // an evicted index has closed (a short book's every unit is scored by the graph search alone).
    const added = await Promise.all([
      addBook(h, 'lighthouse-year.txt', await fixture('lighthouse-year.txt'), inA()).outcome(),
      addBook(h, 'varga-hollow.txt', generatedNovel(), inB()).outcome(),
    ]);
    expect(added[0]).toContain('Added The Lighthouse Year');
    expect(added[1]).toContain('Added The Mill at Varga Hollow');
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers each server from its own book, loading again the one it evicted', async () => {
    const evictionsBefore = h.logs.filter((l) => l.event === 'library_evicted').length;
    expect(await ask(h, STEPS, inA())).toContain(asked.A.quotes);
    expect(await ask(h, TELESCOPES, inB())).toContain(asked.B.quotes);
    expect(await ask(h, STEPS, inA())).toContain(asked.A.quotes);
    expect(await ask(h, STEPS, inB())).not.toContain(asked.A.quotes);
    expect(await ask(h, TELESCOPES, inA())).not.toContain(asked.B.quotes);
    const evicted = h.logs.filter((l) => l.event === 'library_evicted');
    expect(evicted.length - evictionsBefore).toBeGreaterThanOrEqual(3);
    expect(new Set(evicted.map((l) => l.guild))).toEqual(
      new Set([h.fake.world.guildId, h.fake.world.otherGuild.guildId]),
    );
  });

  it('answers every question of a burst from both servers, however the evictions fall between them', async () => {
    expect(await ask(h, TELESCOPES, inB())).toContain(asked.B.quotes);
    // B's index is loaded: the burst's B questions are handed it at once and wait their turn in the ask
    // queue, while A's question loads A's index and evicts B's under them.
    // Twelve questions wait on the fake's request log at once (EventEmitter warns past ten).
    h.fake.setMaxListeners(20);
    const servers = ['B', 'A', 'B', 'B', 'B', 'B', 'B', 'B', 'A', 'B', 'B', 'B'] as const;
    const answers = await Promise.all(servers.map((s) => ask(h, asked[s].question, s === 'A' ? inA() : inB())));
    for (const [i, answer] of answers.entries()) expect(answer).toContain(asked[servers[i]!].quotes);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('LECTERN_SHARED_TEXTS=false', () => {
  let dataDir: string;
  let h: Harness;
  const inA = (): Place => ({ channel: h.fake.world.general });
  const NO_BOOKS = 'This server has no books yet: someone with Manage Server can add one with /library add.';
  const NO_DM_TEXTS = 'I have no shared texts to quote in DMs: ask me in a server that has added books.';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lectern-unshared-'));
    h = await startHarness(lectern, {
      env: { RATE_LIMIT_COUNT: '1000', LECTERN_DATA_DIR: dataDir, LECTERN_SHARED_TEXTS: 'false' },
    });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The bot's reply to a chat message, in a server channel or a DM. */
  async function chat(content: string, place: { channel?: Place['channel']; dm?: boolean }): Promise<string> {
    const message = userMessage(h.fake, { content, ...place });
    const since = h.fake.mark();
    h.fake.sendMessage(message);
    const reply = await h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${message.channel_id}/messages`,
      { since, timeoutMs: 60_000 },
    );
    return shown(reply.body as JsonObject);
  }

  it('tells a server without books, and a DM, that there is nothing to quote, on every path', async () => {
    const mention = `<@${h.fake.world.bot.id}> who signed the communiqué?`;
    expect((await ask(h, 'Who signed the communiqué?', inA())).trim()).toBe(NO_BOOKS);
    expect((await chat(mention, { channel: h.fake.world.general })).trim()).toBe(NO_BOOKS);
    expect((await finalText(h.interact(slashCommand(h.fake, 'sources', {}, inA())))).trim()).toBe(NO_BOOKS);
    expect((await ask(h, 'Who signed the communiqué?', { dm: true })).trim()).toBe(NO_DM_TEXTS);
    expect((await chat('who signed the communiqué?', { dm: true })).trim()).toBe(NO_DM_TEXTS);
    const list = await listText(h, inA());
    expect(list).toContain('This server’s books (0)');
    expect(list).not.toContain('Shared texts');
  });

  it('answers from the server’s own book once it has one, never quoting the shared text', async () => {
    expect(await addBook(h, 'lighthouse-year.txt', await fixture('lighthouse-year.txt'), inA()).outcome()).toContain(
      'Added The Lighthouse Year',
    );
    expect(await ask(h, 'How many iron steps lead up to the lamp room?', inA())).toContain(
      'one hundred and twelve iron steps',
    );
    const communique = await ask(h, 'Who signed the communiqué?', inA());
    expect(communique).not.toMatch(/Kalinin|Yagoda/);
    const sources = await finalText(h.interact(slashCommand(h.fake, 'sources', {}, inA())));
    expect(sources).toContain('The Lighthouse Year');
    expect(sources).not.toContain('Yagoda');
    expect(await listText(h, inA())).not.toContain('Shared texts');
    // Another server and DMs still see nothing.
    expect((await ask(h, 'Who signed the communiqué?', { channel: h.fake.world.otherGuild.general })).trim()).toBe(
      NO_BOOKS,
    );
    expect((await ask(h, 'Who signed the communiqué?', { dm: true })).trim()).toBe(NO_DM_TEXTS);
    expect(checkAllMessages(h.fake)).toBeGreaterThan(0);
  }, 180_000);
});
