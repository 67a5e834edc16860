/**
 * The shape of a button handler, after Sapphire's interaction handlers: a
 * parse step that turns the decoded custom id and the clicked message into
 * what the button needs (or a short notice why it cannot), then a run step.
 */
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { ButtonAction } from '../custom-id.js';
import type { LibraryDocument } from '../../types.js';
import type { Precondition } from '../admission.js';
import { canSee, pastLimitNotice, placeOf, readerScope, type ReaderScope } from '../reader-scope.js';
import type { BotRuntime } from '../runtime.js';

export type ButtonKind = ButtonAction['kind'];
export type ActionOf<K extends ButtonKind> = Extract<ButtonAction, { kind: K }>;

/** What a parse step found: the input of the run step, or a notice for the clicker. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; notice: string };

export const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const refused = (notice: string): Parsed<never> => ({ ok: false, notice });

export interface ButtonHandler<K extends ButtonKind, T> {
  readonly kind: K;
  /** Checked after parse and before run (admission.ts); the first refusal is the reply. */
  readonly preconditions: readonly Precondition[];
  /** The question a click asks again, for the checks that read it (More passages). */
  question?(input: T): string | undefined;
  /** Whether the button looks things up in the index (then one from an older index build is refused as stale). */
  readonly needsCurrentIndex: boolean;
  parse(interaction: ButtonInteraction, action: ActionOf<K>, bot: BotRuntime): Parsed<T> | Promise<Parsed<T>>;
  run(interaction: ButtonInteraction, input: T, bot: BotRuntime): Promise<void>;
}

export const STALE_BUTTON =
  'This answer comes from an older version of the library’s index, so its buttons no longer point to the right place. Please ask again for a fresh answer.';
export const UNKNOWN_BUTTON = 'This button is no longer supported. Please ask again.';

/** Whether a message was shown only to the clicker. */
export function isEphemeral(message: { flags: { has(flag: MessageFlags): boolean } }): boolean {
  return message.flags.has(MessageFlags.Ephemeral);
}

/** A passage a button points at. */
export interface PassageTarget {
  doc: LibraryDocument;
  paragraph: number;
}

/** A passage a button points at, and the clicker's scope in a club channel. */
export interface ScopedPassageTarget extends PassageTarget {
  scope: ReaderScope | undefined;
}

/**
 * The parse step of buttons that point at one passage (Context, ◀ ▶): the passage must still exist, and,
 * in a club channel, be within the clicker's limit (whoever posted the message, the clicker may be behind).
 */
export async function parsePassageTarget(
  interaction: ButtonInteraction,
  action: { doc: number; paragraph: number },
  bot: BotRuntime,
): Promise<Parsed<ScopedPassageTarget>> {
  const doc = bot.library.docAt(action.doc);
  if (!doc || !bot.library.getPassage(doc.id, action.paragraph)) return refused(STALE_BUTTON);
  const scope = await readerScope(bot, placeOf(interaction));
  if (!canSee(scope, doc.id, action.paragraph)) return refused(pastLimitNotice(scope!));
  return parsed({ doc, paragraph: action.paragraph, scope });
}
