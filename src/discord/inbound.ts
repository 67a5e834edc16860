/**
 * What arrives from Discord, made into a question before it reaches the
 * engine: Discord's markup is chat plumbing, not words of the question
 * (`<@&123…> who is Yagoda` carried the role id as an "unknown name" and was
 * declined while `who is Yagoda` was answered). The engine knows nothing of
 * Discord; the terminal and the CLI never send such markup.
 */
import { cleanQuestion, stripDiscordMarkup } from './engine.js';

export { stripDiscordMarkup } from './engine.js';

/**
 * A question as typed in Discord (a message with the bot's mention removed, or a slash-command option):
 * cleaned first (so a zero-width-defused "@\u200beveryone" is seen for what it is), then without markup.
 */
export function inboundQuestion(text: string): string {
  return stripDiscordMarkup(cleanQuestion(text));
}
