/**
 * /help: what Lectern does and how to talk to it.
 */
import type { APIEmbed } from 'discord.js';
import { COLORS } from './notice.js';

/** /help: what Lectern does and how to talk to it. */
export function helpEmbed(options: { chatMode: boolean; askChannelIds: readonly string[] }): APIEmbed {
  const chat = options.chatMode
    ? [
        '**Chat:** mention me with a question, or send me a DM' +
          (options.askChannelIds.length
            ? `, or just ask in ${options.askChannelIds.map((id) => `<#${id}>`).join(', ')}`
            : '') +
          '. Follow up with "why?", "who else?" or "tell me more" (I keep your conversation in each channel for 30 minutes), or reply to one of my answers.',
      ]
    : [];
  return {
    title: 'Lectern: answers quoted from the text',
    description: [
      'I answer questions about the texts in this library by quoting them word for word, with the paragraph (¶) so you can find the place.',
      '',
      ...chat,
      '**/ask** `question` `chapter` — an answer for everyone in the channel; `chapter: 34`, `30-35`, `Letter 2` or `Vol. 2, ch. 3` narrows the search.',
      '**/quote** `query` `count` — the top passages, just for you (or `public: True`); **Post to channel** shares them. Without a query, a passage worth discussing.',
      '**/passage** `chapter` `paragraph` — read a paragraph (`chapter:34 paragraph:5`, `reference:34.5`, `reference:Letter 2 ¶3` — what a citation says —, or a ¶ number); ◀ ▶ turn the page across chapters.',
      '**/sources** — the texts I can quote, with chapter and word counts.',
      '**/library add** `file` — add this server’s book (EPUB, text, Markdown or HTML; Manage Server): only this server sees it. **/library list** · **/library info** · **/library remove**.',
      '',
      '**Reading groups** (one per channel; its threads belong to it):',
      '**/club status** — the book, this week’s chapters and due date, and where the club is. **/club schedule** — the whole plan. **/club discuss** — a thread for this week’s chapters with three passages to talk about.',
      '**/club start** `text` `per_week` or `schedule` `starts` · **/club position** · **/club pause** · **/club resume** · **/club end** — for members with Manage Channels. I post each week’s chapters when the week starts.',
      '**/bookmark set** `chapter` · **/bookmark clear** · **/bookmark show** — behind the club? Answers to you here stop at your bookmark.',
      'In a club channel nothing past where the club is (or your bookmark, if lower) is ever quoted, listed or offered: when nothing up to there answers, I say “Nothing up to chapter 12 answers this.”',
      '',
      '**Buttons:** *More passages* shows the next results, *Context* the paragraphs around a quote, *Discuss* opens a thread on an answer.',
      'When the text does not seem to address a question I say so and show the closest passage, labelled as such.',
      '¶ numbers count the paragraphs of the text, except that a short one ending in ":" ("He said:") is joined to the one after it.',
    ].join('\n'),
    color: COLORS.info,
  };
}
