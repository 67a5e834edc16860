// ESLint flat config: the recommended JavaScript and typescript-eslint rules
// (syntax-only, no type information, so `npm run lint` stays fast), plus a few
// that catch real mistakes in this code base. Formatting is Prettier's job.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const ONLY_DISCORD = { regex: '^discord\\.js($|/)', message: 'Only src/discord imports discord.js.' };
const ONLY_EMBED = { regex: '^@(huggingface|xenova)/', message: 'Only src/embed imports Transformers.js.' };
const THROUGH_ENGINE = [
  {
    regex: '^(\\.\\./)+(search|index|embed|corpus|text|eval|cli|libraries)/',
    message: 'The bot reaches the engine only through src/discord/engine.ts: export what it needs there.',
  },
  { regex: '^(\\.\\./)+lectern\\.js$', message: 'The bot sees the engine as BotEngine (src/discord/engine.ts).' },
];

export default defineConfig(
  { ignores: ['node_modules/', 'embeddings/', 'coverage/', 'dist/', 'bench/tmp/', '.cache/', 'tmp/', '**/*.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // TypeScript checks names itself (typescript-eslint turns no-undef off for .ts), so no globals list is needed.
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // Unused code is a leftover; a leading underscore marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Text cleaning matches control characters on purpose (src/search/ask.ts cleanQuestion, hostile-input tests).
      'no-control-regex': 'off',
      // Character classes list ZWJ and VS16 on their own on purpose (src/search/intent.ts strips emoji pieces).
      'no-misleading-character-class': 'off',
      // `\[` inside a character class is redundant but harmless, and easier to read next to `\]`.
      'no-useless-escape': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['error', 'warn'] }],
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-var': 'error',
      'object-shorthand': 'error',
    },
  },
  {
    // Command-line tools, benchmarks and test diagnostics print their reports.
    files: ['scripts/**', 'bench/**', 'src/cli/**', 'test/**', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
  // The boundaries of the brief, checked rather than hoped for: only src/discord imports discord.js, only
  // src/embed imports Transformers.js, and the bot reaches the engine (search, index, embedding, corpus, text,
  // the Lectern class) only through src/discord/engine.ts. The bot may read the answer stage (src/answer:
  // citations, views), the club rules (src/club), the store (src/store) and src/types.ts, which the data flow
  // puts beside or after the engine. ESLint replaces a rule's options per file, so each area lists all of its own.
  {
    files: ['src/**'],
    ignores: ['src/discord/**', 'src/embed/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ONLY_DISCORD, ONLY_EMBED] }] },
  },
  {
    files: ['src/discord/**'],
    ignores: ['src/discord/engine.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ONLY_EMBED, ...THROUGH_ENGINE] }] },
  },
  { files: ['src/discord/engine.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [ONLY_EMBED] }] } },
  { files: ['src/embed/**'], rules: { 'no-restricted-imports': ['error', { patterns: [ONLY_DISCORD] }] } },
  {
    // Plain JavaScript entry points run on Node; TypeScript does not check their names, so declare Node's.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
