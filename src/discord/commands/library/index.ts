/**
 * `/library` — this server's books: add one from a file, list them with the shared texts, look one up,
 * remove one. Books added here are seen only here (src/libraries).
 */
import { commandOf } from '../subcommand.js';
import { add } from './add.js';
import { info } from './info.js';
import { list } from './list.js';
import { remove } from './remove.js';

const library = commandOf('library', 'This server’s books: add one from a file, list, look up or remove them.', [
  list,
  info,
  add,
  remove,
]);

export const { data, preconditions, execute, autocomplete } = library;
