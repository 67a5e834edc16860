/**
 * /library end to end: the real discord.js client against the fake Discord (which serves the
 * attachments), the real model, real builds in a worker thread, a real SQLite store. Two servers add
 * books; each sees its own and the shared text (the bundled article), never the other's, on every path.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.js';
import type { Lectern } from '../../src/lectern.js';
import {
  autocomplete,
  buttonClick,
  buttons,
  MEMBER_PERMISSIONS,
  slashCommand,
  userMessage,
  type FakeAttachment,
  type FakeMessage,
  type JsonObject,
  type Place,
  type RecordedRequest,
} from '../../tools/fake-discord/index.js';
import { checkAllMessages, closeBot, openBot, type Harness } from './harness.js';
import { addBook as addBookTo, finalText, shown } from './library-helpers.js';

const BOOKS = path.join(ROOT_DIR, 'test', 'fixtures', 'books');

let lectern: Lectern;
let h: Harness;
let lighthouse: Buffer;
let letters: Buffer;

beforeAll(async () => {
  lighthouse = await readFile(path.join(BOOKS, 'lighthouse-year.txt'));
  letters = await readFile(path.join(BOOKS, 'northern-letters.txt'));
  ({ lectern, h } = await openBot({ env: { RATE_LIMIT_COUNT: '1000' } }));
}, 120_000);
afterAll(() => closeBot(h, lectern));

/** Where things happen: server A's general channel, or server B's. */
const inA = (): Place => ({ channel: h.fake.world.general });
const inB = (): Place => ({ channel: h.fake.world.otherGuild.general });

/** Adds `bytes` as `filename` in `place` (library-helpers.ts `addBook`, on this file's bot). */
const addBook = (
  filename: string,
  bytes: Uint8Array | string,
  place: Place,
  options: { title?: string; author?: string } = {},
) => addBookTo(h, filename, bytes, place, options);

async function ask(question: string, place: Place, options: Record<string, string> = {}): Promise<string> {
  return finalText(h.interact(slashCommand(h.fake, 'ask', { question, ...options }, place)));
}

