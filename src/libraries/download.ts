import { LecternError } from '../errors.js';

/**
 * Fetching a book a reader attached to `/library add`: only from Discord's attachment hosts, never
 * more than the size limit into memory, and never waiting forever. Every refusal is an
 * {@link UploadRefused} whose message is the one line the reader sees; none of them quotes the URL,
 * whose query string is Discord's signature for the attachment.
 */

/** A book upload Lectern will not take, with the one line that tells the reader why. */
export class UploadRefused extends LecternError {
  override name = 'UploadRefused';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    // The underlying network error, for the log only; the reader sees `message`.
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Where Discord serves attachments from. */
export const DEFAULT_ATTACHMENT_HOSTS: readonly string[] = ['cdn.discordapp.com', 'media.discordapp.net'];

/** The environment variable that replaces {@link DEFAULT_ATTACHMENT_HOSTS} (a local fake Discord, say). */
const HOSTS_VARIABLE = 'LECTERN_ATTACHMENT_HOSTS';
/** The environment variable behind `maxBytes`, named so the refusal says what to change. */
const SIZE_VARIABLE = 'LECTERN_LIBRARY_MAX_FILE_MB';

const MEGABYTE = 1024 * 1024;

/** A host name: dot-separated labels of letters, digits and inner hyphens ("cdn.discordapp.com", "127.0.0.1"). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** "12.4 MB", "10 MB", "0.1 MB": one decimal, none when it is .0 (1 MB = 1024 × 1024 bytes). */
export function formatMegabytes(bytes: number): string {
  const megabytes = bytes / MEGABYTE;
  if (megabytes > 0 && megabytes < 0.1) return '0.1 MB';
  return `${Number(megabytes.toFixed(megabytes >= 100 ? 0 : 1))} MB`;
}

/**
 * The allowed attachment hosts from a comma-separated setting: bare host names (HTTPS on the
 * default port only) or origins such as `http://127.0.0.1:4567` (exactly that scheme, host and port).
 * Unset or blank means {@link DEFAULT_ATTACHMENT_HOSTS}. A bad entry throws, naming it.
 */
export function parseAttachmentHosts(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return [...DEFAULT_ATTACHMENT_HOSTS];
  return entries.map((entry) => {
    const normalised = normaliseHostEntry(entry);
    if (!normalised)
      throw new LecternError(
        `${HOSTS_VARIABLE} has a bad entry "${entry}": give host names (cdn.discordapp.com) or origins (http://127.0.0.1:4567), separated by commas. Fix it in .env (see .env.example).`,
      );
    return normalised;
  });
}

/** A host name lower-cased, an origin as `URL.origin` writes it; undefined for anything else. */
function normaliseHostEntry(entry: string): string | undefined {
  if (!entry.includes('://')) return HOST_NAME.test(entry) ? entry.toLowerCase() : undefined;
  // Scheme and authority only: no path, query, fragment or credentials.
  if (!/^https?:\/\/[^/?#@\\]+\/?$/i.test(entry)) return undefined;
  try {
    return new URL(entry).origin;
  } catch {
    return undefined;
  }
}

/** The URL when the allow-list lets Lectern fetch it, else undefined. Decided before any network activity. */
function allowedUrl(raw: string, allowedHosts: readonly string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // "https://user@cdn.discordapp.com/…" is not what Discord sends; credentials in a link are refused outright.
  if (url.username || url.password) return undefined;
  const allowed = allowedHosts.some((entry) => {
    const normalised = normaliseHostEntry(entry);
    if (!normalised) return false;
    if (normalised.includes('://')) return url.origin === normalised;
    return url.protocol === 'https:' && url.port === '' && url.hostname === normalised;
  });
  return allowed ? url : undefined;
}

export interface DownloadOptions {
  /** Host names and origins (see {@link parseAttachmentHosts}). */
  allowedHosts: readonly string[];
  /** The size Discord reports for the attachment; over `maxBytes`, nothing is fetched. */
  declaredSize?: number;
  maxBytes: number;
  /** How long without a byte (before the headers or between chunks) counts as stalled. */
  stallMs: number;
  /** Aborting it cancels the download: an {@link UploadRefused} "The upload was cancelled." */
  signal?: AbortSignal;
  /** For tests; the global `fetch` otherwise. */
  fetch?: typeof fetch;
}

/**
 * The attachment's bytes, or an {@link UploadRefused} saying why not. The allow-list and the
 * declared size are checked before any request; the Content-Length before the body is read; the
 * byte count while it streams, stopping as soon as it passes `maxBytes`. Redirects are not followed
 * (one could lead off the allow-list): `redirect: 'manual'` and any 3xx is refused. ('error' would do
 * the same, but undici reports it as the TypeError "fetch failed" it also uses for a refused
 * connection, telling them apart only by the text of its cause.)
 */
export async function downloadAttachment(url: string, options: DownloadOptions): Promise<Buffer> {
  const { allowedHosts, declaredSize, maxBytes, stallMs, signal } = options;
  const target = allowedUrl(url, allowedHosts);
  if (!target)
    throw new UploadRefused(
      `I only download attachments from Discord (${allowedHosts.join(', ')}); that link points elsewhere.`,
    );
  if (declaredSize !== undefined && declaredSize > maxBytes) throw tooLarge(declaredSize, maxBytes);
  if (signal?.aborted) throw new UploadRefused('The upload was cancelled.');

  const controller = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const waitForBytes = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, stallMs);
  };
  const cancel = () => controller.abort();
  signal?.addEventListener('abort', cancel, { once: true });
  // Why the transfer stopped, once it has: the reader's cancel and our stall timer abort the same controller.
  const stopped = (error: unknown, otherwise: UploadRefused): UploadRefused => {
    if (signal?.aborted) return new UploadRefused('The upload was cancelled.');
    if (stalled) return new UploadRefused('The download stalled. Try again.');
    if (error instanceof UploadRefused) return error;
    otherwise.cause = error;
    return otherwise;
  };

  try {
    waitForBytes();
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(target, {
        redirect: 'manual',
        signal: controller.signal,
        // The Content-Length then counts the bytes that arrive, and nothing inflates beyond maxBytes unseen.
        headers: { 'accept-encoding': 'identity' },
      });
    } catch (error) {
      throw stopped(error, new UploadRefused('I could not reach Discord to fetch the file. Try again.'));
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => {});
      throw new UploadRefused('Discord sent a redirect instead of the file, and I do not follow redirects.');
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new UploadRefused(`Discord would not give me the file (HTTP ${response.status}).`);
    }
    const lengthHeader = response.headers.get('content-length');
    const contentLength = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    if (contentLength !== undefined && contentLength > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge(contentLength, maxBytes);
    }

