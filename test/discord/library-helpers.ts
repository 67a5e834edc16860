/**
 * What the /library end-to-end files share: reading what a reader sees of a reply, adding a book and
 * waiting for its progress message to end, listing and asking in a place, and where a bot keeps a
 * server's uploaded files.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { slashCommand, type JsonObject, type Place } from '../../tools/fake-discord/index.js';
import type { Harness } from './harness.js';

type Probe = ReturnType<Harness['interact']>;

/** Everything a reader sees of a message payload: content, embed titles, descriptions and fields. */
export function shown(payload: JsonObject | undefined): string {
  if (!payload) return '';
  const embeds = (payload.embeds ?? []) as Array<{
    title?: string;
    description?: string;
    fields?: Array<{ name: string; value: string }>;
  }>;
  return [
    String(payload.content ?? ''),
    ...embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ].join('\n');
}

/** The final state of an interaction's reply (after every edit). */
export async function finalText(probe: Probe): Promise<string> {
  return shown((await probe.final(60_000)).payload);
}

/** The description of the first embed of an interaction's final reply: where a one-line notice is. */
export async function finalNotice(probe: Probe): Promise<string> {
  const payload = (await probe.final(60_000)).payload;
  return ((payload.embeds ?? []) as Array<{ description?: string }>)[0]?.description ?? '';
}

/** Waits for the edit of a progress message that ends it (no Cancel button left), and returns its text. */
export async function waitForOutcome(probe: Probe): Promise<string> {
  const edit = await probe.webhook(
    (r) =>
      r.method === 'PATCH' &&
      Array.isArray((r.body as JsonObject).components) &&
      ((r.body as JsonObject).components as unknown[]).length === 0,
    120_000,
  );
  return shown(edit.body as JsonObject);
}

/** Adds `bytes` as `filename` in `place`; `outcome()` resolves once the progress message ends. */
export function addBook(
  h: Harness,
  filename: string,
  bytes: Uint8Array | string,
  place: Place,
  options: { title?: string; author?: string } = {},
) {
  const file = h.fake.addAttachment({ filename, bytes });
  const probe = h.interact(slashCommand(h.fake, 'library add', { file, ...options }, place));
  return { probe, file, outcome: () => waitForOutcome(probe) };
}

/** What `/library list` shows in `place`. */
export function listText(h: Harness, place: Place): Promise<string> {
  return finalText(h.interact(slashCommand(h.fake, 'library list', {}, place)));
}

/** What `/ask question` shows in `place`. */
export function ask(h: Harness, question: string, place: Place): Promise<string> {
  return finalText(h.interact(slashCommand(h.fake, 'ask', { question }, place)));
}

/** The files under a server's uploaded texts (`<LECTERN_DATA_DIR>/libraries/<guild>/texts/`); none when it has no folder. */
export async function uploadedFiles(dataDir: string, guildId: string): Promise<string[]> {
  return readdir(path.join(dataDir, 'libraries', guildId, 'texts')).catch(() => []);
}

/** Where a server's index is kept. */
export function indexDirOf(dataDir: string, guildId: string): string {
  return path.join(dataDir, 'libraries', guildId, 'index');
}
