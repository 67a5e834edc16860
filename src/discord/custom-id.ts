/**
 * The state carried in a button's custom id.
 *
 * All the state a button needs lives in its custom id (≤100 characters), so
 * buttons keep working after the bot restarts: no in-memory sessions. The
 * question itself is too long for an id; it is read back from the message the
 * button is on (the answer embed records it, see recorded-question.ts). Every id
 * carries the index build id, so a button on an answer from an older index is
 * recognised and answered politely instead of pointing at the wrong paragraph.
 */
import { LIMITS } from './limits.js';

const PREFIX = 'L';
const SEP = '|';
/** Index ids are shortened to this many characters; enough to tell builds apart. */
const INDEX_TAG_LENGTH = 16;

/** What a button does, with its arguments. `doc` is the document's position in the library (per index build), or null for "all texts". */
export type ButtonAction =
  | { kind: 'more'; doc: number | null; offset: number; limit: number; chapter?: string }
  | { kind: 'context'; doc: number; paragraph: number }
  | { kind: 'page'; doc: number; paragraph: number; direction: 'prev' | 'next' }
  | { kind: 'post' }
  | { kind: 'discuss' }
  /** The confirmation of `/club end`: the club's id. */
  | { kind: 'end-club'; club: number }
  /** Cancel on a book's progress message: the text's key (libraryKey: the start of its file hash). */
  | { kind: 'cancel-build'; text: string }
  /** The confirmation of `/library remove`: the text's key. */
  | { kind: 'remove-text'; text: string };

/** A decoded custom id: the action and the index it was made for. */
export interface ButtonState {
  indexTag: string;
  action: ButtonAction;
}

/** The part of an index id stored in buttons. */
export function indexTag(indexId: string): string {
  return indexId.replace(/[|]/g, '').slice(0, INDEX_TAG_LENGTH);
}

const codes = {
  more: 'm',
  context: 'c',
  page: 'p',
  post: 'P',
  discuss: 'd',
  'end-club': 'e',
  'cancel-build': 'x',
  'remove-text': 'r',
} as const;

/**
 * A server's text as buttons and `text:` choices name it: the start of its file's sha256, unique within
 * a server (the store refuses a second text with the same hash) and short enough for any custom id.
 */
export function libraryKey(hash: string): string {
  return hash.slice(0, 16);
}
const isLibraryKey = (s: string | undefined): s is string => s !== undefined && /^[0-9a-f]{16}$/.test(s);

/** Encodes a button's state as a custom id (throws if it would exceed Discord's 100 characters, which would be a bug). */
export function encodeButton(indexId: string, action: ButtonAction): string {
  const parts: Array<string | number> = [PREFIX, codes[action.kind], indexTag(indexId)];
  switch (action.kind) {
    case 'more':
      parts.push(action.doc === null ? '' : action.doc.toString(36), action.offset, action.limit);
      if (action.chapter) parts.push(action.chapter);
      break;
    case 'context':
      parts.push(action.doc.toString(36), action.paragraph);
      break;
    case 'page':
      parts.push(action.doc.toString(36), action.paragraph, action.direction === 'prev' ? 'p' : 'n');
      break;
    case 'end-club':
      parts.push(action.club);
      break;
    case 'cancel-build':
    case 'remove-text':
      parts.push(action.text);
      break;
    default:
      break;
  }
  const id = parts.join(SEP);
  if (id.length > LIMITS.customId) throw new Error(`custom id too long (${id.length}): ${id}`);
  return id;
}

const int = (s: string | undefined): number | undefined =>
  s !== undefined && /^\d{1,9}$/.test(s) ? Number(s) : undefined;
const docIndex = (s: string | undefined): number | undefined =>
  s !== undefined && /^[0-9a-z]{1,6}$/.test(s) ? parseInt(s, 36) : undefined;

/** Decodes a custom id made by {@link encodeButton}; undefined for anything else (other bots' ids, garbage). */
export function decodeButton(customId: string): ButtonState | undefined {
  const [prefix, code, tag, a, b, c, ...rest] = customId.split(SEP);
  // Only "more" carries a seventh part: the chapter restriction of the question it pages.
  const chapter = code === codes.more && rest.length === 1 ? rest[0] : undefined;
  if (prefix !== PREFIX || tag === undefined || rest.length > (chapter === undefined ? 0 : 1)) return undefined;
  const state = (action: ButtonAction): ButtonState => ({ indexTag: tag, action });
  switch (code) {
    case codes.more: {
      const offset = int(b);
      const limit = int(c);
      const doc = a === '' ? null : docIndex(a);
      if (offset === undefined || limit === undefined || limit < 1 || doc === undefined) return undefined;
      if (chapter !== undefined && !isChapterTag(chapter)) return undefined;
      return state({ kind: 'more', doc, offset, limit, ...(chapter ? { chapter } : {}) });
    }
    case codes.context: {
      const doc = docIndex(a);
      const paragraph = int(b);
      if (doc === undefined || paragraph === undefined) return undefined;
      return state({ kind: 'context', doc, paragraph });
    }
    case codes.page: {
      const doc = docIndex(a);
      const paragraph = int(b);
      if (doc === undefined || paragraph === undefined || (c !== 'p' && c !== 'n')) return undefined;
      return state({ kind: 'page', doc, paragraph, direction: c === 'p' ? 'prev' : 'next' });
    }
    case codes.post:
      return a === undefined ? state({ kind: 'post' }) : undefined;
    case codes.discuss:
      return a === undefined ? state({ kind: 'discuss' }) : undefined;
    case codes['end-club']: {
      const club = int(a);
      return club !== undefined && b === undefined ? state({ kind: 'end-club', club }) : undefined;
    }
    case codes['cancel-build']:
      return isLibraryKey(a) && b === undefined ? state({ kind: 'cancel-build', text: a }) : undefined;
    case codes['remove-text']:
      return isLibraryKey(a) && b === undefined ? state({ kind: 'remove-text', text: a }) : undefined;
    default:
      return undefined;
  }
}

/** Longest chapter restriction a "More passages" id carries ("30-35", a short title); longer ones get no button. */
export const MAX_CHAPTER_TAG = 40;

/** Whether `chapter` can ride in a custom id: short, one line, without the separator. */
export function isChapterTag(chapter: string): boolean {
  return (
    chapter.length > 0 && chapter.length <= MAX_CHAPTER_TAG && !chapter.includes(SEP) && !/[\p{Cc}]/u.test(chapter)
  );
}

/** Whether a decoded button was made for the current index. */
export function isCurrent(state: ButtonState, indexId: string): boolean {
  return state.indexTag === indexTag(indexId);
}

/** Every custom id on a message's components. */
export function customIdsOf(components: readonly unknown[] | undefined): string[] {
  const ids: string[] = [];
  for (const row of components ?? []) {
    const children = (row as { components?: unknown[] }).components ?? [];
    for (const child of children) {
      const c = child as { custom_id?: string; customId?: string; data?: { custom_id?: string } };
      const id = c.custom_id ?? c.customId ?? c.data?.custom_id;
      if (id) ids.push(id);
    }
  }
  return ids;
}