    const chunks: Uint8Array[] = [];
    let received = 0;
    const broke = new UploadRefused('The download broke off before the end. Try again.');
    if (response.body) {
      const reader = response.body.getReader();
      try {
        for (;;) {
          waitForBytes();
          const { done, value } = await reader.read();
          if (done) break;
          received += value.byteLength;
          if (received > maxBytes) throw tooLarge(undefined, maxBytes);
          chunks.push(value);
        }
      } catch (error) {
        controller.abort();
        await reader.cancel().catch(() => {});
        throw stopped(error, broke);
      }
    }
    // A body that ends early without an error (the server closed cleanly mid-file) is broken all the same.
    if (contentLength !== undefined && received < contentLength && !response.headers.get('content-encoding'))
      throw broke;
    return Buffer.concat(chunks, received);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
}

/** The size refusal: with the size when it is known and says more than the limit, else "over the limit". */
function tooLarge(size: number | undefined, maxBytes: number): UploadRefused {
  const limit = formatMegabytes(maxBytes);
  // 10.01 MB shows as "10 MB", which would read "That file is 10 MB; the limit is 10 MB".
  if (size !== undefined && formatMegabytes(size) !== limit)
    return new UploadRefused(
      `That file is ${formatMegabytes(size)}; the limit is ${limit} per book (${SIZE_VARIABLE}).`,
    );
  return new UploadRefused(`That file is over the ${limit} limit per book (${SIZE_VARIABLE}).`);
}
