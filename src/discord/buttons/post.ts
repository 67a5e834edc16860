/**
 * "Post to channel": shares an ephemeral message with everyone. The
 * ephemeral copy's button turns into a disabled "Posted"; the public copy
 * keeps the other buttons and gains "Discuss" where threads are possible.
 */
import { BROWSE_PRECONDITIONS } from '../admission.js';
import { MessageFlags, type APIButtonComponent, type APIButtonComponentWithCustomId, type APIEmbed } from 'discord.js';
import { decodeButton } from '../custom-id.js';
import { interactionLogFields, logFailure } from '../log-failure.js';
import { safe } from '../payload.js';
import { canStartThreadIn } from '../threads.js';
import { discussButton, postedButton, rows } from './components.js';
import { isEphemeral, parsed, refused, type ButtonHandler } from './handler.js';

export const ALREADY_PUBLIC = 'This message is already visible to everyone in the channel.';
export const NOT_YOURS = 'Only the person this message was shown to can post it to the channel.';

interface PostInput {
  embeds: APIEmbed[];
  /** The message's own buttons, as sent (label, emoji, style, disabled state), with what they do. */
  own: Array<{ component: APIButtonComponent; kind: string | undefined }>;
}

export const post: ButtonHandler<'post', PostInput> = {
  kind: 'post',
  preconditions: BROWSE_PRECONDITIONS,
  // It acts on the message as shown, so it works on any index.
  needsCurrentIndex: false,

  parse(interaction) {
    const message = interaction.message;
    // A custom id can be forged: only an ephemeral reply, by the one it was shown to, is posted. Discord names that
    // user in the message's interaction metadata (an ephemeral message is always an interaction's reply).
    if (!isEphemeral(message)) return refused(ALREADY_PUBLIC);
    const shownTo = message.interactionMetadata?.user.id;
    if (shownTo !== undefined && shownTo !== interaction.user.id) return refused(NOT_YOURS);
    const own = message.components
      .flatMap(
        (row) => ((row.toJSON() as { components?: unknown[] }).components ?? []) as APIButtonComponentWithCustomId[],
      )
      .filter((c) => typeof c.custom_id === 'string')
      .map((c) => ({ component: c as APIButtonComponent, kind: decodeButton(c.custom_id)?.action.kind }));
    return parsed({ embeds: message.embeds.map((e) => e.toJSON()), own });
  },

  async run(interaction, { embeds, own }, bot) {
    const indexId = bot.library.indexId;
    // Ephemeral copy: everything stays, except that "Post" becomes a disabled "Posted".
    const posted = postedButton(indexId);
    const ephemeralButtons = own.map(({ component, kind }) => (kind === 'post' ? posted : component));
    // Public copy: no "Post"; "Discuss" where a thread can be opened.
    const publicButtons = own
      .filter(({ kind }) => kind !== 'post' && kind !== 'discuss')
      .map(({ component }) => component);
    if (canStartThreadIn(interaction.channel) && embeds[0]?.title) publicButtons.push(discussButton(indexId));
    await interaction.update(safe({ components: rows(ephemeralButtons) }));
    try {
      await interaction.followUp(
        safe({ content: `Shared by <@${interaction.user.id}>`, embeds, components: rows(publicButtons) }),
      );
    } catch (error) {
      logFailure(bot.logger, error, interactionLogFields(interaction), 'could not post to the channel');
      await interaction
        .followUp({
          ...safe({ content: 'Sorry, I could not post that to the channel.' }),
          flags: MessageFlags.Ephemeral,
        })
        .catch(() => undefined);
    }
  },
};
