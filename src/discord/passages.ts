/**
 * /passage and its ◀ ▶ buttons: one paragraph per message.
 */
import { ButtonStyle } from 'discord.js';
import type { LibraryDocument } from '../types.js';
import type { Placement } from './answers.js';
import { button, encodeButton, rows } from './buttons.js';
import type { BotContext } from './context.js';
import { renderPassage } from './render.js';
import type { Payload } from './respond.js';

/** ¶`paragraph` of `doc` with ◀ ▶ (disabled at the ends) and, when ephemeral, "Post to channel". */
export function passagePayload(bot: BotContext, doc: LibraryDocument, paragraph: number, placement: Placement): Payload {
  const passage = bot.engine.library.getPassage(doc.id, paragraph);
  if (!passage) throw new Error(`no ¶${paragraph} in ${doc.id}`);
  const count = bot.engine.library.paragraphCount(doc.id);
  const indexId = bot.engine.indexId;
  const docIndex = bot.docIndex(doc.id);
  const list = [
    button(encodeButton(indexId, { kind: 'page', doc: docIndex, paragraph: Math.max(0, paragraph - 1), direction: 'prev' }), `¶${Math.max(0, paragraph - 1)}`, {
      emoji: '◀️',
      disabled: paragraph <= 0,
    }),
    button(encodeButton(indexId, { kind: 'page', doc: docIndex, paragraph: Math.min(count, paragraph + 1), direction: 'next' }), `¶${Math.min(count, paragraph + 1)}`, {
      emoji: '▶️',
      disabled: paragraph >= count,
    }),
  ];
  if (placement.ephemeral) list.push(button(encodeButton(indexId, { kind: 'post' }), 'Post to channel', { emoji: '📣', style: ButtonStyle.Primary }));
  return { embeds: [renderPassage(doc, passage, bot.render)], components: rows(list) };
}
