import type { TextFormat } from './format.js';
import { readPlainText } from './plain-text.js';

/**
 * Markdown: front matter as metadata, a leading `# Title` as the title, and
 * `#` headings as sections: the level of "Chapter N" headings (else the
 * shallowest level used more than once) starts chapters, shallower levels
 * start parts, deeper ones are sub-headings. Headings are never quoted as
 * paragraphs. Inline markup (`*emphasis*`) stays in the text as written.
 */
export const markdownFormat: TextFormat = {
  name: 'markdown',
  extensions: ['.md', '.markdown'],
  read: (input) => readPlainText(input, { markdown: true }),
};
