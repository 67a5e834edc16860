/**
 * A subcommand of /club, /bookmark or /library, declared like a command: its options,
 * the preconditions it needs (who may use it, where), and its handlers.
 * The parent command checks the preconditions before `execute` runs.
 */
import {
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { LecternError } from '../../errors.js';
import { admitInteraction, type Precondition } from '../admission.js';
import { replyNotice } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import type { Command } from './command.js';

export interface Subcommand {
  name: string;
  /** Adds the description and options to the builder Discord registers. */
  define(builder: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder;
  /** Checked in order before execute; the first refusal is the reply. */
  preconditions: readonly Precondition[];
  execute(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, bot: BotRuntime): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, bot: BotRuntime): Promise<void>;
}

/**
 * A command made of subcommands: its definition, and dispatch that checks each
 * subcommand's declared preconditions before running it. A ClubInputError (a
 * bad schedule, date or chapter) or another LecternError becomes a short
 * ephemeral notice that says what to do.
 */
export function commandOf(name: string, description: string, subcommands: readonly Subcommand[]): Command {
  const byName = new Map(subcommands.map((s) => [s.name, s]));
  const data = new SlashCommandBuilder().setName(name).setDescription(description).setDMPermission(false);
  for (const sub of subcommands) data.addSubcommand((b) => sub.define(b.setName(sub.name)));
  return {
    data,
    // Each subcommand declares its own; dispatch checks them once the subcommand is known.
    preconditions: [],
    async execute(interaction, bot) {
      const sub = byName.get(interaction.options.getSubcommand(false) ?? '');
      if (!sub)
        return replyNotice(interaction, `Use one of: ${subcommands.map((s) => `/${name} ${s.name}`).join(', ')}.`);
      if (!(await admitInteraction(bot, interaction, sub.preconditions))) return;
      try {
        await sub.execute(interaction as ChatInputCommandInteraction<'cached' | 'raw'>, bot);
      } catch (error) {
        if (!(error instanceof LecternError)) throw error;
        bot.logger.info(
          { event: 'command_input', command: `${name} ${sub.name}`, reason: error.message },
          'refused a command',
        );
        await replyNotice(interaction, error.message);
      }
    },
    async autocomplete(interaction, bot) {
      const sub = byName.get(interaction.options.getSubcommand(false) ?? '');
      if (sub?.autocomplete) await sub.autocomplete(interaction, bot);
      else await interaction.respond([]);
    },
  };
}
