/**
 * Button components: plain API objects, packed into rows, and the buttons
 * several replies share (Post to channel, Posted, Discuss), built in one place.
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInActionRow,
} from 'discord.js';
import { encodeButton } from '../custom-id.js';
import { LIMITS } from '../limits.js';

/** A button as a plain API object. */
export function button(
  customId: string,
  label: string,
  options: { style?: ButtonStyle; disabled?: boolean; emoji?: string } = {},
): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: (options.style ?? ButtonStyle.Secondary) as ButtonStyle.Secondary,
    custom_id: customId,
    label: label.slice(0, LIMITS.buttonLabel),
    ...(options.emoji ? { emoji: { name: options.emoji } } : {}),
    ...(options.disabled ? { disabled: true } : {}),
  };
}

/** Packs buttons into action rows (5 per row, at most 5 rows). */
export function rows(buttons: readonly APIComponentInActionRow[]): APIActionRowComponent<APIComponentInActionRow>[] {
  const out: APIActionRowComponent<APIComponentInActionRow>[] = [];
  for (let i = 0; i < buttons.length && out.length < LIMITS.actionRows; i += LIMITS.buttonsPerRow) {
    out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return out;
}

/** "Post to channel": shares an ephemeral reply with everyone (buttons/post.ts). */
export function postButton(indexId: string): APIButtonComponent {
  return button(encodeButton(indexId, { kind: 'post' }), 'Post to channel', {
    emoji: '📣',
    style: ButtonStyle.Primary,
  });
}

/** What "Post to channel" becomes on the ephemeral copy once posted. */
export function postedButton(indexId: string): APIButtonComponent {
  return button(encodeButton(indexId, { kind: 'post' }), 'Posted', { emoji: '✅', disabled: true });
}

/** "Discuss": opens a thread on a public answer (buttons/discuss.ts). */
export function discussButton(indexId: string): APIButtonComponent {
  return button(encodeButton(indexId, { kind: 'discuss' }), 'Discuss', { emoji: '💬', style: ButtonStyle.Primary });
}
