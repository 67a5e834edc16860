/**
 * Discord's limits, and fitting a message's embeds to them. Lengths are
 * measured after escaping and formatting, because that is what Discord counts.
 */
import type { APIEmbed } from 'discord.js';

/** Discord's documented limits (characters unless noted). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer and author over all embeds of a message. */
  embedsTotal: 6000,
  fields: 25,
  embeds: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  threadName: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Characters Discord counts towards the 6,000 total for one embed. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Checks one message's embeds against every Discord limit; returns the violations (empty when valid). */
export function embedViolations(embeds: readonly APIEmbed[]): string[] {
  const problems: string[] = [];
  if (embeds.length > LIMITS.embeds) problems.push(`${embeds.length} embeds > ${LIMITS.embeds}`);
  const total = embeds.reduce((n, e) => n + embedLength(e), 0);
  if (total > LIMITS.embedsTotal) problems.push(`embeds total ${total} > ${LIMITS.embedsTotal}`);
  embeds.forEach((e, i) => {
    const check = (what: string, value: string | undefined, max: number): void => {
      if (value !== undefined && value.length > max) problems.push(`embed ${i} ${what} ${value.length} > ${max}`);
      if (value !== undefined && value.length === 0) problems.push(`embed ${i} ${what} is empty`);
    };
    check('title', e.title, LIMITS.embedTitle);
    check('description', e.description, LIMITS.embedDescription);
    check('footer', e.footer?.text, LIMITS.footerText);
    check('author', e.author?.name, LIMITS.authorName);
    if ((e.fields?.length ?? 0) > LIMITS.fields)
      problems.push(`embed ${i} has ${e.fields!.length} fields > ${LIMITS.fields}`);
    e.fields?.forEach((f, j) => {
      check(`field ${j} name`, f.name, LIMITS.fieldName);
      check(`field ${j} value`, f.value, LIMITS.fieldValue);
    });
  });
  return problems;
}

/**
 * Makes a message's embeds fit the 6,000-character total: drops trailing
 * fields of the last embeds first (they are the least relevant passages),
 * then trailing embeds beyond the first. Descriptions are sized by the
 * builders, which know where sentences end.
 */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const out = embeds
    .slice(0, LIMITS.embeds)
    .map((e) => ({ ...e, ...(e.fields ? { fields: e.fields.slice(0, LIMITS.fields) } : {}) }));
  const total = (): number => out.reduce((n, e) => n + embedLength(e), 0);
  for (let i = out.length - 1; i >= 0 && total() > LIMITS.embedsTotal; i--) {
    const fields = out[i]!.fields;
    while (fields && fields.length > 0 && total() > LIMITS.embedsTotal) fields.pop();
    if (fields && fields.length === 0) delete out[i]!.fields;
  }
  while (out.length > 1 && total() > LIMITS.embedsTotal) out.pop();
  return out;
}
