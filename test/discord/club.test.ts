/**
 * Reading groups on Discord, end to end: the real discord.js client against
 * the fake Discord, the real model and index, a real SQLite store, and a
 * FakeClock that moves only when a test says so (no test waits for real time).
 *
 * The book (test/fixtures/books/lighthouse-year.txt) has eight short chapters
 * whose later ones answer questions the earlier ones do not: who Mara's father
 * is (ch. 7), who Captain Blackwood is (first met in ch. 6), how Tobias dies
 * (ch. 8). A club reading two chapters a week is at ch. 2 in week 1 and at ch. 4
 * in week 2.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/club/clock.js';
import { WEEK_MS } from '../../src/club/timeline.js';
import { startBot } from '../../src/discord/bot.js';
import { encodeButton } from '../../src/discord/custom-id.js';
import { Lectern } from '../../src/lectern.js';
import {
  autocomplete,
  buttonClick,
  buttons,
  MEMBER_PERMISSIONS,
  slashCommand,
  userMessage,
  type FakeMessage,
  type JsonObject,
  type Place,
} from '../../tools/fake-discord/index.js';
import { makeFixtureWorkspace, type Workspace } from '../support/workspace.js';
import { checkAllMessages, embedsOf, startHarness, visibleText, type Harness } from './harness.js';

const BOOK = 'lighthouse-year';
/** Monday 4 January 2027, noon UTC: the club starts "today". */
const START = Date.UTC(2027, 0, 4, 12);
/** Words that occur only in chapters 5–8: none may reach a reader at ch. 4. */
const LATER_WORDS = [
  'ch. 5',
  'ch. 6',
  'ch. 7',
  'ch. 8',
  'Skerries',
  'Eliza',
  'Curlew',
  'Christmas',
  'picklocks',
  'funeral',
  'Winter',
  'The Stranger',
  'The Letters',
  'The Keeper',
];

let ws: Workspace;
let lectern: Lectern;
let h: Harness;
let clock: FakeClock;
let dataDir: string;

