/**
 * A slash command module, shaped like the discord.js guide's: its definition and its handlers.
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { Precondition } from '../admission.js';
import type { BotRuntime } from '../runtime.js';

export interface Command {
  /** The definition sent to Discord by `npm run deploy-commands`. */
  data: { name: string; toJSON(): unknown };
  /**
   * Checked in order before `execute` (admission.ts), Sapphire-style; the first refusal is the
   * reply. A command made of subcommands declares theirs on each (club/subcommand.ts).
   */
  preconditions: readonly Precondition[];
  /** The question the command asks, for the checks that read it: its length, and the rate limit, which counts questions. */
  question?(interaction: ChatInputCommandInteraction): string | undefined;
  execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, bot: BotRuntime): Promise<void>;
}
