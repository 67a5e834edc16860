import type { DocumentMetadata } from '../types.js';

const DATE_TEXT =
  /^\d{1,2}[\s\u00a0]+\p{L}+[\s\u00a0]+\d{3,4}$|^\p{L}+[\s\u00a0]+\d{1,2},?[\s\u00a0]+\d{3,4}$|^\p{L}+[\s\u00a0]+\d{3,4}$|^\d{4}$/u;
const PAGE_TEXT = /^pp?\.[\s\u00a0]*\d/;
const ISSUE_TEXT = /^(Vol\.|Volume|No\.|Nr\.|Issue|Number)/i;
export const SOURCE_PREFIX = /^(From|Source:|First published|Published)\b/i;

/** Reads "From Socialist Appeal, Vol. 1 No. 3, 28 August 1937, p. 9." into its parts. */
export function parseSourceLine(line: string): Pick<DocumentMetadata, 'publication' | 'issue' | 'date' | 'page'> {
  const body = line
    .replace(SOURCE_PREFIX, '')
    .replace(/^[\s:]+/, '')
    .replace(/\.$/, '');
  const parts = body
    .split(/,\s*/)
    .map((part) => part.trim())
    .filter(Boolean);
  const result: Pick<DocumentMetadata, 'publication' | 'issue' | 'date' | 'page'> = {};
  parts.forEach((part, i) => {
    if (PAGE_TEXT.test(part)) result.page ??= part;
    else if (DATE_TEXT.test(part)) result.date ??= part;
    else if (ISSUE_TEXT.test(part)) result.issue ??= part;
    else if (i === 0) result.publication = part;
  });
  return result;
}