beforeAll(async () => {
  ws = await makeFixtureWorkspace(['books/lighthouse-year.txt', 'books/northern-letters.txt']);
  lectern = await Lectern.open({ config: ws.config });
  dataDir = await mkdtemp(path.join(tmpdir(), 'lectern-club-'));
  clock = new FakeClock(START);
  h = await startHarness(lectern, { env: { RATE_LIMIT_COUNT: '1000', LECTERN_DATA_DIR: dataDir }, bot: { clock } });
}, 180_000);
afterAll(async () => {
  await h?.stop();
  await lectern?.close();
  await ws?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Options = Record<string, string | number | boolean>;

async function run(name: string, options: Options = {}, place: Place = {}) {
  return h.interact(slashCommand(h.fake, name, options, place)).final();
}

/** What the reader sees of a payload: every embed's title, description, fields and footer, and the content. */
function seen(payload: JsonObject): string {
  const parts: string[] = [String(payload.content ?? '')];
  for (const e of embedsOf(payload)) {
    parts.push(e.title ?? '', visibleText(e.description ?? ''), e.footer?.text ?? '');
    for (const f of e.fields ?? []) parts.push(f.name, visibleText(f.value));
  }
  for (const b of buttons(payload)) parts.push(b.label ?? '');
  return parts.join('\n');
}

/** Fails if anything from chapters 5–8 is in what the reader sees (the question itself aside). */
function expectNothingPast4(text: string, question = ''): void {
  const shown = question ? text.split(question).join(' ') : text;
  for (const word of LATER_WORDS) expect(shown, `"${word}" leaked`).not.toContain(word);
}

/** The chapter numbers cited in what the reader sees. */
function citedChapters(text: string): number[] {
  return [...text.matchAll(/ch\. (\d+)/g)].map((m) => Number(m[1]));
}

const manager: Place = {};
const member: Place = { permissions: MEMBER_PERMISSIONS };

describe('a club: refusals', () => {
  it('refuses members without Manage Channels, with a short ephemeral message', async () => {
    for (const [name, options] of [
      ['club start', { text: BOOK, per_week: 2 }],
      ['club position', { chapter: '3' }],
      ['club pause', {}],
      ['club resume', {}],
      ['club end', {}],
    ] as const) {
      const reply = await run(name, options, member);
      expect(reply.flags & 64, name).toBe(64);
      expect(seen(reply.payload), name).toContain('Manage Channels');
    }
  });

  it('says what to do about an unknown text, a bad schedule and a date in the past', async () => {
    const cases: Array<[Options, RegExp]> = [
      [{ text: 'no such book at all', per_week: 2 }, /no text matching/],
      [{ text: BOOK }, /per_week.*schedule/],
      [{ text: BOOK, per_week: 2, schedule: '1-4, 5-8' }, /either per_week or schedule/],
      [{ text: BOOK, schedule: '1-3, 5-8' }, /skips chapter 4/],
      [{ text: BOOK, schedule: '1-4, 3-8' }, /repeats/],
      [{ text: BOOK, schedule: '1-4, 5-12' }, /is not a chapter|past the end/],
      [{ text: BOOK, per_week: 2, starts: '2026-12-01' }, /in the past/],
      [{ text: BOOK, per_week: 2, starts: 'next tuesday' }, /YYYY-MM-DD/],
    ];
    for (const [options, message] of cases) {
      const reply = await run('club start', options);
      expect(reply.flags & 64, JSON.stringify(options)).toBe(64);
      expect(seen(reply.payload), JSON.stringify(options)).toMatch(message);
    }
    const none = await run('club status');
    expect(seen(none.payload)).toContain('has no reading group');
  });
});

describe('a club: its whole life', () => {
  it('starts, with week 1 announced in the channel', async () => {
    const reply = await run('club start', { text: BOOK, per_week: 2 }, manager);
    expect(reply.flags & 64).toBe(0);
    const text = seen(reply.payload);
    expect(text).toContain('The Lighthouse Year');
    expect(text).toContain('Week 1 of 4: ch. 1–2');
    expect(text).toContain('Gull Point');
    expect(text).toContain('The club is at ch. 2');
    // A second club in the same channel is refused.
    const again = await run('club start', { text: BOOK, per_week: 3 }, manager);
    expect(seen(again.payload)).toMatch(/already/i);
  });

  it('shows status and the schedule', async () => {
    const status = seen((await run('club status', {}, member)).payload);
    expect(status).toContain('Week 1 of 4: ch. 1–2');
    expect(status).toContain('ch. 2 “The Lamp”');
    expect(status).toMatch(/Due <t:\d+:D>/);
    const schedule = seen((await run('club schedule', {}, member)).payload);
    expect(schedule.match(/Week \d/g)).toHaveLength(4);
    expect(schedule).toContain('ch. 7–8');
  });

  it('rolls over to week 2 on the clock, posting the reminder once, with no pings', async () => {
    const since = h.fake.mark();
    await clock.nextSleep();
    clock.advance(WEEK_MS);
    const post = await h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${h.fake.world.general.id}/messages`,
      { since },
    );
    expect(seen(post.body as JsonObject)).toContain('Week 2 of 4: ch. 3–4');
    const status = seen((await run('club status')).payload);
    expect(status).toContain('The club is at ch. 4');
    // The scheduler sleeps again without posting a second time.
    await clock.nextSleep();
    const posts = h.fake.requestsSince(
      since,
      (r) => r.method === 'POST' && r.path === `/channels/${h.fake.world.general.id}/messages`,
    );
    expect(posts).toHaveLength(1);
  });

  it('opens a discussion thread with three passages of the week, cited', async () => {
    const reply = await run('club discuss', {}, member);
    expect(reply.flags & 64).toBe(0);
    const embeds = embedsOf(reply.payload);
    expect(embeds.length).toBe(3);
    const chapters = embeds.map((e) => citedChapters(e.footer!.text)[0]);
    for (const chapter of chapters) expect([3, 4]).toContain(chapter);
    expect(String(reply.payload.content)).toMatch(/^Discussion starters for week 2/);
    // Verbatim: each passage is a paragraph of the book.
    const doc = lectern.library.getDocument(BOOK)!;
    for (const e of embeds) {
      const body = visibleText(e.description!).replace(/\s+/g, ' ').trim();
      expect(doc.passages.some((p) => p.text.replace(/\s+/g, ' ').includes(body.replace(/…$/, '')))).toBe(true);
    }
    const thread = await h.fake.waitForRequest((r) => r.method === 'POST' && r.path.endsWith('/threads'));
    expect(thread.status).toBe(201);
  });
});

describe('the spoiler guard (club at ch. 4)', () => {
  const question = async (q: string, place: Place = {}) => {
    const reply = await run('ask', { question: q }, place);
    return seen(reply.payload);
  };

  it('declines a question answered only later, the same as one the book never answers', async () => {
    const later = await question('Who is Mara’s real father?');
    expect(later).toContain('Nothing up to chapter 4 answers this.');
    expectNothingPast4(later, 'Who is Mara’s real father?');
    // Whether or not the engine finds something near it within the limit, nothing past it is shown,
    // and a decline is worded the same.
    const death = await question('How did Tobias die?');
    expectNothingPast4(death, 'How did Tobias die?');
    if (/does not|Nothing up to/.test(death)) expect(death).toContain('Nothing up to chapter 4 answers this.');
  });

  it('says the same for a name first met later as for a name the book never has', async () => {
    const later = await question('Who is Captain Blackwood?');
    const never = await question('Who is Captain Marlowe?');
    expect(later).toContain('Nothing up to chapter 4 answers this.');
    expect(never).toContain('Nothing up to chapter 4 answers this.');
    expectNothingPast4(later, 'Who is Captain Blackwood?');
  });

  it('answers from what has been read', async () => {
    const answer = await question('Who is the schoolmaster in Saltcombe?');
    expect(answer).toContain('Abernethy');
    expectNothingPast4(answer);
  });

  it('keeps /quote, More passages and chat follow-ups within the limit', async () => {
    const quote = await run('quote', { query: 'the old sea chest and the letters', count: 5 });
    expectNothingPast4(seen(quote.payload), 'the old sea chest and the letters');
    const ask = await run('ask', { question: 'What did Mara find in the cellar?' });
    const more = buttons(ask.payload).find((b) => b.label?.startsWith('More'));
    if (more) {
      const message = ask.message!;
      const page = await h.interact(buttonClick(h.fake, message, more.custom_id!)).final();
      expectNothingPast4(seen(page.payload), 'What did Mara find in the cellar?');
    }
    const sent = userMessage(h.fake, { content: `<@${h.fake.world.bot.id}> What was in the chest?` });
    const since = h.fake.mark();
    h.fake.sendMessage(sent);
    const reply = await h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${sent.channel_id}/messages`,
      { since },
    );
    expectNothingPast4(seen(reply.body as JsonObject), 'What was in the chest?');
    const follow = userMessage(h.fake, { content: `<@${h.fake.world.bot.id}> tell me more` });
    const since2 = h.fake.mark();
    h.fake.sendMessage(follow);
    const more2 = await h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${follow.channel_id}/messages`,
      { since: since2 },
    );
    expectNothingPast4(seen(more2.body as JsonObject), 'What was in the chest?');
  });

  it('applies in the channel’s threads', async () => {
    const reply = await run('ask', { question: 'Who is Mara’s real father?' }, { channel: h.fake.world.generalThread });
    expect(seen(reply.payload)).toContain('Nothing up to chapter 4 answers this.');
  });

  it('refuses /passage past the limit and stops ◀ ▶ and Context at it', async () => {
    const refused = await run('passage', { reference: '7.2' });
    expect(refused.flags & 64).toBe(64);
    expect(seen(refused.payload)).toContain('past chapter 4');
    expectNothingPast4(seen(refused.payload));

    const last = await run('passage', { chapter: '4', paragraph: 3 });
    const shown = seen(last.payload);
    expect(shown).toContain('herring season');
    const next = buttons(last.payload).find((b) => b.custom_id?.endsWith('|n'));
    expect(next?.disabled).toBe(true);
    expectNothingPast4(shown);

    // A forged ▶ to ch. 5 ¶1 is refused.
    const ch5 = lectern.library.getChapter(BOOK, '5')!;
    const docNumber = lectern.library.documents.findIndex((d) => d.id === BOOK);
    const forged = encodeButton(lectern.indexId, {
      kind: 'page',
      doc: docNumber,
      paragraph: ch5.firstParagraph,
      direction: 'next',
    });
    const click = await h.interact(buttonClick(h.fake, last.message!, forged)).final();
    expect(seen(click.payload)).toContain('past chapter 4');

    const context = encodeButton(lectern.indexId, {
      kind: 'context',
      doc: docNumber,
      paragraph: ch5.firstParagraph - 1,
    });
    const around = await h.interact(buttonClick(h.fake, last.message!, context)).final();
    expectNothingPast4(seen(around.payload));
    expect(seen(around.payload)).toContain('herring season');
  });

  it('offers only chapters up to the limit in autocomplete', async () => {
    const probe = h.interact(autocomplete(h.fake, 'ask', { chapter: '' }, 'chapter'));
    const callback = await probe.callback();
    const choices = ((callback.body as JsonObject).data as { choices: Array<{ name: string }> }).choices;
    expect(choices.map((c) => c.name)).toEqual([
      'ch. 1 “Gull Point”',
      'ch. 2 “The Lamp”',
      'ch. 3 “The Sea Chest”',
      'ch. 4 “The Village”',
    ]);
  });

  it('holds a member with a lower bookmark further back, and only them', async () => {
    const bob: Place = { user: h.fake.world.users.bob, permissions: MEMBER_PERMISSIONS };
    const set = await run('bookmark set', { chapter: '2' }, bob);
    expect(set.flags & 64).toBe(64);
    expect(seen(set.payload)).toContain('Bookmark saved: ch. 2');
    const bobs = await question('What did Mara find behind the oil casks in the cellar?', bob);
    for (const word of ['sea chest', 'ch. 3', 'ch. 4', 'E. Q.', 'Saltcombe']) expect(bobs).not.toContain(word);
    const alices = await question('What did Mara find behind the oil casks in the cellar?');
    expect(alices).toContain('sea chest');
    const passage = await run('passage', { chapter: '3', paragraph: 1 }, bob);
    expect(seen(passage.payload)).toContain('past chapter 2');
    const cleared = await run('bookmark clear', {}, bob);
    expect(seen(cleared.payload)).toContain('Bookmark removed');
  });

  it('pinged nobody and stayed within Discord’s limits', () => {
    expect(checkAllMessages(h.fake)).toBeGreaterThan(10);
  });
});

describe('two servers', () => {
  it('keep their clubs apart', async () => {
    const other: Place = { channel: h.fake.world.otherGuild.general };
    const status = await run('club status', {}, other);
    expect(seen(status.payload)).toContain('has no reading group');
    // Without a club, the other server's answers are not limited.
    const answer = await run('ask', { question: 'Who is Mara’s real father?', text: BOOK }, other);
    expect(seen(answer.payload)).toContain('Tobias was Mara');
    const started = await run('club start', { text: 'northern-letters', per_week: 3 }, other);
    expect(seen(started.payload)).toContain('A reading group starts');
    // Each server sees its own club.
    expect(seen((await run('club status', {}, other)).payload)).not.toContain('Lighthouse');
    expect(seen((await run('club status')).payload)).toContain('Lighthouse');
  });
});

describe('a restart', () => {
  it('keeps clubs and bookmarks, and posts a reminder missed while down exactly once', async () => {
    const carol: Place = { user: h.fake.world.users.bob, permissions: MEMBER_PERMISSIONS };
    await run('bookmark set', { chapter: '3' }, carol);
    await h.bot.stop();
    // Week 3 starts while the bot is down.
    clock.advance(WEEK_MS);
    const since = h.fake.mark();
    const logger = pino({ level: 'silent' });
    const bot = await startBot(lectern, {
      env: {
        DISCORD_TOKEN: h.fake.token,
        DISCORD_API_URL: h.fake.apiUrl,
        LECTERN_DATA_DIR: dataDir,
        RATE_LIMIT_COUNT: '1000',
      },
      logger,
      clock,
      handleSignals: false,
    });
    h.bot = bot;
    const channel = `/channels/${h.fake.world.general.id}/messages`;
    const post = await h.fake.waitForRequest((r) => r.method === 'POST' && r.path === channel, { since });
    expect(seen(post.body as JsonObject)).toContain('Week 3 of 4: ch. 5–6');
    await clock.nextSleep();
    expect(h.fake.requestsSince(since, (r) => r.method === 'POST' && r.path === channel)).toHaveLength(1);
    const status = seen((await run('club status')).payload);
    expect(status).toContain('The club is at ch. 6');
    const mark = seen((await run('bookmark show', {}, carol)).payload);
    expect(mark).toContain('Your bookmark: ch. 3');
  });

  it('ends the club after a confirmation', async () => {
    const ask = await run('club end', {}, manager);
    expect(ask.flags & 64).toBe(64);
    const confirm = buttons(ask.payload).find((b) => b.label === 'End the reading group')!;
    const forbidden = await h.interact(buttonClick(h.fake, ask.message!, confirm.custom_id!, member)).final();
    expect(seen(forbidden.payload)).toContain('Manage Channels');
    const ended = await h.interact(buttonClick(h.fake, ask.message!, confirm.custom_id!)).final();
    expect(seen(ended.payload)).toContain('has ended');
    expect(seen((await run('club status')).payload)).toContain('has no reading group');
    // With the club gone, answers quote the whole book again.
    const answer = await run('ask', { question: 'Who is Mara’s real father?' });
    expect(seen(answer.payload)).toContain('Tobias was Mara');
  });
});

export type { FakeMessage };
