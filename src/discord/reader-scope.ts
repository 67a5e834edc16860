/**
 * The spoiler guard's one entry point on Discord: where a request comes from
 * (server, channel or thread, member) → the club that channel reads and how far
 * this member may see. Every path that quotes, cites, lists or offers a passage
 * asks for the scope first and passes its limit on: questions (`until`, a
 * filter inside retrieval), /passage, ◀ ▶ and Context (through
 * {@link limitedView}), and chapter autocompletion.
 *
 * The limit is the club's position, or the member's bookmark when it is
 * lower. A bookmark only holds a member back: every reply in a club channel
 * may be posted to it (the "Post to channel" button), so nothing past the
 * club's position is ever shown there, even to a member who has read ahead.
 */
import type { Client, TextBasedChannel } from 'discord.js';
import { clubState, readerLimit, type ClubState } from '../club/timeline.js';
import { lastReadableParagraph, limitLabel } from './engine.js';
import type { ClubRecord } from '../store/types.js';
import type { LibraryDocument, ReadingLimit } from '../types.js';
import type { LibraryView } from './library-view.js';
import type { BotRuntime } from './runtime.js';

/** A club channel's reader: the club, where it stands, and this member's limit. */
export interface ReaderScope {
  club: ClubRecord;
  doc: LibraryDocument;
  state: ClubState;
  /** The member's bookmark, when set. */
  bookmark: number | undefined;
  /** What the engine gets as `until`. */
  limit: ReadingLimit;
  /** The last ¶ of `doc` the member may see. */
  lastParagraph: number;
  /** "chapter 12", "Letter 3", "the start of the book". */
  label: string;
}

/** Where a request comes from. */
export interface RequestPlace {
  guildId: string | null;
  channelId: string | null;
  userId: string;
  /** For a channel not in the cache (an old thread), to look up its parent. */
  client: Client;
  /** The channel object when the caller has it. */
  channel?: TextBasedChannel | null;
}

/** Where an interaction comes from. */
export function placeOf(interaction: {
  guildId: string | null;
  channelId: string | null;
  user: { id: string };
  client: Client;
  channel: TextBasedChannel | null;
}): RequestPlace {
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    client: interaction.client,
    channel: interaction.channel,
  };
}

/**
 * The channel whose club a request belongs to: a thread or forum post belongs
 * to its parent channel's club. Threads missing from the cache are fetched, so
 * an old thread is never mistaken for a channel without a club.
 */
export async function clubChannelId(place: RequestPlace): Promise<string | null> {
  if (!place.channelId) return null;
  let channel: { isThread(): boolean; parentId?: string | null } | null | undefined =
    place.channel ?? place.client.channels.cache.get(place.channelId);
  if (!channel) channel = await place.client.channels.fetch(place.channelId).catch(() => null);
  if (channel?.isThread()) return channel.parentId ?? place.channelId;
  return place.channelId;
}

/** The open club of the channel a request comes from, if any (no club in DMs). */
export async function clubOf(bot: BotRuntime, place: RequestPlace): Promise<ClubRecord | undefined> {
  if (!place.guildId) return undefined;
  const channelId = await clubChannelId(place);
  if (!channelId) return undefined;
  return bot.store.openClub(place.guildId, channelId);
}

/**
 * The member's scope in a club channel, or undefined outside clubs (nothing
 * is limited there). A club whose text is no longer in the library gets a
 * scope over an empty text: nothing of it can be shown.
 */
export async function readerScope(bot: BotRuntime, place: RequestPlace): Promise<ReaderScope | undefined> {
  const club = await clubOf(bot, place);
  if (!club) return undefined;
  return scopeFor(bot, club, place.userId);
}

/** {@link readerScope} for a club already looked up. */
export async function scopeFor(bot: BotRuntime, club: ClubRecord, userId: string): Promise<ReaderScope | undefined> {
  const doc = bot.library.getDocument(club.textId);
  if (!doc) return undefined;
  const state = clubState(club, bot.clock.now());
  const bookmark = await bot.store.bookmark(club.guildId, club.id, userId);
  const through = readerLimit(state.position, bookmark);
  const week =
    state.week && state.week.chapters.first <= through
      ? { from: state.week.chapters.first, to: Math.min(state.week.chapters.last, through) }
      : undefined;
  return {
    club,
    doc,
    state,
    bookmark,
    limit: { docId: doc.id, through, ...(week ? { week } : {}) },
    lastParagraph: lastReadableParagraph(doc, through),
    label: limitLabel(doc, through),
  };
}

/** The `until` of a question about `docId` (undefined: every text), or nothing when the text is not the club's. */
export function untilFor(scope: ReaderScope | undefined, docId: string | undefined): ReadingLimit | undefined {
  if (!scope || (docId !== undefined && docId !== scope.doc.id)) return undefined;
  return scope.limit;
}

/** Whether `scope` lets its member see ¶`paragraph` of `docId` (any other text is not limited). */
export function canSee(scope: ReaderScope | undefined, docId: string, paragraph: number): boolean {
  return !scope || docId !== scope.doc.id || paragraph <= scope.lastParagraph;
}

/**
 * The library as a member of a club sees it: the club's text ends at their
 * limit (getPassage finds nothing after it, paragraphCount stops there), so
 * the views built on it (/passage, ◀ ▶, Context) cannot show what lies beyond.
 */
export function limitedView<V extends LibraryView>(library: V, scope: ReaderScope | undefined): V {
  if (!scope) return library;
  const { doc, lastParagraph } = scope;
  return {
    ...library,
    getDocument: (id: string) => library.getDocument(id),
    getPassage: (docId: string, paragraph: number) =>
      docId === doc.id && paragraph > lastParagraph ? undefined : library.getPassage(docId, paragraph),
    paragraphCount: (docId: string) =>
      docId === doc.id ? Math.min(library.paragraphCount(docId), lastParagraph) : library.paragraphCount(docId),
    cite: (d: LibraryDocument, paragraph: number) => library.cite(d, paragraph),
    get multipleDocuments() {
      return library.multipleDocuments;
    },
    get indexId() {
      return library.indexId;
    },
    docNumber: (docId: string) => library.docNumber(docId),
    docAt: (n: number) => library.docAt(n),
  };
}

/** The refusal for a place past the limit: names the limit, never what lies past it. */
export function pastLimitNotice(scope: ReaderScope): string {
  const whose = scope.bookmark !== undefined && scope.bookmark < scope.state.position ? 'your bookmark' : 'the club';
  return `That is past ${scope.label}, where ${whose} is. I show nothing beyond it in this channel.`;
}