describe('adding a book', () => {
  let added: string;
  let progressEdits: RecordedRequest[];

  beforeAll(async () => {
    const { probe, outcome } = await addBook('lighthouse-year.txt', lighthouse, inA());
    added = await outcome();
    progressEdits = probe.requests().filter((r) => r.method === 'PATCH');
  }, 180_000);

  it('edits one progress message as the build goes, and ends it with the book and its chapters', () => {
    expect(added).toContain('Added The Lighthouse Year');
    expect(added).toMatch(/Ada Fenwick: 8 chapters · [\d,]+ words/);
    // At least the first state (reading or embedding, with Cancel) and the outcome.
    expect(progressEdits.length).toBeGreaterThanOrEqual(2);
    const first = progressEdits[0]!.body as JsonObject;
    expect(shown(first)).toMatch(/Adding lighthouse-year\.txt|Adding The Lighthouse Year/);
    expect(buttons(first as unknown as FakeMessage).map((b) => b.label)).toContain('Cancel');
    expect(checkAllMessages(h.fake)).toBeGreaterThan(0);
  });

  it('answers from it in that server, quoting it', async () => {
    const answer = await ask('How many iron steps lead up to the lamp room?', inA());
    expect(answer).toContain('one hundred and twelve iron steps');
    expect(answer).toContain('The Lighthouse Year');
  });

  it('lists it in that server with who added it and when, beside the shared text', async () => {
    const list = await finalText(h.interact(slashCommand(h.fake, 'library list', {}, inA())));
    expect(list).toContain('The Lighthouse Year');
    expect(list).toContain(`added by <@${h.fake.world.users.alice.id}>`);
    expect(list).toContain('8 chapters');
    expect(list).toContain('The End of Henry Yagoda');
    const info = await finalText(h.interact(slashCommand(h.fake, 'library info', { text: 'Lighthouse' }, inA())));
    expect(info).toContain('Ada Fenwick');
    expect(info).toContain('lighthouse-year.txt');
  });

  it('recognises the same file added again by its hash', async () => {
    const { outcome, probe } = await addBook('copy-of-it.txt', lighthouse, inA());
    const text = await finalText(probe);
    expect(text).toContain('already in this server');
    void outcome;
  });

  it('is invisible in another server on every path', async () => {
    const list = await finalText(h.interact(slashCommand(h.fake, 'library list', {}, inB())));
    expect(list).not.toContain('Lighthouse');
    const sources = await finalText(h.interact(slashCommand(h.fake, 'sources', {}, inB())));
    expect(sources).not.toContain('Lighthouse');
    // The question is echoed; the book's own sentence must not be.
    const answer = await ask('How many iron steps lead up to the lamp room?', inB());
    expect(answer).not.toContain('one hundred and twelve');
    const quote = await finalText(
      h.interact(slashCommand(h.fake, 'quote', { question: 'Mara Quill lighthouse keeper uncle Tobias' }, inB())),
    );
    expect(quote.split('\n').slice(1).join('\n')).not.toMatch(/Tobias|Lighthouse|Gull Point/);
    const typed = await finalText(
      h.interact(slashCommand(h.fake, 'ask', { question: 'Who is Tobias?', text: 'The Lighthouse Year' }, inB())),
    );
    expect(typed).not.toContain('Tobias Quill');
    const passage = await finalText(
      h.interact(slashCommand(h.fake, 'passage', { text: 'lighthouse-year', paragraph: 3 }, inB())),
    );
    expect(passage).not.toContain('one hundred and twelve');
    const suggest = h.interact(autocomplete(h.fake, 'ask', { question: 'x', text: 'Light' }, 'text', inB()));
    const choices = ((await suggest.callback()).body as { data: { choices: Array<{ name: string }> } }).data.choices;
    expect(choices.map((c) => c.name).join()).not.toContain('Lighthouse');
    const info = await finalText(h.interact(slashCommand(h.fake, 'library info', { text: 'Lighthouse' }, inB())));
    expect(info).not.toContain('Ada Fenwick');
    // Chat: a mention in server B.
    const mention = userMessage(h.fake, {
      content: `<@${h.fake.world.bot.id}> how many iron steps lead up to the lamp room?`,
      channel: h.fake.world.otherGuild.general,
    });
    const since = h.fake.mark();
    h.fake.sendMessage(mention);
    const reply = await h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${h.fake.world.otherGuild.general.id}/messages`,
      { since },
    );
    expect(shown(reply.body as JsonObject)).not.toContain('one hundred and twelve');
    // A DM sees the shared library only.
    const dm = await ask('How many iron steps lead up to the lamp room?', { dm: true });
    expect(dm).not.toContain('one hundred and twelve');
  });

  it('keeps buttons and /club start apart too', async () => {
    // An answer's Context button in server A, clicked (forged) in server B: B reads its own library.
    const inAnswer = await h
      .interact(slashCommand(h.fake, 'ask', { question: 'How many iron steps lead up to the lamp room?' }, inA()))
      .final();
    const context = buttons(inAnswer.payload as unknown as FakeMessage).find((b) => b.label === 'Context');
    expect(context?.custom_id).toBeDefined();
    const moved = {
      ...inAnswer.message!,
      channel_id: h.fake.world.otherGuild.general.id,
      guild_id: h.fake.world.otherGuild.guildId,
    };
    const click = await finalText(h.interact(buttonClick(h.fake, moved as FakeMessage, context!.custom_id!, inB())));
    expect(click).not.toMatch(/one hundred and twelve|Tobias|Mara/);
    // A reading group in B cannot be started on A's book, by id or by title.
    for (const text of ['lighthouse-year', 'The Lighthouse Year']) {
      const start = await finalText(h.interact(slashCommand(h.fake, 'club start', { text, per_week: 2 }, inB())));
      expect(start).not.toContain('Week 1');
      expect(start).toMatch(/no text matching/i);
    }
    const suggest = h.interact(autocomplete(h.fake, 'club start', { text: 'Light' }, 'text', inB()));
    const choices = ((await suggest.callback()).body as { data: { choices: Array<{ name: string }> } }).data.choices;
    expect(choices.map((c) => c.name).join()).not.toContain('Lighthouse');
  });

  it('refuses members without Manage Server', async () => {
    const file = h.fake.addAttachment({ filename: 'letters.txt', bytes: letters });
    const text = await finalText(
      h.interact(slashCommand(h.fake, 'library add', { file }, { ...inA(), permissions: MEMBER_PERMISSIONS })),
    );
    expect(text).toContain('Manage Server');
    expect(h.fake.attachmentRequests.some((r) => r.attachmentId === file.id)).toBe(false);
  });
});

describe('two servers, one file name', () => {
  it('keeps books with the same file name apart', async () => {
    const a = await addBook('book.txt', letters, inA(), { title: 'Northern Letters' });
    const b = await addBook('book.txt', await readFile(path.join(BOOKS, 'two-winters.txt')), inB());
    const [outA, outB] = await Promise.all([a.outcome(), b.outcome()]);
    expect(outA).toContain('Added Northern Letters');
    expect(outB).toContain('Added The Two Winters');
    const listA = await finalText(h.interact(slashCommand(h.fake, 'library list', {}, inA())));
    const listB = await finalText(h.interact(slashCommand(h.fake, 'library list', {}, inB())));
    expect(listA).toContain('Northern Letters');
    expect(listA).not.toContain('Two Winters');
    expect(listB).toContain('The Two Winters');
    expect(listB).not.toContain('Northern Letters');
    expect(listB).not.toContain('Lighthouse');
    const inWinters = await ask('Who kept the household accounts in a green ledger?', inB());
    expect(inWinters).toContain('Clara Hale');
    expect(await ask('Who kept the household accounts in a green ledger?', inA())).not.toContain('Clara Hale');
  }, 180_000);
});

describe('cancelling and removing', () => {
  it('cancels a queued book, leaving the library as it was', async () => {
    const first = await addBook('first.md', await readFile(path.join(BOOKS, 'gull-rock.md')), inA());
    const second = await addBook(
      'second.txt',
      `The Quiet Harbour\n\nBy Nobody\n\n${'The harbour was quiet. '.repeat(50)}`,
      inA(),
    );
    const progress = await second.probe.webhook((r) => r.method === 'PATCH', 60_000);
    const cancelId = buttons(progress.body as unknown as FakeMessage).find((b) => b.label === 'Cancel')!.custom_id!;
    const message = second.probe.storedMessage()!;
    const click = h.interact(buttonClick(h.fake, message, cancelId, inA()));
    await click.callback();
    const outcome = await second.outcome();
    expect(outcome).toMatch(/Cancelled|was not added/);
    await first.outcome();
    const list = await finalText(h.interact(slashCommand(h.fake, 'library list', {}, inA())));
    expect(list).not.toContain('Quiet Harbour');
  }, 180_000);

  it('removes a book after a confirmation', async () => {
    const confirm = await h
      .interact(slashCommand(h.fake, 'library remove', { text: 'Northern Letters' }, inA()))
      .final();
    const removeId = buttons(confirm.payload as unknown as FakeMessage).find((b) => b.label === 'Remove')!.custom_id!;
    const click = h.interact(buttonClick(h.fake, confirm.message!, removeId, inA()));
    const done = await click.webhook(
      (r) => r.method === 'PATCH' && shown(r.body as JsonObject).includes('Removed'),
      120_000,
    );
    expect(shown(done.body as JsonObject)).toContain('Removed Northern Letters');
    const list = await finalText(h.interact(slashCommand(h.fake, 'library list', {}, inA())));
    expect(list).not.toContain('Northern Letters');
    expect(list).toContain('The Lighthouse Year');
  }, 180_000);
});

export type { FakeAttachment };
