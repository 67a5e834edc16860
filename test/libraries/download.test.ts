/**
 * Downloading an uploaded book (src/libraries/download.ts) from a real HTTP server on 127.0.0.1
 * that misbehaves on purpose: too big, stalling, breaking off, redirecting, missing. Refused URLs
 * must never reach the network, so every request the server sees is counted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LecternError } from '../../src/errors.js';
import {
  DEFAULT_ATTACHMENT_HOSTS,
  UploadRefused,
  downloadAttachment,
  formatMegabytes,
  parseAttachmentHosts,
  type DownloadOptions,
} from '../../src/libraries/download.js';

const MB = 1024 * 1024;
const BOOK = 'It was the best of times, it was the worst of times.\n';
/** The query Discord signs attachment URLs with; no message may repeat it. */
const SIGNED = '?ex=66aa&is=66bb&hm=secretsignature';

/** Paths the server was asked for, in order. */
const requests: string[] = [];
/** Resolves when the server sees the client go away from /endless. */
let endlessClosed: Promise<number>;
let onCancelRequest: () => void = () => {};

const server = http.createServer((req, res) => {
  const route = (req.url ?? '').split('?')[0];
  requests.push(route!);
  switch (route) {
    case '/book.txt':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(BOOK) });
      res.end(BOOK);
      return;
    case '/too-long':
      // Announces 3 MB, then sends nothing: the client must refuse on the header alone.
      res.writeHead(200, { 'content-length': 3 * MB });
      res.flushHeaders();
      return;
    case '/endless':
      // Chunked, no Content-Length: 64 KB at a time until the client hangs up (or 64 MB, a bound for the test).
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      endlessClosed = new Promise((resolve) => {
        let sent = 0;
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          while (!res.destroyed && sent < 64 * MB) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => resolve(sent));
        pump();
      });
      return;
    case '/stall-body':
      res.writeHead(200, { 'content-length': 10_000 });
      res.write(Buffer.alloc(1000, 0x61));
      return;
    case '/stall-headers':
      return;
    case '/break':
      res.writeHead(200, { 'content-length': 100_000 });
      res.write(Buffer.alloc(1000, 0x61), () => req.socket.destroy());
      return;
    case '/short':
      // Closes cleanly after 1,000 of the 100,000 bytes it announced.
      res.writeHead(200, { 'content-length': 100_000 });
      res.write(Buffer.alloc(1000, 0x61), () => req.socket.end());
      return;
    case '/redirect':
      res.writeHead(302, { location: '/book.txt' });
      res.end();
      return;
    case '/cancel':
      res.writeHead(200, { 'content-length': 10_000 });
      res.write(Buffer.alloc(1000, 0x61), () => onCancelRequest());
      return;
    default:
      res.writeHead(404);
      res.end('no such file');
  }
});

let origin = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  requests.length = 0;
});

const options = (more: Partial<DownloadOptions> = {}): DownloadOptions => ({
  allowedHosts: [...DEFAULT_ATTACHMENT_HOSTS, origin],
  maxBytes: MB,
  stallMs: 300,
  ...more,
});

/** The refusal a download ends in; fails the test when it succeeds or throws anything else. */
async function refusal(url: string, more: Partial<DownloadOptions> = {}): Promise<string> {
  const error = await downloadAttachment(url, options(more)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadRefused);
  expect(error).toBeInstanceOf(LecternError);
  const message = (error as UploadRefused).message;
  expect(message).not.toContain('\n');
  expect(message).not.toContain('secretsignature');
  return message;
}

