/**
 * The spoiler guard outside Discord (issue 19): a reader's limit (AskOptions.until) on the real
 * model and index of a two-volume novel whose chapters restart (Vol. 1, ch. 1–3 are ordinals 1–3,
 * Vol. 2, ch. 1–3 ordinals 4–6). Captain Reed is first met in Vol. 2, ch. 1; a reader at Vol. 1,
 * ch. 3 must learn nothing of him, not even that the book will answer.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.js';
import { declinedWithinLimit, lastReadableParagraph } from '../src/corpus/reading-limit.js';
import { Lectern } from '../src/lectern.js';
import type { Answer, LibraryDocument, ReadingLimit } from '../src/types.js';
import { makeFixtureWorkspace, type Workspace } from './support/workspace.js';

let lectern: Lectern;
let ws: Workspace;
let doc: LibraryDocument;
/** Read up to Vol. 1, ch. 3: ¶1–¶5 and the header. */
let until: ReadingLimit;
let last: number;

beforeAll(async () => {
  ws = await makeFixtureWorkspace(['books/two-winters.txt']);
  lectern = await Lectern.open({ config: ws.config });
  doc = lectern.library.defaultDocument;
  until = { docId: doc.id, through: 3 };
  last = lastReadableParagraph(doc, 3);
}, 120_000);

afterAll(async () => {
  await lectern?.close();
  await ws?.cleanup();
});

/** ¶ numbers of every passage an answer shows: its quote and its passages (best, "See also", closest). */
function shown(answer: Answer): number[] {
  return [
    ...(answer.quote ? [Number(answer.quote.passageId.split('#')[1])] : []),
    ...answer.passages.map((r) => r.passage.paragraph),
  ];
}

describe('a limited search', () => {
  it('still returns k candidates, all within the limit', async () => {
    const whole = await lectern.ask('the lane of elms', { limit: 5 });
    expect(shown(whole).some((p) => p > last)).toBe(true); // the later chapters mention it too
    const answer = await lectern.ask('the lane of elms', { limit: 5, until });
    expect(last).toBe(5);
    expect(answer.passages).toHaveLength(5);
    expect(shown(answer).every((p) => p <= last)).toBe(true);
    expect(answer.quote?.text).toContain('lane of elms');
  });

  it('declines a question answered past the limit with exactly the limit message, showing nothing past it', async () => {
    const whole = await lectern.ask('Who did Captain Reed marry?');
    expect(whole.answered).toBe(true);
    const answer = await lectern.ask('Who did Captain Reed marry?', { until });
    expect(answer.answered).toBe(false);
    expect(answer.message).toBe('Nothing up to Vol. 1, ch. 3 answers this.');
    expect(answer.message).toBe(declinedWithinLimit(doc, 3));
    expect(shown(answer).every((p) => p <= last)).toBe(true);
  });

  it('says the same for a name first met later as for a name the book never has', async () => {
    const later = await lectern.ask('Who is Captain Reed?', { until });
    const never = await lectern.ask('Who is Captain Zebedee?', { until });
    expect(later.status).toBe('abstained');
    expect(never.status).toBe('abstained');
    expect(later.message).toBe(declinedWithinLimit(doc, 3));
    expect(never.message).toBe(later.message);
    expect([...shown(later), ...shown(never)].every((p) => p <= last)).toBe(true);
  });

  it('intersects --chapter with the limit: chapters past it get the same decline and nothing else', async () => {
    const past = await lectern.ask('What happened to the green ledger?', { until, chapter: 'Vol. 2, ch. 2' });
    expect(past.message).toBe(declinedWithinLimit(doc, 3));
    expect(past.passages).toEqual([]);
    expect(past.quote).toBeUndefined();
    const straddling = await lectern.ask('What happened to the green ledger?', {
      until,
      chapter: 'Vol. 1, ch. 2 to Vol. 2, ch. 2',
    });
    expect(straddling.passages.length).toBeGreaterThan(0);
    expect(shown(straddling).every((p) => p >= 3 && p <= last)).toBe(true);
  });
});

describe('follow-ups under a limit', () => {
  it('answers "more", "why?" and "tell me more" of a question asked without one within this message’s limit', async () => {
    const key = 'limit-follow-ups';
    const first = await lectern.converse(key, 'Who did Captain Reed marry?');
    expect(shown(first.answer).some((p) => p > last)).toBe(true);
    for (const message of ['tell me more', 'more', 'why?']) {
      const turn = await lectern.converse(key, message, { until });
      expect(turn.kind).not.toBe('new');
      expect(shown(turn.answer).every((p) => p <= last)).toBe(true);
    }
  });

  it('answers a reply to another member’s question (followUpOf) under the replier’s limit', async () => {
    const whole = await lectern.ask('more', { followUpOf: 'What happened to the green ledger?' });
    expect(shown(whole).some((p) => p > last)).toBe(true);
    const limited = await lectern.ask('more', { followUpOf: 'What happened to the green ledger?', until });
    expect(limited.followUp?.kind).toBe('more');
    expect(shown(limited).every((p) => p <= last)).toBe(true);
  });

  it('stops "tell me more" at the limit', async () => {
    const key = 'limit-reading-on';
    const first = await lectern.converse(key, 'When did the river rise and carry away the footbridge?', { until });
    expect(first.answer.quote?.passageId).toBe(`${doc.id}#5`);
    const more = await lectern.converse(key, 'tell me more', { until });
    expect(more.answer.message).toBe('Reading on would go past Vol. 1, ch. 3.');
    expect(shown(more.answer).every((p) => p <= last)).toBe(true);
  });
});

describe('npx lectern ask --until', () => {
  const run = (args: string[]) => {
    const result = spawnSync(path.join(ROOT_DIR, 'node_modules', '.bin', 'tsx'), ['scripts/ask.ts', ...args], {
      cwd: ROOT_DIR,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        LECTERN_TEXTS_DIR: ws.config.textsDir,
        LECTERN_INDEX_DIR: ws.config.indexDir,
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('answers within the limit a reference names, and refuses a chapter the text lacks in one line', () => {
    const limited = run(['--until', 'Vol. 1, ch. 3', '--json', 'Who did Captain Reed marry?']);
    expect(limited.code).toBe(0);
    const json = JSON.parse(limited.stdout) as { message: string; passages: { paragraph: number }[] };
    expect(json.message).toBe('Nothing up to Vol. 1, ch. 3 answers this.');
    expect(json.passages.every((p) => p.paragraph <= 5)).toBe(true);
    const plain = run(['--until', '3', 'Who did Captain Reed marry?']);
    expect(plain.stdout).toContain('Nothing up to Vol. 1, ch. 3 answers this.');
    expect(plain.stdout).not.toMatch(/married|Portsmouth/);
    const bad = run(['--until', '9', 'Who did Captain Reed marry?']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'lectern: --until: "The Two Winters" has no chapter "9" (it has 6).',
    ]);
  });
});
