/**
 * A slash command module, shaped like the discord.js guide's: its definition and its handlers.
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { BotRuntime } from '../runtime.js';

export interface Command {
  /** The definition sent to Discord by `npm run deploy-commands`. */
  data: { name: string; toJSON(): unknown };
  execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, bot: BotRuntime): Promise<void>;
}
