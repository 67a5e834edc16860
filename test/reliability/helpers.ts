/** Shared helpers of the reliability suites: spawning the CLI, killing it, checking answers and indexes. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT_DIR } from '../../src/config.js';
import type { Library } from '../../src/corpus/library.js';
import { parseDocument } from '../../src/corpus/parse.js';
import { Lectern } from '../../src/lectern.js';
import { MAX_QUESTION_LENGTH } from '../../src/search/ask.js';
import type { Answer } from '../../src/types.js';
import { BUNDLED_TEXT } from '../support/workspace.js';

export const TSX = path.join(ROOT_DIR, 'node_modules', '.bin', 'tsx');
export const QUESTION = 'Who signed the communiqué?';

/** C0 and C1 control characters (tab and newline included: questions are folded to single spaces). */
export const CONTROL = /\p{Cc}/u;
/** Bidi embeddings, overrides, isolates and marks: never echoed back. */
export const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A line of a JavaScript stack trace. */
export const STACK_LINE = /^\s+at .+/m;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment a user would run the CLI with: no Discord settings, no colours, only what a test sets. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...extra };
}

/** Runs a script to completion, as `npm run …` would, without a TTY. */
export function runScript(
  script: string,
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): RunResult {
  const result = spawnSync(TSX, [path.join(ROOT_DIR, script), ...args], {
    cwd: ROOT_DIR,
    input: options.input ?? '',
    env: cliEnv(options.env),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const running = new Set<ChildProcess>();

/** When to kill: at a stderr line, or when a file whose name matches appears or changes in a folder. */
export type KillTrigger = { stderr: (line: string) => boolean } | { watch: string; file: RegExp };

/**
 * Runs a script and SIGKILLs it (or sends `signal`) `delayMs` after `trigger` first fires. tsx runs
 * the script in a child process, so the whole process group is killed, as the
 * kernel's OOM killer or a container stop would. `killed` says whether the kill
 * landed before the script exited on its own; `trigger` what fired it.
 */
export function runUntilKilled(
  script: string,
  args: string[],
  env: Record<string, string>,
  trigger: KillTrigger,
  delayMs = 0,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<RunResult & { killed: boolean; trigger?: string }> {
  return new Promise((resolve, reject) => {
    let fired: string | undefined;
    let child: ChildProcess | undefined;
    const fire = (what: string) => {
      if (fired !== undefined) return;
      fired = what;
      setTimeout(() => child && killGroup(child, signal), delayMs);
    };
    const watcher =
      'watch' in trigger
        ? watch(trigger.watch, (_event, file) => file && trigger.file.test(file) && fire(file))
        : undefined;
    child = spawn(TSX, [path.join(ROOT_DIR, script), ...args], {
      cwd: ROOT_DIR,
      env: cliEnv(env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      if ('stderr' in trigger) for (const line of lines) if (trigger.stderr(line)) fire(line);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      watcher?.close();
      running.delete(child!);
      resolve({ code, signal, stdout, stderr, killed: signal === 'SIGKILL', trigger: fired });
    });
  });
}

/** Signals the child's whole process group, as a terminal does on Ctrl-C (SIGINT) or the OOM killer on SIGKILL. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone: it finished before the kill.
  }
}

/** Kills any script a failed test left running. */
export function killLeftovers(): void {
  for (const child of running) killGroup(child);
}

/** The sentences of the bundled text, verbatim. */
export async function bundledSentences(): Promise<string[]> {
  const doc = parseDocument(BUNDLED_TEXT, await readFile(path.join(ROOT_DIR, 'texts', BUNDLED_TEXT)));
  return doc.passages
    .filter((p) => p.paragraph > 0)
    .flatMap((p) => p.sentences.map((s) => p.text.slice(s.start, s.end)));
}

/**
 * Writes `count` texts made by recombining the bundled text's sentences, so a
 * build has a few hundred units to embed (a couple of seconds on two cores).
 */
export async function writeGeneratedTexts(
  dir: string,
  count: number,
  options: { paragraphs?: number; sentences?: number } = {},
): Promise<string[]> {
  const sentences = await bundledSentences();
  const paragraphs = options.paragraphs ?? 3;
  const perParagraph = options.sentences ?? 3;
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let f = 0; f < count; f++) {
    const body: string[] = [];
    for (let p = 0; p < paragraphs; p++) {
      const picked: string[] = [];
      for (let k = 0; k < perParagraph; k++) picked.push(sentences[(f * 7 + p * 3 + k * 5) % sentences.length]!);
      body.push(picked.join(' '));
    }
    const file = `variation-${String(f).padStart(2, '0')}.txt`;
    await writeFile(path.join(dir, file), `Test Author\n\nVariation ${f} on Yagoda\n\n${body.join('\n\n')}\n`);
    files.push(file);
  }
  return files;
}

/**
 * Entries of an index directory that are neither the manifest nor the live build
 * folder, nor the vectors a stopped build saved for the next one to resume with.
 */
export async function leftovers(indexDir: string, liveDir: string): Promise<string[]> {
  return (await readdir(indexDir))
    .filter((name) => name !== 'manifest.json' && name !== liveDir && !/^\.partial-[0-9a-f]{12}\.vectors$/.test(name))
    .sort();
}

/** Opens the index with these texts (stale policy "fail", as `npm run ask` does) and checks it answers. */
export async function expectIndexAnswers(textsDir: string, indexDir: string): Promise<void> {
  const lectern = await Lectern.open({ config: { textsDir, indexDir } });
  try {
    const answer = await lectern.ask(QUESTION);
    expectSaneAnswer(answer, lectern.library);
    expect(answer.status).toBe('answered');
    expect(answer.quote?.text).toContain('signed by Kalinin');
  } finally {
    await lectern.close();
  }
}

/**
 * What every answer must satisfy, whatever the question: a known status,
 * a cleaned question, passages from the library verbatim, a quote that is a
 * verbatim slice of its passage and of at most 500 characters.
 */
export function expectSaneAnswer(
  answer: Answer,
  library: Library,
  options: { limit?: number; offset?: number } = {},
): void {
  const { limit = 5, offset = 0 } = options;
  expect(['answered', 'abstained', 'help']).toContain(answer.status);
  expect(answer.answered).toBe(answer.status === 'answered');
  expect(typeof answer.question).toBe('string');
  expect(answer.question).not.toMatch(CONTROL);
  expect(answer.question).not.toMatch(BIDI);
  expect(answer.question).not.toMatch(LONE_SURROGATE);
  expect(answer.question.length).toBeLessThanOrEqual(MAX_QUESTION_LENGTH);
  expect(answer.question).toBe(answer.question.trim());
  // Notices say only what was done to the question: cut for length, or words in another script set aside (issue 9).
  if (answer.notice !== undefined)
    expect(answer.notice).toMatch(
      /^(?:Your question was long|Words in [\w ]+ script, which the texts do not use, were not searched)/,
    );

  if (answer.status === 'help') {
    expect(answer.message).toMatch(/quoting/);
    expect(answer.passages).toEqual([]);
    expect(answer.quote).toBeUndefined();
    return;
  }
  if (answer.status === 'answered') expect(answer.quote).toBeDefined();
  else expect(answer.message).toMatch(/does not seem to address/);

  expect(answer.passages.length).toBeLessThanOrEqual(limit);
  const ids = answer.passages.map((r) => r.passage.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const ranked of answer.passages) {
    const stored = library.getPassageById(ranked.passage.id);
    expect(stored, ranked.passage.id).toBeDefined();
    expect(ranked.passage.text).toBe(stored!.text);
    expect(ranked.score).toBeGreaterThanOrEqual(0);
    expect(ranked.score).toBeLessThanOrEqual(1);
  }
  const quote = answer.quote;
  if (quote) {
    const passage = library.getPassageById(quote.passageId);
    expect(passage, quote.passageId).toBeDefined();
    expect(quote.start).toBeGreaterThanOrEqual(0);
    expect(quote.end).toBeGreaterThan(quote.start);
    expect(quote.end).toBeLessThanOrEqual(passage!.text.length);
    expect(quote.text).toBe(passage!.text.slice(quote.start, quote.end));
    expect(quote.text.length).toBeLessThanOrEqual(500);
    expect(quote.highlight.start).toBeGreaterThanOrEqual(0);
    expect(quote.highlight.end).toBeLessThanOrEqual(quote.text.length);
    expect(quote.highlight.start).toBeLessThanOrEqual(quote.highlight.end);
    // The quote comes from the best passage, which heads the list unless the caller skipped it.
    if (offset === 0 && answer.passages.length) expect(quote.passageId).toBe(answer.passages[0]!.passage.id);
  }
}
