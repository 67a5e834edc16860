/**
 * `npx lectern deploy-commands` when Discord cannot be reached (issue 17): one line saying so, as
 * `npm start` says it, not "Something went wrong inside Lectern (details are in the log)" with no log.
 */
import { execFile } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB';

/** Runs the real entry point, as `npx lectern deploy-commands` does; resolves with its exit code and output. */
async function deployCommands(apiUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: '123456789012345678',
    DISCORD_API_URL: apiUrl,
  };
  return promisify(execFile)(process.execPath, [path.join(ROOT_DIR, 'bin', 'lectern.js'), 'deploy-commands'], {
    cwd: ROOT_DIR,
    env,
    encoding: 'utf8',
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

/** What the command printed is exactly one line saying it could not connect, without the token. */
function expectOneConnectLine({ code, stdout, stderr }: { code: number; stdout: string; stderr: string }): void {
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr.split('\n').filter((l) => l.trim())).toEqual([
    expect.stringMatching(/^lectern: Could not connect to Discord: \S/),
  ]);
  expect(stderr).not.toContain('Something went wrong');
  expect(stderr).not.toContain(TOKEN);
}

describe('npx lectern deploy-commands when Discord cannot be reached', () => {
  it('a host that does not resolve: the DNS error, as npm start says it', async () => {
    // .invalid never resolves (RFC 2606), online or off: the "getaddrinfo ENOTFOUND discord.com" of an offline machine.
    const result = await deployCommands('http://discord.invalid/api');
    expectOneConnectLine(result);
    expect(result.stderr).toContain('ENOTFOUND discord.invalid');
  });

  it('a connection that is dropped: one line too, not a silent exit 0', async () => {
    // A port held by a server that drops every connection (a freed port may be taken by another test's fake).
    const sink = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    try {
      expectOneConnectLine(await deployCommands(`http://127.0.0.1:${(sink.address() as AddressInfo).port}/api`));
    } finally {
      await new Promise((resolve) => sink.close(resolve));
    }
  });
});
