/**
 * Stage 5b, decide: whether to answer, as a named list of rules run in order,
 * shaped like the bot's admission preconditions (src/discord/admission.ts):
 * the first rule with a verdict decides, and the answer's evidence names it.
 * A question is answered when it is close in meaning to some passage, or
 * moderately close and made of words the texts use. It is declined when it
 * names someone or something the texts never mention, when it asks for a
 * name or an age the best passages do not state, or when neither its meaning
 * nor its words meet the texts. Thresholds and measurements: config.ts `decide`.
 */
import type { DecideConfig } from '../config.js';
import { DEFAULT_RANKING_CONFIG } from '../config.js';
import type { Evidence } from './evidence.js';

export type Verdict = 'answer' | 'decline';

/** One abstention rule: a verdict, or undefined to leave the question to the next rule. */
export interface AbstentionRule {
  name: string;
  verdict(evidence: Evidence, config: DecideConfig): Verdict | undefined;
}

/** The rules, in order; the last always decides. */
export const ABSTENTION_RULES: readonly AbstentionRule[] = [
  // The text cannot say who replaced a person it does not name.
  { name: 'unknown-name', verdict: (e) => (e.unknownNames.length > 0 ? 'decline' : undefined) },
  { name: 'slot-not-stated', verdict: (e) => (e.slotStated === false ? 'decline' : undefined) },
  {
    name: 'off-topic',
    verdict: (e, c) => (e.offTopicZ !== undefined && e.offTopicZ < c.minOffTopicZ ? 'decline' : undefined),
  },
  {
    name: 'weak-and-uncovered',
    verdict: (e, c) =>
      e.offTopicZ !== undefined && e.offTopicZ < c.weakOffTopicZ && e.topCoverage < c.minTopCoverage
        ? 'decline'
        : undefined,
  },
  { name: 'close-in-meaning', verdict: (e, c) => (e.topDense >= c.sureDense ? 'answer' : undefined) },
  { name: 'far-in-meaning', verdict: (e, c) => (e.topDense < c.minDense ? 'decline' : undefined) },
  { name: 'word-coverage', verdict: (e, c) => (e.coverage >= c.minCoverage ? 'answer' : 'decline') },
];

/** The decision and the rule that made it. */
export interface Decision {
  answered: boolean;
  rule: string;
}

/** Runs the rules in order; the first verdict decides. */
export function decide(
  evidence: Evidence,
  config: DecideConfig = DEFAULT_RANKING_CONFIG.decide,
  rules: readonly AbstentionRule[] = ABSTENTION_RULES,
): Decision {
  for (const rule of rules) {
    const verdict = rule.verdict(evidence, config);
    if (verdict) return { answered: verdict === 'answer', rule: rule.name };
  }
  return { answered: false, rule: 'no-rule' };
}

/** Whether to answer, with any thresholds overridden (the rules of {@link decide}). */
export function decideAnswerable(evidence: Evidence, options: Partial<DecideConfig> = {}): boolean {
  return decide(evidence, { ...DEFAULT_RANKING_CONFIG.decide, ...options }).answered;
}
