/**
 * The settings of per-server libraries (books added from Discord with /library add), one documented
 * object with every default and its reason; each is overridden by the environment variable named.
 */
import path from 'node:path';
import { z } from 'zod';
import { CORE_DEFAULTS } from '../config.js';
import { envBoolean, envInteger, parseEnv } from '../env.js';
import { DEFAULT_ATTACHMENT_HOSTS, parseAttachmentHosts } from './download.js';

const MB = 1024 * 1024;

export const LIBRARY_DEFAULTS = {
  /**
   * Every server sees the host's texts/ folder as a shared library beside its own books. Off, a server
   * sees only what it added, and a DM sees nothing. `LECTERN_SHARED_TEXTS`.
   * @default true
   */
  sharedTexts: true,
  /**
   * How many servers' indexes stay loaded; beyond it the least recently asked is closed, and loaded
   * again on its next question (0.34 s p50 for a novel, bench). A count rather than a memory budget: every
   * index is bounded by `maxFileBytes` and `maxTexts`, so a count bounds memory as well, it is what an
   * operator can reason about, and it costs nothing to check (a heap figure moves with the garbage
   * collector). Measured (npm run bench, per-server libraries): a server with Moby-Dick adds 56 MiB
   * loaded, so 8 stay near 0.45 GiB beyond the model and shared library. `LECTERN_MAX_LOADED_LIBRARIES`.
   * @default 8
   */
  maxLoaded: 8,
  /**
   * The largest file a server can add: Discord's own upload limit without Nitro is 10 MB, and a long
   * novel is 1–4 MB as text or EPUB. `LECTERN_LIBRARY_MAX_FILE_MB`.
   * @default 10 MB
   */
  maxFileBytes: 10 * MB,
  /** How many texts one server can have, queued ones included. `LECTERN_LIBRARY_MAX_TEXTS`. @default 20 */
  maxTexts: 20,
  /**
   * The total size of one server's texts, queued ones included: with `maxLoaded`, what bounds the memory
   * and disk one server can take. `LECTERN_LIBRARY_MAX_TOTAL_MB`.
   * @default 50 MB
   */
  maxTotalBytes: 50 * MB,
  /**
   * How many of one server's books can wait in the build queue at once: builds run one at a time per
   * process, so one server's ten uploads must not hold every other server's book back for an hour.
   * `LECTERN_LIBRARY_MAX_QUEUED`.
   * @default 3
   */
  maxQueuedPerServer: 3,
  /**
   * How much an EPUB may claim to unpack to: more than any novel with its images, far less than a zip
   * bomb's gigabytes. `LECTERN_LIBRARY_MAX_UNPACKED_MB`.
   * @default 512 MB
   */
  maxUnpackedBytes: 512 * MB,
  /**
   * The hosts attachments are downloaded from: Discord's attachment CDN only, so no loopback, private or
   * metadata address is ever fetched. An entry is a host (https only) or an origin such as
   * `http://127.0.0.1:4567` (tests point it at the fake Discord). `LECTERN_ATTACHMENT_HOSTS`, comma-separated.
   * @default ["cdn.discordapp.com", "media.discordapp.net"]
   */
  attachmentHosts: DEFAULT_ATTACHMENT_HOSTS,
  /**
   * A download that receives nothing for this long is given up: Discord's CDN sends a novel in well
   * under a second, so 20 s of silence is a stalled connection, not a slow one.
   * `LECTERN_DOWNLOAD_STALL_SECONDS`.
   * @default 20000 ms
   */
  downloadStallMs: 20_000,
} as const;

export interface LibrariesConfig {
  /** Where servers' texts and indexes are kept: `<LECTERN_DATA_DIR>/libraries`. */
  dir: string;
  sharedTexts: boolean;
  maxLoaded: number;
  maxFileBytes: number;
  maxTexts: number;
  maxTotalBytes: number;
  maxQueuedPerServer: number;
  maxUnpackedBytes: number;
  attachmentHosts: readonly string[];
  downloadStallMs: number;
}

const LibrariesEnv = z.object({
  LECTERN_DATA_DIR: z.string().optional(),
  LECTERN_SHARED_TEXTS: envBoolean.default(LIBRARY_DEFAULTS.sharedTexts),
  LECTERN_MAX_LOADED_LIBRARIES: envInteger(1, 10_000).default(LIBRARY_DEFAULTS.maxLoaded),
  LECTERN_LIBRARY_MAX_FILE_MB: envInteger(1, 1024).optional(),
  LECTERN_LIBRARY_MAX_TEXTS: envInteger(1, 10_000).default(LIBRARY_DEFAULTS.maxTexts),
  LECTERN_LIBRARY_MAX_TOTAL_MB: envInteger(1, 100_000).optional(),
  LECTERN_LIBRARY_MAX_QUEUED: envInteger(1, 1000).default(LIBRARY_DEFAULTS.maxQueuedPerServer),
  LECTERN_LIBRARY_MAX_UNPACKED_MB: envInteger(1, 100_000).optional(),
  LECTERN_ATTACHMENT_HOSTS: z.string().optional(),
  LECTERN_DOWNLOAD_STALL_SECONDS: z.coerce.number().positive('must be a positive number of seconds').optional(),
});

/** Reads the settings of per-server libraries from the environment (their folder is in LECTERN_DATA_DIR). */
export function loadLibrariesConfig(env: NodeJS.ProcessEnv = process.env): LibrariesConfig {
  const e = parseEnv(LibrariesEnv, env, 'Invalid configuration');
  return {
    dir: path.join(path.resolve(e.LECTERN_DATA_DIR ?? CORE_DEFAULTS.dataDir), 'libraries'),
    sharedTexts: e.LECTERN_SHARED_TEXTS,
    maxLoaded: e.LECTERN_MAX_LOADED_LIBRARIES,
    maxFileBytes: e.LECTERN_LIBRARY_MAX_FILE_MB ? e.LECTERN_LIBRARY_MAX_FILE_MB * MB : LIBRARY_DEFAULTS.maxFileBytes,
    maxTexts: e.LECTERN_LIBRARY_MAX_TEXTS,
    maxTotalBytes: e.LECTERN_LIBRARY_MAX_TOTAL_MB
      ? e.LECTERN_LIBRARY_MAX_TOTAL_MB * MB
      : LIBRARY_DEFAULTS.maxTotalBytes,
    maxQueuedPerServer: e.LECTERN_LIBRARY_MAX_QUEUED,
    maxUnpackedBytes: e.LECTERN_LIBRARY_MAX_UNPACKED_MB
      ? e.LECTERN_LIBRARY_MAX_UNPACKED_MB * MB
      : LIBRARY_DEFAULTS.maxUnpackedBytes,
    attachmentHosts: parseAttachmentHosts(e.LECTERN_ATTACHMENT_HOSTS),
    downloadStallMs: e.LECTERN_DOWNLOAD_STALL_SECONDS
      ? e.LECTERN_DOWNLOAD_STALL_SECONDS * 1000
      : LIBRARY_DEFAULTS.downloadStallMs,
  };
}
