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

async function onInteraction(everywhere: BotRuntime, interaction: Interaction): Promise<void> {
  // Every handler reads the library of the place the interaction comes from, and only that (runtime.ts).
  let bot: BotRuntime | undefined;
  try {
    bot = await everywhere.in(interaction.guildId);
    await dispatch(bot, interaction);
  } catch (error) {
    await onFailure(everywhere, interaction, error);
  } finally {
    bot?.release();
  }
}

async function dispatch(bot: BotRuntime, interaction: Interaction): Promise<void> {
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
    // Where no text can be seen, nothing is suggested (/library suggests from the server's own records).
    if (!bot.seesTexts && interaction.commandName !== 'library') return await interaction.respond([]);
    await commandsByName.get(interaction.commandName)?.autocomplete?.(interaction, bot);
  } else if (interaction.isButton()) {
    await handleButton(interaction, bot);
  }
}

async function onFailure(bot: BotRuntime, interaction: Interaction, error: unknown): Promise<void> {
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
