/**
 * How close an unrelated question comes to this library. A cosine of 0.38
 * means little on its own: against an 11-paragraph article, questions about
 * cooking or football reach 0.17 on average; against Moby-Dick, whose 10,000
 * sentences cover most of everyday English, 0.29 (measured with the probes
 * below). Abstention compares a question's best similarity with this
 * baseline instead of with one fixed threshold, so it scales from an article
 * to a book. Computed once per build and stored in the manifest.
 */
import type hnswlib from 'hnswlib-node';
import type { Embedder } from '../embed/embedder.js';

/**
 * Questions no book is about: cooking, sport, computers, weather, health,
 * money, travel, science and trivia. They measure the library, not
 * themselves, so what matters is that they are unrelated to any text a reading
 * group reads; none of them is in an evaluation set.
 */
export const OFF_TOPIC_PROBES: readonly string[] = [
  'What is a good recipe for lentil soup?',
  'What temperature should I roast a chicken at?',
  'Can I freeze cooked rice?',
  "What's a good substitute for eggs in baking?",
  'How many calories are in a banana?',
  'Who won the Champions League last year?',
  'What are the rules of cricket?',
  'How many players are on a basketball team?',
  'When is the next Olympics?',
  'Who holds the record for the fastest marathon?',
  'How do I install Node.js on Windows?',
  'What is the difference between TCP and UDP?',
  'How do I write a for loop in JavaScript?',
  'Why is my Wi-Fi so slow?',
  'How do I reset my iPhone?',
  'Will it snow in Chicago tomorrow?',
  'How tall is Mount Everest?',
  'What is the population of Brazil?',
  'How far is the Moon from the Earth?',
  "What's the best way to learn Spanish?",
  'How do I file my taxes online?',
  'What is a good credit score?',
  'How do I get a passport renewed?',
  'What are the symptoms of the flu?',
  'How much water should I drink a day?',
  'What movies are playing this weekend?',
  'Who is the lead singer of U2?',
  'Recommend a good video game for beginners',
  'What is the stock price of Apple today?',
  'How does a nuclear reactor work?',
  'What is photosynthesis?',
  'Who invented the telephone?',
  'How do vaccines work?',
  'What is the square root of 144?',
  'How do I change a flat tyre?',
  'Where can I buy cheap flights to Tokyo?',
  'How do I train my puppy to sit?',
  'What should I plant in my garden in spring?',
  'Which smartphone has the best camera?',
];

/** The best similarity unrelated questions reach in a library: mean and standard deviation over the probes. */
export interface OffTopicBaseline {
  mean: number;
  sd: number;
  probes: number;
}

/**
 * Embeds the probes and asks the library's dense index for each one's nearest
 * unit, at the breadth answers are searched with (`efSearch`): hnswlib's
 * default of 10 misses the nearest unit often enough to lower Moby-Dick's
 * baseline from 0.29 to 0.25.
 */
export async function measureOffTopicBaseline(
  embedder: Embedder,
  dense: hnswlib.HierarchicalNSW,
  efSearch: number,
): Promise<OffTopicBaseline | undefined> {
  if (dense.getCurrentCount() === 0) return undefined;
  dense.setEf(efSearch);
  const vectors = await embedder.embedQueries([...OFF_TOPIC_PROBES]);
  const best = vectors.map((v) => 1 - dense.searchKnn(Array.from(v), 1).distances[0]!);
  const mean = best.reduce((a, b) => a + b, 0) / best.length;
  const sd = Math.sqrt(best.reduce((a, b) => a + (b - mean) ** 2, 0) / best.length);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return { mean: round(mean), sd: round(sd), probes: best.length };
}
