/**
 * Every slash command, by name. `npm run deploy-commands` registers
 * `commands.map(c => c.data.toJSON())`; the bot dispatches by name.
 */
import * as ask from './ask.js';
import * as bookmark from './bookmark.js';
import * as club from './club/index.js';
import type { Command } from './command.js';
import * as help from './help.js';
import * as library from './library/index.js';
import * as passage from './passage.js';
import * as quote from './quote.js';
import * as sources from './sources.js';

export type { Command } from './command.js';

export const commands: readonly Command[] = [ask, quote, passage, sources, club, bookmark, library, help];

export const commandsByName: ReadonlyMap<string, Command> = new Map(commands.map((c) => [c.data.name, c]));

/** The JSON bodies to register with Discord. */
export function commandDefinitions(): unknown[] {
  return commands.map((c) => c.data.toJSON());
}
