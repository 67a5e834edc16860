import type { Embedder } from '../../src/embed/embedder.js';
import { loadLibrary } from '../../src/corpus/library.js';
import { buildUnits } from '../../src/index/units.js';

/**
 * The texts a build embeds for `count` passages of the library in
 * `textsDir`, spread evenly through it: each passage whole and each of its
 * sentences (with the title in front, exactly as buildUnits makes them), so
 * the mix of long and short texts is that of a real build. Identical texts
 * are kept: a real library rarely repeats a sentence, this synthetic one does.
 */
export async function unitTexts(textsDir: string, count: number): Promise<string[]> {
  const units = buildUnits(await loadLibrary(textsDir));
  const passageIds = [...new Set(units.map((u) => u.passageId))];
  const step = Math.max(1, passageIds.length / count);
  const chosen = new Set<string>();
  for (let i = 0; i < passageIds.length && chosen.size < count; i += step) chosen.add(passageIds[Math.floor(i)]!);
  return units.filter((u) => chosen.has(u.passageId)).map((u) => u.text);
}

/** A way of embedding a list of texts. */
export type EmbedStrategy = (embedder: Embedder, texts: string[]) => Promise<unknown>;

/** The naive baseline: the pipeline called on one passage at a time (Embedder.embed of a single text is exactly that call). */
export const naive: EmbedStrategy = async (embedder, texts) => {
  for (const text of texts) await embedder.embed([text]);
};

/** `npm run embed`'s code path: Embedder.embedPassages (length-sorted batches). */
export const engine: EmbedStrategy = (embedder, texts) => embedder.embedPassages(texts);

/**
 * Candidate engine change, measured here on top of the public API: sort by
 * length, then cut batches so that (texts in the batch × longest text) stays
 * under a budget of characters, i.e. a bounded padded tensor. Short texts get
 * large batches (per-call overhead dominates them); long ones small batches
 * (a large activation tensor falls out of cache and costs more than it saves).
 */
export function budgeted(charBudget: number, maxBatch = 64): EmbedStrategy {
  return async (embedder, texts) => {
    const sorted = [...texts].sort((a, b) => a.length - b.length);
    let i = 0;
    while (i < sorted.length) {
      let j = i + 1;
      while (j < sorted.length && j - i < maxBatch && (j - i + 1) * sorted[j]!.length <= charBudget) j++;
      await embedder.embed(sorted.slice(i, j), { batchSize: j - i });
      i = j;
    }
  };
}

export interface ThroughputResult {
  texts: number;
  meanChars: number;
  /** Texts per wall-clock second, per strategy, over all chunks. */
  passagesPerSecond: Record<string, number>;
  /** Texts per CPU-second of this process (all threads), per strategy: steadier than wall time when the machine is shared. */
  passagesPerCpuSecond: Record<string, number>;
  /** Wall-clock passages per second of each strategy in each round, to show the spread. */
  rounds: Record<string, number[]>;
}

/**
 * Passages per second of several strategies on the same texts. The texts are
 * sorted by length and cut into chunks of 64, as a large build's sorted list
 * would be batched; every strategy runs on every chunk, in an order that
 * rotates from chunk to chunk, so a noisy neighbour on the machine slows all
 * of them alike and the ratios hold.
 */
export async function compareThroughput(embedder: Embedder, texts: string[], strategies: Record<string, EmbedStrategy>, rounds: number): Promise<ThroughputResult> {
  const names = Object.keys(strategies);
  const sorted = [...texts].sort((a, b) => a.length - b.length);
  const chunks: string[][] = [];
  for (let i = 0; i < sorted.length; i += 64) chunks.push(sorted.slice(i, i + 64));
  await embedder.embed(texts.slice(0, 16)); // warm-up: first runs allocate ONNX arenas
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (let r = 0; r < rounds; r++) {
    const roundWall: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    for (const [c, chunk] of chunks.entries()) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + c + r) % names.length]!;
        const cpuStart = process.cpuUsage();
        const start = performance.now();
        await strategies[name]!(embedder, chunk);
        roundWall[name]! += performance.now() - start;
        const used = process.cpuUsage(cpuStart);
        cpu[name]! += (used.user + used.system) / 1000;
      }
    }
    for (const n of names) wall[n]!.push((texts.length / roundWall[n]!) * 1000);
  }
  const total = texts.length * rounds;
  return {
    texts: texts.length,
    meanChars: texts.reduce((n, t) => n + t.length, 0) / texts.length,
    passagesPerSecond: Object.fromEntries(names.map((n) => [n, (total / wall[n]!.reduce((sum, pps) => sum + texts.length / pps, 0))])),
    passagesPerCpuSecond: Object.fromEntries(names.map((n) => [n, (total / cpu[n]!) * 1000])),
    rounds: wall,
  };
}
