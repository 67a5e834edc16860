/**
 * The `text:` option of /library info and remove: suggestions as the user types, and what a value names.
 * A server's own text is named by its key (custom-id.ts `libraryKey`), a shared text by `shared:<id>`.
 */
import type { AutocompleteInteraction } from 'discord.js';
import type { LibraryTextRecord } from '../../../store/types.js';
import type { LibraryDocument } from '../../../types.js';
import { libraryKey } from '../../custom-id.js';
import { plain } from '../../excerpt.js';
import { LIMITS } from '../../limits.js';
import type { BotRuntime } from '../../runtime.js';

const SHARED = 'shared:';

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function nameOf(text: LibraryTextRecord): string {
  return text.title ?? text.requestedTitle ?? text.originalName;
}

/** Suggests the server's texts (and, with `shared`, the shared ones) whose title, author or file matches. */
export async function autocompleteLibraryText(
  interaction: AutocompleteInteraction,
  bot: BotRuntime,
  options: { shared: boolean },
): Promise<void> {
  const query = fold(String(interaction.options.getFocused() ?? '')).trim();
  const matches = (haystack: string) => query.split(/\s+/).every((word) => fold(haystack).includes(word));
  const own = interaction.guildId ? await bot.libraries.texts(interaction.guildId) : [];
  const choices = own
    .filter((t) => t.state === 'ready' && matches(`${nameOf(t)} ${t.author ?? ''} ${t.originalName}`))
    .map((t) => ({
      name: plain(`${nameOf(t)}${t.author ? ` — ${t.author}` : ''}`, LIMITS.choiceName),
      value: libraryKey(t.hash),
    }));
  const shared = options.shared ? bot.libraries.sharedLibrary() : null;
  for (const doc of shared?.documents ?? []) {
    if (!matches(`${doc.meta.title} ${doc.meta.author}`) || SHARED.length + doc.id.length > LIMITS.choiceValue)
      continue;
    choices.push({
      name: plain(`${doc.meta.title} — ${doc.meta.author} (shared)`, LIMITS.choiceName),
      value: SHARED + doc.id,
    });
  }
  await interaction.respond(choices.slice(0, LIMITS.choices));
}

/** What a `text:` value names: one of the server's texts, a shared text, or nothing. */
export async function resolveLibraryText(
  bot: BotRuntime,
  guildId: string,
  value: string,
): Promise<{ own: LibraryTextRecord } | { shared: LibraryDocument } | undefined> {
  const shared = bot.libraries.sharedLibrary();
  if (value.startsWith(SHARED)) {
    const doc = shared?.getDocument(value.slice(SHARED.length));
    return doc ? { shared: doc } : undefined;
  }
  const own = await bot.libraries.texts(guildId);
  // A value typed rather than picked: the best title match, the server's own first.
  const byKey = own.find((t) => libraryKey(t.hash) === value);
  if (byKey) return { own: byKey };
  const typed = fold(value).trim();
  const byName = own.find((t) => fold(nameOf(t)).includes(typed) || fold(t.originalName).includes(typed));
  if (byName) return { own: byName };
  const doc = shared?.searchTitles(value)[0];
  return doc ? { shared: doc } : undefined;
}

/** A server's text by its key (what buttons carry). */
export async function ownTextByKey(
  bot: BotRuntime,
  guildId: string,
  key: string,
): Promise<LibraryTextRecord | undefined> {
  return (await bot.libraries.texts(guildId)).find((t) => libraryKey(t.hash) === key);
}
