// ESLint flat config: the recommended JavaScript and typescript-eslint rules
// (syntax-only, no type information, so `npm run lint` stays fast), plus a few
// that catch real mistakes in this code base. Formatting is Prettier's job.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

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
  {
    // Plain JavaScript entry points run on Node; TypeScript does not check their names, so declare Node's.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
