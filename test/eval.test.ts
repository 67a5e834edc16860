import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig, ROOT_DIR } from '../src/config.js';
import { textsCacheKey } from '../src/eval/cache.js';
import { matches, parseEvalFile, quoteIsVerbatim } from '../src/eval/evaluate.js';
import { bodyBlocks, isSameParagraph } from '../src/eval/gold.js';
import { detectSetKind } from '../src/eval/set-registry.js';
import type { Answer, Passage } from '../src/types.js';

const TSX = path.join(ROOT_DIR, 'node_modules', '.bin', 'tsx');

/** Runs `npm run eval` as a user would, without a TTY. */
function runEval(args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
  const result = spawnSync(TSX, [path.join(ROOT_DIR, 'scripts/eval.ts'), ...args], {
    cwd: ROOT_DIR,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// A tiny SQuAD-style text: front matter, then one paragraph per block, hard-wrapped with CRLF like a Gutenberg file.
const ARTICLE = [
  '---',
  'title: The Harbour Light',
  'author: Test Author',
  '---',
  '',
  'The Harbour Light was built in 1851 by the engineer Elsa Marrow, who\r',
  'chose the granite of the northern quarry for its tower.\r',
  '',
  'Its keepers lived in a cottage at the foot of the tower and rowed to the\r',
  'village for supplies every Thursday.\r',
  '',
  'In 1923 the oil lamp was replaced by an electric one because the oil\r',
  'deliveries failed every winter when storms closed the harbour road.\r',
  '',
].join('\n');

const QUESTIONS = [
  { q: 'Who built the Harbour Light?', expect: ['engineer Elsa Marrow'], kind: 'fact', paragraph: 1 },
  {
    q: 'Why was the oil lamp replaced by an electric one?',
    expect: ['oil deliveries failed every winter'],
    kind: 'why',
    paragraph: 3,
  },
  { q: 'How do I bake sourdough bread?', expect: [], kind: 'offtopic' },
];

let dir: string;
let textsDir: string;
let cacheDir: string;
let setFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-eval-'));
  textsDir = path.join(dir, 'texts');
  cacheDir = path.join(dir, 'cache');
  setFile = path.join(dir, 'questions.jsonl');
  await mkdir(textsDir);
  await writeFile(path.join(textsDir, 'harbour-light.md'), ARTICLE);
  await writeFile(setFile, QUESTIONS.map((q) => JSON.stringify(q)).join('\n') + '\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run eval -- --texts DIR', () => {
  it('builds an index for the folder once, caches it, and scores kinds and gold paragraphs', async () => {
    const first = runEval(['--texts', textsDir, '--cache-dir', cacheDir, setFile, '--json']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Building the index');
    const json = JSON.parse(first.stdout);
    expect(json.metrics.map((m: { mode: string }) => m.mode)).toEqual(['hybrid', 'dense', 'lexical']);
    const hybrid = json.metrics[0];
    expect(hybrid).toMatchObject({
      questions: 3,
      answerable: 2,
      unanswerable: 1,
      hit1: 1,
      quote1: 1,
      gold1: 1,
      gold3: 1,
      abstention: 1,
    });
    expect(json.byKind.hybrid.map((k: { kind: string }) => k.kind)).toEqual(['fact', 'why', 'offtopic']);
    expect(json.byKind.hybrid[2]).toMatchObject({
      kind: 'offtopic',
      questions: 1,
      declined: 1,
      hit1: null,
      gold1: null,
    });
    expect(await readdir(cacheDir)).toHaveLength(1);

    const second = runEval(['--texts', textsDir, '--cache-dir', cacheDir, setFile]);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('Building the index');
    expect(second.stdout).toMatch(/retrieval +hit@1 +hit@3 +quote@1 +false abst\. +abstention +gold@1 +gold@3/);
    expect(second.stdout).toMatch(/^hybrid +100\.0% +100\.0% +100\.0% +0\.0% +100\.0% +100\.0% +100\.0%$/m);
    expect(second.stdout).toMatch(/^offtopic +1 +– +– +– +100\.0% +– +–$/m);
    expect(await readdir(cacheDir)).toHaveLength(1);

    const filtered = runEval(['--texts', textsDir, '--cache-dir', cacheDir, setFile, '--kind', 'why', '--json']);
    expect(filtered.code).toBe(0);
    expect(JSON.parse(filtered.stdout).byKind.hybrid.map((k: { kind: string }) => k.kind)).toEqual(['why']);
  });

  it('says in one line what is wrong with a set, a filter or an option', async () => {
    const pastEnd = path.join(dir, 'past-end.jsonl');
    await writeFile(pastEnd, JSON.stringify({ q: 'Who built it?', expect: ['Marrow'], paragraph: 9 }) + '\n');
    const bad = runEval(['--texts', textsDir, '--cache-dir', cacheDir, pastEnd]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('names paragraph 9, but harbour-light.md has 3');
    expect(bad.stderr).not.toMatch(/\bat .+\.ts:\d+/);

    const kind = runEval(['--texts', textsDir, setFile, '--kind', 'locate']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('no question of kind locate; this set has fact, why, offtopic');

    const limit = runEval([setFile, '--limit', 'many']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit takes a positive whole number');

    const help = runEval(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--texts DIR');
  });
});

describe('scoring', () => {
  it('numbers gold paragraphs as the body blocks after the front matter, whatever the line ends', () => {
    const blocks = bodyBlocks(ARTICLE);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toBe(
      'The Harbour Light was built in 1851 by the engineer Elsa Marrow, who chose the granite of the northern quarry for its tower.',
    );
  });

  it('recognises the gold paragraph by its text, not by its number', () => {
    const gold = bodyBlocks(ARTICLE)[2]!;
    expect(
      isSameParagraph(
        'In 1923 the oil lamp was replaced by an electric one because the oil\ndeliveries failed every winter when storms closed the harbour road.',
        gold,
      ),
    ).toBe(true);
    expect(isSameParagraph(`Lamps.\n\n${gold}`, gold)).toBe(true);
    expect(isSameParagraph('In 1923 the oil lamp was replaced.', gold)).toBe(false);
    expect(isSameParagraph(`${bodyBlocks(ARTICLE).join('\n\n')}\n\n${'More text. '.repeat(40)}`, gold)).toBe(false);
  });

  it('matches expectations across the line breaks of a hard-wrapped book', () => {
    expect(matches('built by the engineer Elsa\r\nMarrow, who', ['engineer Elsa Marrow'])).toBe(true);
    expect(matches('“Call me Ishmael.” Some years ago—never', ['"Call me Ishmael." Some years ago-never'])).toBe(true);
  });

  it('accepts a quote whose white space was folded for display, and nothing else', () => {
    const text = 'The oil\ndeliveries failed every winter. “Storms” closed the road.';
    const passage: Passage = { id: 'd#1', docId: 'd', paragraph: 1, text, sentences: [] };
    const answer = (quote: string, start: number, end: number): Answer => ({
      question: 'q',
      answered: true,
      status: 'answered',
      quote: { passageId: 'd#1', text: quote, start, end, highlight: { start: 0, end: quote.length } },
      passages: [{ passage, score: 1, dense: 1, lexical: 1 }],
    });
    const end = text.indexOf('winter.') + 'winter.'.length;
    expect(quoteIsVerbatim(answer(text.slice(0, end), 0, end))).toBe(true);
    expect(quoteIsVerbatim(answer('The oil deliveries failed every winter.', 0, end))).toBe(true);
    expect(quoteIsVerbatim(answer('The oil deliveries failed every winter', 0, end))).toBe(false);
    const storms = text.indexOf('“Storms”');
    expect(quoteIsVerbatim(answer('"Storms" closed the road.', storms, text.length))).toBe(false);
  });

  it('keys cached indexes by the texts’ names and bytes, not by their folder', async () => {
    const config = loadCoreConfig({});
    const copy = path.join(dir, 'copy');
    await mkdir(copy, { recursive: true });
    await writeFile(path.join(copy, 'harbour-light.md'), ARTICLE);
    expect(await textsCacheKey(copy, config)).toBe(await textsCacheKey(textsDir, config));
    await writeFile(path.join(copy, 'harbour-light.md'), ARTICLE.replace('1851', '1852'));
    expect(await textsCacheKey(copy, config)).not.toBe(await textsCacheKey(textsDir, config));
  });

  it('tells question sets by the shape of their lines and names a bad line', () => {
    expect(detectSetKind('\n{"q": "Who?", "expect": []}\n').name).toBe('questions');
    expect(() => detectSetKind('{"topic": "whales"}')).toThrow(/line 1 is not a line of any known set/);
    expect(() => parseEvalFile('{"q": "Who?", "expect": []}\n{"q": "Why?", "expect": "x"}')).toThrow(/line 2: expect:/);
  });
});

describe('npm run eval -- --until (reading along, issue 19)', () => {
  const BOOK_QUESTIONS = [
    { q: 'Who did Captain Reed marry?', expect: ['married Clara Hale'], kind: 'fact', chapter: 'Vol. 2, ch. 3' },
    { q: 'What did Clara Hale keep the accounts in?', expect: ['green ledger'], kind: 'fact', chapter: 1 },
    { q: 'What carried away the footbridge below the mill?', expect: ['the river rose'], kind: 'fact', chapter: 3 },
    { q: 'Who is the author?', expect: ['Jane Example'], kind: 'meta' },
  ];
  let bookDir: string;
  let bookSet: string;
  beforeAll(async () => {
    bookDir = path.join(dir, 'book');
    await mkdir(bookDir);
    const { copyFile } = await import('node:fs/promises');
    await copyFile(path.join(ROOT_DIR, 'test/fixtures/books/two-winters.txt'), path.join(bookDir, 'two-winters.txt'));
    bookSet = path.join(dir, 'book-questions.jsonl');
    await writeFile(bookSet, BOOK_QUESTIONS.map((q) => JSON.stringify(q)).join('\n') + '\n');
  });

  it('--until answer: asks each question with a chapter under its limit and counts leaks per path', () => {
    const run = runEval([
      '--texts',
      bookDir,
      '--cache-dir',
      cacheDir,
      '--until',
      'answer',
      '--follow-ups',
      '--json',
      bookSet,
    ]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      readingAlong: {
        mode: string;
        questions: number;
        skipped: number;
        hit1: number;
        chaptersPerWeek: number;
        leaks: Record<string, number>;
      };
      results: { through: number; chapter: number }[];
    };
    expect(json.readingAlong).toMatchObject({ mode: 'answer', questions: 3, skipped: 1, chaptersPerWeek: 5 });
    expect(json.readingAlong.leaks).toEqual({ quote: 0, passages: 0, why: 0, more: 0, context: 0 });
    expect(json.readingAlong.hit1).toBeGreaterThan(0.5);
    expect(json.results.map((r) => [r.chapter, r.through])).toEqual([
      [6, 6],
      [1, 1],
      [3, 3],
    ]);
    const text = runEval(['--texts', bookDir, '--cache-dir', cacheDir, '--until', 'answer', bookSet]);
    expect(text.stdout).toMatch(/reading along \(--until answer; 5 chapters a week\)/);
    expect(text.stdout).toMatch(/leaks: quote 0, passages 0/);
  });

  it('--until before: the limit is the chapter before the answer; declines are counted, nothing leaks', () => {
    const run = runEval(['--texts', bookDir, '--cache-dir', cacheDir, '--until', 'before', '--json', bookSet]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { readingAlong: { declined: number; leaks: Record<string, number> } };
    expect(json.readingAlong.leaks).toMatchObject({ quote: 0, passages: 0 });
    expect(json.readingAlong.declined).toBeGreaterThan(0);
    const bad = runEval(['--texts', bookDir, '--cache-dir', cacheDir, '--until', 'soon', bookSet]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--until takes answer, before, later (got "soon").');
  });
});
