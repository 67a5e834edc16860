/**
 * INTERACTION_CREATE: dispatches a slash command, an autocomplete request or
 * a button click. A failure becomes a log line and, where the user waits for
 * an answer, a short apology.
 */
import { Events, MessageFlags, type Interaction } from 'discord.js';
import { admitInteraction } from '../admission.js';
import { handleButton } from '../buttons/index.js';
import { commandsByName } from '../commands/index.js';
import { interactionLogFields, logFailure } from '../log-failure.js';
import { NO_MENTIONS } from '../payload.js';
import { apologise } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import { defineEvent } from './event.js';

export const interactionCreate = defineEvent(Events.InteractionCreate, onInteraction);

async function onInteraction(bot: BotRuntime, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) {
      const command = commandsByName.get(interaction.commandName);
      if (!command) {
        bot.logger.warn({ command: interaction.commandName }, 'unknown command (run npm run deploy-commands?)');
        await interaction.reply({
          content: 'I don’t know that command any more.',
          flags: MessageFlags.Ephemeral,
          allowedMentions: NO_MENTIONS,
        });
        return;
      }
      if (!(await admitInteraction(bot, interaction, command.preconditions, command.question?.(interaction)))) return;
      await command.execute(interaction, bot);
    } else if (interaction.isAutocomplete()) {
      await commandsByName.get(interaction.commandName)?.autocomplete?.(interaction, bot);
    } else if (interaction.isButton()) {
      await handleButton(interaction, bot);
    }
  } catch (error) {
    if (interaction.isAutocomplete()) {
      logFailure(
        bot.logger,
        error,
        { interaction: interaction.id, command: interaction.commandName },
        'autocomplete failed',
      );
      return;
    }
    if (!interaction.isRepliable()) return;
    logFailure(bot.logger, error, interactionLogFields(interaction), 'interaction failed');
    await apologise(interaction, true).catch((again: unknown) =>
      logFailure(bot.logger, again, interactionLogFields(interaction), 'could not apologise'),
    );
  }
}
