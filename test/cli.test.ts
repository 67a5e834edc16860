import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.js';
import { makeWorkspace } from './support/workspace.js';

const TSX = path.join(ROOT_DIR, 'node_modules', '.bin', 'tsx');

/** Runs a script as a user would, without a TTY and without Discord settings. */
function run(script: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env };
  const result = spawnSync(TSX, [path.join(ROOT_DIR, script), ...args], {
    cwd: ROOT_DIR,
    input: options.input ?? '',
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `npx lectern …`'s entry point (bin/lectern.js) as npx does, without a TTY. */
function runBin(args: string[], options: { input?: string } = {}) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
  const result = spawnSync(process.execPath, [path.join(ROOT_DIR, 'bin', 'lectern.js'), ...args], {
    cwd: ROOT_DIR,
    input: options.input ?? '',
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npx lectern (bin/lectern.js): every documented JSON command prints only JSON', () => {
  it('ask --json', () => {
    const { code, stdout } = runBin(['ask', '--json', 'Who signed the communiqué?']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ answered: true });
  });

  it('ask --json with questions on stdin: one JSON object per line', () => {
    const { code, stdout } = runBin(['ask', '--json'], { input: 'Who signed the communiqué?\nWho transcribed it?\n' });
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toHaveLength(2);
  });

  it('ask --sources --json', () => {
    const { code, stdout } = runBin(['ask', '--sources', '--json']);
    expect(code).toBe(0);
    const sources = JSON.parse(stdout);
    expect(sources[0]).toMatchObject({
      id: 'serge-the-end-of-henry-yagoda-1937',
      author: 'Victor Serge',
      title: 'The End of Henry Yagoda',
    });
  });

  it('npm run --silent ask -- --json, as the README documents for npm run', () => {
    const result = spawnSync('npm', ['run', '--silent', 'ask', '--', '--json', 'Who signed the communiqué?'], {
      cwd: ROOT_DIR,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ answered: true });
  });

  it('lists the commands, and refuses an unknown one with exit code 2', () => {
    expect(runBin([]).stdout).toMatch(/^Usage: npx lectern <command>/);
    const bad = runBin(['nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command "nope"/);
  });
});

describe('npm run ask', () => {
  it('prints the answer with its citation', () => {
    const { code, stdout } = run('scripts/ask.ts', ['Who signed the communiqué?']);
    expect(code).toBe(0);
    expect(stdout).toContain('A Government communiqué, signed by Kalinin');
    expect(stdout).toContain('Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p.\u00a09, ¶2');
  });

  it('prints one JSON object with --json', () => {
    const { code, stdout } = run('scripts/ask.ts', ['--json', 'Who signed the communiqué?']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ question: 'Who signed the communiqué?', answered: true });
    expect(json.quote).toContain('signed by Kalinin');
    expect(json.citation).toBe(
      'Victor Serge, "The End of Henry Yagoda", Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p.\u00a09, ¶2',
    );
    expect(json.passages.length).toBeGreaterThanOrEqual(3);
    for (const p of json.passages)
      expect(Object.keys(p).sort()).toEqual(['doc', 'location', 'paragraph', 'score', 'text', 'title']);
  });

  it('answers questions from stdin, one JSON line each, loading the model once', () => {
    const { code, stdout } = run('scripts/ask.ts', ['--json'], {
      input: 'Who signed the communiqué?\n\nHow do I bake sourdough bread?\nhello\n',
    });
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.answered)).toEqual([true, false, false]);
    expect(lines[1].passages.length).toBeGreaterThan(0);
  });

  it('refuses an empty question with exit code 2', () => {
    const { code, stderr, stdout } = run('scripts/ask.ts', ['   ']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^lectern: The question is empty/);
    expect(stdout).toBe('');
  });

  it('truncates a 100 kB question with a notice instead of failing', () => {
    const { code, stderr, stdout } = run('scripts/ask.ts', [
      'x'.repeat(50) + ' Who signed the communiqué? '.repeat(3700),
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/longer than 1,000 characters, so only the first 1,000 were read/);
    expect(stdout.length).toBeGreaterThan(0);
  });

  it('names the fix for a missing index in one line, without a stack trace', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lectern-cli-'));
    try {
      const { code, stderr } = run('scripts/ask.ts', ['Who signed the communiqué?'], {
        env: { LECTERN_INDEX_DIR: dir },
      });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/No index in .*npm run embed/);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the fix for a missing model', () => {
    const { code, stderr } = run('scripts/ask.ts', ['Who?'], { env: { LECTERN_MODEL_DIR: '/nonexistent' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/not found in \/nonexistent.*npm ci/);
  });

  it('rejects a malformed setting with one line', () => {
    const { code, stderr } = run('scripts/ask.ts', ['Who?'], { env: { LECTERN_MODEL_DTYPE: 'q3' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid configuration: LECTERN_MODEL_DTYPE/);
  });
});

describe('npm start', () => {
  it('without a token or a terminal, exits 1 saying what to set', () => {
    const { code, stderr } = run('src/cli/start.ts', []);
    expect(code).toBe(1);
    expect(stderr).toMatch(/No DISCORD_TOKEN is set.*Set DISCORD_TOKEN in \.env/);
  });
});

describe('npm run embed', () => {
  it('reports an up-to-date index, then rebuilds with --force, in plain lines without a TTY', async () => {
    const ws = await makeWorkspace({ copyIndex: true });
    try {
      const env = { LECTERN_TEXTS_DIR: ws.config.textsDir, LECTERN_INDEX_DIR: ws.config.indexDir };
      const current = run('scripts/embed.ts', [], { env });
      expect(current.code).toBe(0);
      expect(current.stdout).toMatch(/Index is up to date/);
      const forced = run('scripts/embed.ts', ['--force'], { env });
      expect(forced.code).toBe(0);
      expect(forced.stderr).toMatch(/^Read 1 text\(s\): 11 passages/);
      expect(forced.stderr).not.toContain('\u001b[');
      expect(forced.stdout).toMatch(/Wrote .*: 1 text\(s\), 11 passages/);
    } finally {
      await ws.cleanup();
    }
  });
});
