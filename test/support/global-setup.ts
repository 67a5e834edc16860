/**
 * Runs once before any test file: compiles the TypeScript to dist/ (scripts/compile.mjs),
 * which `npm run …` and `npx lectern` run. Test files run in parallel and several of them
 * start those commands; compiling here first means none of them compiles while another
 * is loading the same files.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export default async function setup(): Promise<void> {
  const script = pathToFileURL(path.resolve(import.meta.dirname, '..', '..', 'scripts', 'compile.mjs')).href;
  const { compile } = (await import(script)) as { compile: () => Promise<boolean> };
  await compile();
}
