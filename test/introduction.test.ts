/**
 * "Who is X?" favours the first passages that mention X (search/introduction.ts):
 * the question forms, and the bonus through the whole pipeline with the real
 * model and index, built from a four-paragraph story; also the penalty for
 * passages too short to answer (`SearchOptions.shortWords`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lectern } from '../src/lectern.js';
import { introducedNames, mayAskWhoIs } from '../src/search/analyse/introduction.js';
import { makeFixtureWorkspace, type Workspace } from './support/workspace.js';

describe('introducedNames', () => {
  const names = new Set(['fedallah', 'mapple', 'steelkilt', 'radney', 'robin', 'goodfellow', 'ahab', 'bunger']);
  it.each([
    ['who is fedallah exactly?', [['fedallah']]],
    ["who's Father Mapple? was he ever a sailor", [['mappl']]],
    ['Who is Dr. Bunger?', [['bunger']]],
    ['in the town-ho story who are steelkilt and radney', [['steelkilt'], ['radnei']]],
    ['who is robin goodfellow in fairyfoot', [['robin', 'goodfellow']]],
    ["Who was Ahab's father?", []],
    ['who is Ahab talking to', []],
    ['Who is the quarterback?', []],
    ['Who is rumored to have been shot?', []],
    ['Why does Ahab hate the whale?', []],
  ])('%s', (question, expected) => {
    expect(introducedNames(question, names)).toEqual(expected);
  });

  it('is not asked for other questions', () => {
    expect(mayAskWhoIs('Who is Quill?')).toBe(true);
    expect(mayAskWhoIs("who's quill")).toBe(true);
    expect(mayAskWhoIs('Whose boat is it?')).toBe(false);
  });
});

describe('first mentions through search', () => {
  let ws: Workspace;
  let lectern: Lectern;
  beforeAll(async () => {
    ws = await makeFixtureWorkspace(['books/gull-rock.md']);
    lectern = await Lectern.open({ config: ws.config });
  }, 120_000);
  afterAll(async () => {
    await lectern?.close();
    await ws?.cleanup();
  });

  const scores = async (question: string, options = {}) =>
    new Map(
      (await lectern.ask(question, { limit: 10, ...options })).passages.map((r) => [r.passage.paragraph, r.score]),
    );

  it('adds a bonus to the first three passages that name Quill, less to each later one', async () => {
    const favoured = await scores('Who is Quill?');
    const plain = await scores('Who is Quill?', { ranking: { rerank: { introduction: { bonus: 0 } } } });
    const gain = (paragraph: number) => favoured.get(paragraph)! - plain.get(paragraph)!;
    // ¶1–¶3 name Quill first; ¶4 ("And who is Quill?") is the fourth mention and gets nothing.
    // (Scores shown to readers are capped at 1 and re-ranked by answer type, so gains are not the bare bonus.)
    expect(gain(1)).toBeGreaterThan(0.1);
    expect(gain(2)).toBeGreaterThan(gain(3));
    expect(gain(3)).toBeGreaterThan(0.02);
    expect(gain(4)).toBeCloseTo(0, 5);
  });

  it('scores a first mention neither retriever found', async () => {
    const answer = await lectern.ask('Who is Quill?', {
      ranking: { retrieve: { denseCandidates: 1, lexicalCandidates: 1 } },
    });
    expect(answer.passages.map((r) => r.passage.paragraph)).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(answer.passages[0]!.passage.paragraph).toBe(1);
  });

  it('ranks a line too short to answer below its fused score', async () => {
    // ¶4, '"And who is Quill?" asked the boy.', has seven words.
    const penalised = await scores('Who is Quill?');
    const plain = await scores('Who is Quill?', { ranking: { rerank: { shortWords: 0 } } });
    expect(plain.get(4)! - penalised.get(4)!).toBeGreaterThan(0.04);
    expect(penalised.get(1)).toBeCloseTo(plain.get(1)!, 5);
  });

  it('leaves other questions alone', async () => {
    const asked = await scores("Who was Quill's brother?");
    const plain = await scores("Who was Quill's brother?", { ranking: { rerank: { introduction: { bonus: 0 } } } });
    expect(asked).toEqual(plain);
  });
});
