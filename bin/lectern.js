#!/usr/bin/env node
/**
 * `npx lectern <command> [options]`, and what `npm start`, `npm run ask` and the
 * other package.json scripts run: Lectern's commands without npm's "> lectern@0.1.0 …"
 * banner, so `npx lectern ask --json "…"` prints nothing but JSON.
 *
 * Each command is the compiled JavaScript of its TypeScript entry point (dist/, made by
 * scripts/compile.mjs, recompiled here whenever a source file changed), loaded in this
 * process: no tsx loader, whose cost a long-running bot would carry (scripts/compile.mjs
 * says how much). `npm run dev` runs the bot from the TypeScript sources with tsx.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile } from '../scripts/compile.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Command → entry point (TypeScript source; its compiled twin in dist/ is what runs). */
const COMMANDS = {
  start: ['src/cli/start.ts', 'the Discord bot with DISCORD_TOKEN set, else the terminal chat'],
  ask: ['scripts/ask.ts', 'answer a question (--json for JSON, --help for options)'],
  embed: ['scripts/embed.ts', 'build the index from texts/'],
  eval: ['scripts/eval.ts', 'score a question or conversation set'],
  bench: ['scripts/bench.ts', 'measure build time, memory, latency and cold start'],
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
  try {
    await compile();
  } catch (error) {
    process.stderr.write(`lectern: could not compile: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
  const entry = path.join(ROOT, 'dist', COMMANDS[command][0].replace(/\.ts$/, '.js'));
  // The entry points read their options from process.argv.slice(2), as under `npm run`.
  process.argv = [process.argv[0], entry, ...rest];
  await import(pathToFileURL(entry).href);
}
