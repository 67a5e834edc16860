/**
 * The `text:` option of /ask, /quote and /passage: suggestions as the user types.
 * (What a typed value names is resolved by library-view.ts `resolveText`.)
 */
import type { AutocompleteInteraction } from 'discord.js';
import { plain } from '../excerpt.js';
import { LIMITS } from '../limits.js';
import type { BotRuntime } from '../runtime.js';

/** Suggests library texts for a `text:` option as the user types. */
export async function autocompleteText(interaction: AutocompleteInteraction, bot: BotRuntime): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'text') {
    await interaction.respond([]);
    return;
  }
  const docs = bot.library.searchTitles(String(focused.value ?? ''));
  const choices = docs
    .filter((doc) => doc.id.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.choices)
    .map((doc) => ({ name: plain(`${doc.meta.title} — ${doc.meta.author}`, LIMITS.choiceName), value: doc.id }));
  await interaction.respond(choices);
}
