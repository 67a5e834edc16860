import { describe, expect, it } from 'vitest';
import type { Evidence } from '../src/search/decide/evidence.js';
import { decideAnswerable } from '../src/search/decide/rules.js';

const ON_TOPIC: Evidence = {
  topDense: 0.6,
  coverage: 1,
  unknownNames: [],
  contentTerms: 4,
  topCoverage: 0.75,
};

describe('decideAnswerable', () => {
  it('answers a question close in meaning to the library', () => {
    expect(decideAnswerable(ON_TOPIC)).toBe(true);
    expect(decideAnswerable({ ...ON_TOPIC, offTopicZ: 3.5 })).toBe(true);
  });

  it('declines a question that names what the library never mentions', () => {
    expect(decideAnswerable({ ...ON_TOPIC, unknownNames: ['Trotsky'] })).toBe(false);
  });

  it('declines a question asking for a name or an age the best passages do not state', () => {
    expect(decideAnswerable({ ...ON_TOPIC, slotStated: false })).toBe(false);
    expect(decideAnswerable({ ...ON_TOPIC, slotStated: true })).toBe(true);
  });

  it('declines a question no closer to the library than unrelated questions come', () => {
    expect(decideAnswerable({ ...ON_TOPIC, topDense: 0.4, offTopicZ: 1 })).toBe(false);
  });

  it('declines a weak match whose best passage holds few of its words, and keeps one that holds many', () => {
    expect(decideAnswerable({ ...ON_TOPIC, topDense: 0.45, offTopicZ: 1.6, topCoverage: 0.2 })).toBe(false);
    expect(decideAnswerable({ ...ON_TOPIC, topDense: 0.45, offTopicZ: 1.6, topCoverage: 0.5 })).toBe(true);
  });

  it('without a calibration, falls back to the fixed thresholds', () => {
    expect(decideAnswerable({ ...ON_TOPIC, topDense: 0.4, topCoverage: 0.2 })).toBe(true);
    expect(decideAnswerable({ ...ON_TOPIC, topDense: 0.25 })).toBe(false);
  });
});