describe('downloadAttachment', () => {
  it('downloads a file from an allowed origin, signed query and all', async () => {
    const bytes = await downloadAttachment(`${origin}/book.txt${SIGNED}`, options());
    expect(bytes.toString('utf8')).toBe(BOOK);
    expect(requests).toEqual(['/book.txt']);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost/',
    'https://evil.example/book.txt',
    'file:///etc/passwd',
    'https://user@cdn.discordapp.com/x',
    'https://user:pass@cdn.discordapp.com/x',
    'http://cdn.discordapp.com/attachments/1/2/book.txt',
    'https://cdn.discordapp.com:8443/attachments/1/2/book.txt',
    'https://cdn.discordapp.com.evil.example/x',
    'ftp://cdn.discordapp.com/x',
    'not a url',
    '',
  ])('refuses %j without any network activity', async (url) => {
    let fetched = 0;
    const countingFetch: typeof fetch = (...args) => {
      fetched++;
      return fetch(...args);
    };
    expect(await refusal(`${url}${SIGNED}`, { fetch: countingFetch })).toBe(
      `I only download attachments from Discord (cdn.discordapp.com, media.discordapp.net, ${origin}); that link points elsewhere.`,
    );
    expect(fetched).toBe(0);
  });

  it('matches an origin entry on scheme, host and port exactly', async () => {
    const port = new URL(origin).port;
    for (const url of [
      `https://127.0.0.1:${port}/book.txt`,
      'http://127.0.0.1/book.txt',
      `http://localhost:${port}/book.txt`,
    ])
      await refusal(url, { allowedHosts: [origin] });
    // Bare host entries mean HTTPS on the default port only.
    await refusal(`${origin}/book.txt`, { allowedHosts: ['127.0.0.1'] });
    expect(requests).toEqual([]);
  });

  it('refuses a declared size over the limit before fetching, naming the size and the limit', async () => {
    const message = await refusal(`${origin}/book.txt`, { declaredSize: 12.4 * MB, maxBytes: 10 * MB });
    expect(message).toBe('That file is 12.4 MB; the limit is 10 MB per book (LECTERN_LIBRARY_MAX_FILE_MB).');
    expect(requests).toEqual([]);
  });

  it('refuses a Content-Length over the limit without reading the body', async () => {
    expect(await refusal(`${origin}/too-long${SIGNED}`)).toBe(
      'That file is 3 MB; the limit is 1 MB per book (LECTERN_LIBRARY_MAX_FILE_MB).',
    );
  });

  it('stops a body without Content-Length as soon as it passes the limit', async () => {
    expect(await refusal(`${origin}/endless`)).toBe(
      'That file is over the 1 MB limit per book (LECTERN_LIBRARY_MAX_FILE_MB).',
    );
    // The server sees the client hang up long before its 64 MB are out.
    expect(await endlessClosed).toBeLessThan(64 * MB);
  });

  it('gives up on a server that sends headers and then nothing', async () => {
    expect(await refusal(`${origin}/stall-body`)).toBe('The download stalled. Try again.');
  });

  it('gives up on a server that never answers', async () => {
    expect(await refusal(`${origin}/stall-headers`)).toBe('The download stalled. Try again.');
  });

  it('reports a connection destroyed mid-body as broken off', async () => {
    expect(await refusal(`${origin}/break`, { stallMs: 10_000 })).toBe(
      'The download broke off before the end. Try again.',
    );
  });

  it('reports a body shorter than its Content-Length as broken off', async () => {
    expect(await refusal(`${origin}/short`, { stallMs: 10_000 })).toBe(
      'The download broke off before the end. Try again.',
    );
  });

  it('does not follow a redirect', async () => {
    expect(await refusal(`${origin}/redirect${SIGNED}`)).toBe(
      'Discord sent a redirect instead of the file, and I do not follow redirects.',
    );
    expect(requests).toEqual(['/redirect']);
  });

  it('names the HTTP status of a failed request', async () => {
    expect(await refusal(`${origin}/missing.txt${SIGNED}`)).toBe('Discord would not give me the file (HTTP 404).');
  });

  it('stops when the caller cancels, mid-body', async () => {
    const controller = new AbortController();
    onCancelRequest = () => controller.abort();
    expect(await refusal(`${origin}/cancel`, { signal: controller.signal, stallMs: 10_000 })).toBe(
      'The upload was cancelled.',
    );
  });

  it('does not start when the caller has already cancelled', async () => {
    expect(await refusal(`${origin}/book.txt`, { signal: AbortSignal.abort() })).toBe('The upload was cancelled.');
    expect(requests).toEqual([]);
  });

  it('says so when the server cannot be reached', async () => {
    // A port that was just free: bind, note it, close.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    expect(await refusal(`${closed}/book.txt`, { allowedHosts: [closed] })).toBe(
      'I could not reach Discord to fetch the file. Try again.',
    );
  });
});

describe('parseAttachmentHosts', () => {
  it('defaults to Discord when unset or blank', () => {
    expect(parseAttachmentHosts(undefined)).toEqual(['cdn.discordapp.com', 'media.discordapp.net']);
    expect(parseAttachmentHosts('  ')).toEqual(['cdn.discordapp.com', 'media.discordapp.net']);
  });

  it('takes host names and origins, normalised', () => {
    expect(parseAttachmentHosts(' CDN.discordapp.com , http://127.0.0.1:4567/,https://Files.Example:443')).toEqual([
      'cdn.discordapp.com',
      'http://127.0.0.1:4567',
      'https://files.example',
    ]);
  });

  it.each([
    'ftp://files.example',
    'http://files.example/path',
    'https://user@files.example',
    'bad host',
    '*.discordapp.com',
    'http://',
  ])('refuses %j, naming it', (entry) => {
    expect(() => parseAttachmentHosts(`cdn.discordapp.com,${entry}`)).toThrow(LecternError);
    expect(() => parseAttachmentHosts(`cdn.discordapp.com,${entry}`)).toThrow(`bad entry "${entry}"`);
  });
});

describe('formatMegabytes', () => {
  it('writes one decimal, none when it is .0', () => {
    expect(formatMegabytes(12.4 * MB)).toBe('12.4 MB');
    expect(formatMegabytes(10 * MB)).toBe('10 MB');
    expect(formatMegabytes(512 * MB)).toBe('512 MB');
    expect(formatMegabytes(2000)).toBe('0.1 MB');
  });
});
