#!/usr/bin/env node
/**
 * `node scripts/compile.mjs`: transpiles the TypeScript that runs Lectern
 * (src/, scripts/, tools/, bench/lib/) to plain ESM JavaScript in dist/, file
 * by file, with esbuild (no bundling, no type-checking: `npm run typecheck`
 * does that). bin/lectern.js, behind `npm start` and the other commands, calls
 * it first and it recompiles only when a source file is newer than dist/, so
 * nothing ever runs stale code.
 *
 * Why not run the TypeScript with tsx, as the tests and `npm run dev` do:
 * measured on a 3 MB library (bench/README.md), tsx's loader costs a serving
 * process ~150 MiB of memory and ~0.5 s of start-up, nearly all of it in
 * loading Transformers.js's 1.3 MB bundle through the loader.
 *
 * Plain JavaScript, so it runs before anything is compiled. ~0.3 s when
 * something changed, ~10 ms when nothing did.
 */
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist');
/** Written last: its time is when dist/ was last complete. */
const STAMP = path.join(OUT, '.compiled');

/** Folders whose TypeScript an entry point can import: the engine, the command-line wrappers, the fake Discord (npm run load), the bench. */
const SOURCES = ['src', 'scripts', 'tools', 'bench/lib'];

/** esbuild's options; every one with its reason. */
export const COMPILE_OPTIONS = {
  entryPoints: ['src/**/*.ts', 'scripts/*.ts', 'scripts/lib/*.ts', 'tools/**/*.ts', 'bench/lib/*.ts'],
  absWorkingDir: ROOT,
  /** dist/ mirrors the source tree, so relative imports and `new URL(…, import.meta.url)` keep working. */
  outdir: OUT,
  outbase: '.',
  /** One output file per source file: imports stay imports, nothing is bundled. */
  bundle: false,
  format: 'esm',
  platform: 'node',
  /** package.json "engines": Node 20. */
  target: 'node20',
  /** Stack traces (LECTERN_DEBUG=1) can point at the TypeScript with `node --enable-source-maps`. */
  sourcemap: 'linked',
  logLevel: 'warning',
};

/** Files that are not TypeScript but are loaded beside it: the build worker's plain-JavaScript entry. */
const COPIED = ['src/index/build-worker-entry.mjs'];

/** The newest modification time under the source folders (and of this script and tsconfig.json). */
async function newestSource() {
  let newest = Math.max(
    (await stat(fileURLToPath(import.meta.url))).mtimeMs,
    (await stat(path.join(ROOT, 'tsconfig.json'))).mtimeMs,
  );
  for (const folder of SOURCES) {
    for (const entry of await readdir(path.join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.(?:ts|mjs)$/.test(entry.name)) {
        newest = Math.max(newest, (await stat(path.join(entry.parentPath ?? entry.path, entry.name))).mtimeMs);
      }
    }
  }
  return newest;
}

/** Compiles when a source is newer than the last complete compile; returns whether it did. */
export async function compile({ force = false } = {}) {
  if (!force) {
    const compiledAt = await stat(STAMP).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (compiledAt > (await newestSource())) return false;
  }
  // Written beside dist/ first, then each file renamed into place: another process loading dist/
  // meanwhile (a bot started while the tests compile) reads whole files, old or new, never half of one.
  const staging = path.join(OUT, `.tmp-${process.pid}-${Date.now()}`);
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({ ...COMPILE_OPTIONS, outdir: staging });
  } finally {
    // esbuild's service is a child process: stopped, so it neither holds memory nor keeps this process alive.
    await esbuild.stop();
  }
  for (const file of COPIED) {
    await mkdir(path.dirname(path.join(staging, file)), { recursive: true });
    await copyFile(path.join(ROOT, file), path.join(staging, file));
  }
  for (const entry of await readdir(staging, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const from = path.join(entry.parentPath ?? entry.path, entry.name);
    const to = path.join(OUT, path.relative(staging, from));
    await mkdir(path.dirname(to), { recursive: true });
    await rename(from, to);
  }
  await rm(staging, { recursive: true, force: true });
  await writeFile(STAMP, `${new Date().toISOString()}\n`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  compile({ force: process.argv.includes('--force') }).catch((error) => {
    process.stderr.write(`Could not compile Lectern: ${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 1;
  });
}
