/** Secrets stay out of the repository: `.env` (where DISCORD_TOKEN lives) is git-ignored and untracked. */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.js';

const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT_DIR, encoding: 'utf8' });

describe('.env', () => {
  it('is listed in .gitignore', async () => {
    const patterns = (await readFile(path.join(ROOT_DIR, '.gitignore'), 'utf8')).split('\n').map((line) => line.trim());
    expect(patterns).toContain('.env');
  });

  it('is ignored by git, whether or not it exists, and is not tracked', () => {
    // --no-index: answer from the ignore rules alone, even if someone force-added the file.
    expect(git('check-ignore', '--no-index', '--quiet', '.env').status).toBe(0);
    expect(git('ls-files', '--error-unmatch', '.env').status).not.toBe(0);
  });

  it('.env.example, which is committed, holds no token', async () => {
    const example = await readFile(path.join(ROOT_DIR, '.env.example'), 'utf8');
    // A Discord bot token is three base64url parts separated by dots, the first ~24+ characters.
    expect(example).not.toMatch(/[A-Za-z0-9_-]{23,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{27,}/);
  });
});
