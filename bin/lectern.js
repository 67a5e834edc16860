#!/usr/bin/env node
/**
 * `npx lectern <command> [options]`: Lectern's commands without npm's "> lectern@0.1.0 …" banner,
 * so `npx lectern ask --json "…"` prints nothing but JSON. Each command is the same TypeScript
 * entry point `npm run <command>` runs, loaded in this process through tsx's loader (installed
 * with the package; nothing is downloaded).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Command → entry point, as in package.json "scripts". */
const COMMANDS = {
  start: ['src/cli/start.ts', 'the Discord bot with DISCORD_TOKEN set, else the terminal chat'],
  ask: ['scripts/ask.ts', 'answer a question (--json for JSON, --help for options)'],
  embed: ['scripts/embed.ts', 'build the index from texts/'],
  eval: ['scripts/eval.ts', 'score a question or conversation set'],
  bench: ['scripts/bench.ts', 'measure latency'],
  load: ['scripts/load.ts', 'load-test the bot against the fake Discord'],
  'deploy-commands': ['scripts/deploy-commands.ts', 'register the slash commands with Discord'],
};

const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h' || !(command in COMMANDS)) {
  const lines = Object.entries(COMMANDS).map(([name, [, what]]) => `  ${name.padEnd(16)}${what}`);
  const text = `Usage: npx lectern <command> [options]\n\n${lines.join('\n')}\n`;
  if (command && command !== '--help' && command !== '-h') {
    process.stderr.write(`lectern: unknown command "${command}".\n\n${text}`);
    process.exitCode = 2;
  } else process.stdout.write(text);
} else {
  // The entry points read their options from process.argv.slice(2), as under `npm run`.
  process.argv = [process.argv[0], path.join(ROOT, COMMANDS[command][0]), ...rest];
  register();
  await import(pathToFileURL(path.join(ROOT, COMMANDS[command][0])).href);
}
