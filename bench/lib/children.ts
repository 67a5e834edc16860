import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT_DIR } from '../../src/config.js';

/** How a serving child process is started; cold start differs a lot between them. */
export type Launcher = 'node --import tsx' | 'tsx' | 'compiled';

export const LAUNCHERS: readonly Launcher[] = ['node --import tsx', 'tsx', 'compiled'];

/** Where scripts/compile.mjs writes the plain JavaScript that `npm start` and `npm run embed` run. */
export const COMPILED_DIR = path.join(ROOT_DIR, 'dist');

/**
 * Compiles src/, scripts/ and bench/lib/ to dist/ (scripts/compile.mjs), so
 * children run what users run: `npm start` and `npm run embed` load the
 * compiled JavaScript, not the TypeScript through tsx's loader.
 */
export async function compileForColdStart(): Promise<void> {
  const { compile } = (await import(pathToFileURL(path.join(ROOT_DIR, 'scripts', 'compile.mjs')).href)) as {
    compile: (options?: { force?: boolean }) => Promise<boolean>;
  };
  await compile();
}

function command(launcher: Launcher, flags: readonly string[]): [string, string[]] {
  switch (launcher) {
    case 'node --import tsx':
      return [process.execPath, ['--import', 'tsx', path.join('bench', 'lib', 'serve.ts'), ...flags]];
    case 'tsx':
      // What `npm start` runs (minus npm itself): the tsx CLI, which starts a second node process.
      return [path.join(ROOT_DIR, 'node_modules', '.bin', 'tsx'), [path.join('bench', 'lib', 'serve.ts'), ...flags]];
    case 'compiled':
      return [process.execPath, [path.join(COMPILED_DIR, 'bench', 'lib', 'serve.js'), ...flags]];
  }
}

export interface ServeRun {
  /** Spawn to READY (first answer formatted), measured by this process. */
  wallMs: number;
  /** What the child reported (see bench/lib/serve.ts). */
  result: Record<string, unknown> & { coldStart: Record<string, number> };
}

/**
 * Runs bench/lib/serve.ts in a fresh process on one library and returns its
 * report. `env` must name LECTERN_TEXTS_DIR and LECTERN_INDEX_DIR.
 */
export function runServe(
  launcher: Launcher,
  env: Record<string, string>,
  flags: readonly string[] = [],
  timeoutMs = 300_000,
): Promise<ServeRun> {
  const [file, args] = command(launcher, flags);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let wallMs = Number.NaN;
    let stdout = '';
    let stderr = '';
    const child = spawn(file, args, {
      cwd: ROOT_DIR,
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        BENCH_QUESTIONS: path.join(ROOT_DIR, 'eval', 'dev-questions.jsonl'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (Number.isNaN(wallMs) && stdout.includes('READY\n')) wallMs = performance.now() - started;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) {
        reject(
          new Error(
            `serve child (${launcher}) exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
        return;
      }
      resolve({ wallMs, result: JSON.parse(line.slice('RESULT '.length)) as ServeRun['result'] });
    });
  });
}

/**
 * Runs bench/lib/build-child.ts, compiled as `npm run embed` runs it, in a
 * fresh process (so its peak memory is the build's own) and returns what it reported. `env` names LECTERN_TEXTS_DIR,
 * LECTERN_INDEX_DIR and BENCH_PIPELINE.
 */
export function runBuild<T>(env: Record<string, string>, timeoutMs = 1_800_000): Promise<T> {
  return runChild<T>('build-child', env, timeoutMs);
}

/**
 * Runs the compiled bench/lib/`<name>`.ts in a fresh process and returns the JSON of its `RESULT` line.
 * Its progress lines (stderr) are passed on.
 */
export function runChild<T>(name: string, env: Record<string, string>, timeoutMs = 1_800_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(process.execPath, ['--expose-gc', path.join(COMPILED_DIR, 'bench', 'lib', `${name}.js`)], {
      cwd: ROOT_DIR,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      process.stderr.write(`  ${name}: ${chunk}`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`${name} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      resolve(JSON.parse(line.slice('RESULT '.length)) as T);
    });
  });
}
