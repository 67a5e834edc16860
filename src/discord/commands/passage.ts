import { SlashCommandBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { admitInteraction, BROWSE_PRECONDITIONS } from '../admission.js';
import { resolveText } from '../library-view.js';
import { safe } from '../payload.js';
import { replyNotice } from '../reply.js';
import type { BotRuntime } from '../runtime.js';
import { canStartThreadIn } from '../threads.js';
import { passageMessage } from '../views/passage.js';
import { autocompleteText } from './text-option.js';

/** `/passage number: [text:] [public:]` — read ¶N, with ◀ ▶ to turn the page. */
export const data = new SlashCommandBuilder()
  .setName('passage')
  .setDescription('Read a paragraph of the text by its number (¶), with buttons to turn the page.')
  .addIntegerOption((o) =>
    o.setName('number').setDescription('Paragraph number (0 is the title and source)').setRequired(true).setMinValue(0),
  )
  .addStringOption((o) => o.setName('text').setDescription('Which text (default: the first)').setAutocomplete(true))
  .addBooleanOption((o) => o.setName('public').setDescription('Show to everyone in the channel (default: only you)'));

export async function execute(interaction: ChatInputCommandInteraction, bot: BotRuntime): Promise<void> {
  if (!(await admitInteraction(bot, interaction, BROWSE_PRECONDITIONS))) return;
  const number = interaction.options.getInteger('number', true);
  const ephemeral = !(interaction.options.getBoolean('public') ?? false);
  const { doc: named, error } = resolveText(bot.engine, interaction.options.getString('text'));
  if (error) return replyNotice(interaction, error);
  const doc = named ?? bot.engine.library.defaultDocument;
  const count = bot.engine.library.paragraphCount(doc.id);
  if (number < 0 || number > count || !bot.engine.library.getPassage(doc.id, number)) {
    return replyNotice(
      interaction,
      `“${doc.meta.title}” has paragraphs ¶1–¶${count} (¶0 is its title and source). There is no ¶${number}.`,
    );
  }
  const payload = passageMessage(bot.library, doc, number, {
    ephemeral,
    canThread: canStartThreadIn(interaction.channel),
  });
  await interaction.reply({ ...safe(payload), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

export const autocomplete = autocompleteText;
