/**
 * /library add against hostile and broken uploads, end to end: the real discord.js client against the
 * fake Discord (whose CDN serves the files, badly when asked), the real model, real builds in a worker.
 * Each upload Lectern will not take gets one line, "<name> was not added: <reason>", in the reply it
 * deferred; nothing is added (the list is as before, no file is left in the server's texts folder) and
 * the bot goes on answering. Limits are set small through the environment, as an operator would.
 */
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.js';
import { Lectern } from '../../src/lectern.js';
import { slashCommand, type AddAttachmentOptions, type Place } from '../../tools/fake-discord/index.js';
import { checkAllMessages, startHarness, type Harness } from './harness.js';
import { addBook, ask, finalNotice, listText, shown, uploadedFiles } from './library-helpers.js';

const MB = 1024 * 1024;
const BOOKS = path.join(ROOT_DIR, 'test', 'fixtures', 'books');

/** The refused replies, by case, for the table in the report and for reading a failure. */
const replies: Array<[string, string]> = [];

let lectern: Lectern;
beforeAll(async () => {
  lectern = await Lectern.open();
}, 120_000);
afterAll(async () => {
  await lectern?.close();
});

/** A bot on its own fake Discord and data folder, sharing the loaded model. */
async function openLibraryBot(env: Record<string, string>): Promise<{ h: Harness; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lectern-hostile-'));
  const h = await startHarness(lectern, { env: { RATE_LIMIT_COUNT: '1000', LECTERN_DATA_DIR: dataDir, ...env } });
  return { h, dataDir };
}

async function closeLibraryBot(bot: { h: Harness; dataDir: string } | undefined): Promise<void> {
  await bot?.h.stop();
  if (bot) await rm(bot.dataDir, { recursive: true, force: true });
}

// --- files -------------------------------------------------------------------

const PDF = strToU8('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
]);

const CONTAINER = (opf: string) =>
  strToU8(
    `<?xml version="1.0"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">` +
      `<rootfiles><rootfile full-path="${opf}" media-type="application/oebps-package+xml"/></rootfiles></container>`,
  );
const CHAPTER = strToU8(
  '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title></head>' +
    '<body><h1>Chapter One</h1><p>The ferry left at dawn.</p></body></html>',
);

/** An EPUB's zip: `mimetype` first and stored, as the format asks, then `entries`. */
function epub(entries: Zippable): Uint8Array {
  return zipSync({ mimetype: [strToU8('application/epub+zip'), { level: 0 }], ...entries });
}

/** A Word document as Word writes one: a zip with [Content_Types].xml and word/document.xml. */
const DOCX = zipSync({
  '[Content_Types].xml': strToU8(
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  ),
  'word/document.xml': strToU8(
    '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<w:body><w:p><w:r><w:t>Chapter one. The ferry left at dawn.</w:t></w:r></w:p></w:body></w:document>',
  ),
});

/** UTF-8 text of at least `bytes` bytes: a long, plain book. */
function longText(bytes: number): string {
  const sentence = 'The ferry crossed the grey water in the early morning, and nobody on board said a word. ';
  return `The Long Crossing\n\n${sentence.repeat(Math.ceil(bytes / sentence.length))}`;
}

/** A short book, different for every `name`. */
function smallBook(name: string): string {
  const lower = name.toLowerCase();
  return [
    `The Book of ${name}`,
    'By Test Writer',
    `This short book is about ${lower}. Everyone in the village had an opinion about ${lower}, and most of them were wrong.`,
    `In the spring the ${lower} came back, as they always did, and the children counted them from the bridge.`,
    `By the end of the year the village had written down everything it knew about ${lower} in one thin notebook.`,
  ].join('\n\n');
}

// --- the bot with small limits --------------------------------------------------

describe('hostile and broken uploads', () => {
  let bot: { h: Harness; dataDir: string };
  let h: Harness;
  /** A local server standing for an internal one (metadata, admin page): it must never be asked anything. */
  let canary: http.Server;
  const canaryRequests: string[] = [];

  const inA = (): Place => ({ channel: h.fake.world.general });
  const inB = (): Place => ({ channel: h.fake.world.otherGuild.general });

  beforeAll(async () => {
    bot = await openLibraryBot({
      LECTERN_LIBRARY_MAX_FILE_MB: '1',
      LECTERN_LIBRARY_MAX_UNPACKED_MB: '1',
      LECTERN_DOWNLOAD_STALL_SECONDS: '0.5',
    });
    h = bot.h;
    canary = http.createServer((req, res) => {
      canaryRequests.push(req.url ?? '');
      res.end('The Secret\n\nBy Nobody\n\nThis text must never be fetched.');
    });
    canary.listen(0, '127.0.0.1');
    await once(canary, 'listening');
  }, 120_000);
  afterAll(async () => {
    canary?.close();
    await closeLibraryBot(bot);
  });

  interface RefusedUpload {
    name: string;
    /** The attachment, as `fake.addAttachment` takes it. */
    attachment: () => AddAttachmentOptions;
    /** The reason after "<name> was not added: ": exactly, or matching. */
    reason: string | RegExp;
    /** Whether the bot must have fetched the file (true), must never have (false), or either. */
    fetched?: boolean;
  }

  const CONVERT = 'Lectern reads plain text, Markdown, HTML and EPUB. Convert it to EPUB or text first.';
  const ELSEWHERE =
    /^I only download attachments from Discord \(http:\/\/127\.0\.0\.1:\d+\); that link points elsewhere\.$/;
  const refused: RefusedUpload[] = [
    { name: 'a PDF', attachment: () => ({ filename: 'report.pdf', bytes: PDF }), reason: `That is a PDF; ${CONVERT}` },
    {
      name: 'a PDF named .txt',
      attachment: () => ({ filename: 'novel.txt', bytes: PDF }),
      reason: `That is a PDF; ${CONVERT}`,
    },
    {
      name: 'a Word .docx',
      attachment: () => ({ filename: 'essay.docx', bytes: DOCX }),
      reason: `That is a Word document; ${CONVERT}`,
    },
    {
      name: 'a PNG image',
      attachment: () => ({ filename: 'cover.png', bytes: PNG }),
      reason: `That is an image (PNG); ${CONVERT}`,
    },
    {
      name: 'a zip that is not an EPUB',
      attachment: () => ({
        filename: 'photos.zip',
        bytes: zipSync({ 'readme.txt': strToU8('Holiday photos.'), 'list.csv': strToU8('a,b\n1,2\n') }),
      }),
      reason:
        'That is a zip archive that is not an EPUB; Lectern reads plain text, Markdown, HTML and EPUB. Upload the book itself, not an archive.',
    },
    {
      name: 'an EPUB zip bomb (declared sizes past LECTERN_LIBRARY_MAX_UNPACKED_MB)',
      attachment: () => ({
        filename: 'bomb.epub',
        bytes: epub({
          'META-INF/container.xml': CONTAINER('OEBPS/content.opf'),
          'OEBPS/chapter.xhtml': strToU8('a'.repeat(2 * MB)),
        }),
      }),
      reason: 'That EPUB claims to unpack to 2 MB, past the 1 MB limit; it is not read.',
    },
    {
      name: 'an EPUB with a ../evil.xhtml entry',
      attachment: () => ({
        filename: 'climb.epub',
        bytes: epub({ 'META-INF/container.xml': CONTAINER('OEBPS/content.opf'), '../evil.xhtml': CHAPTER }),
      }),
      reason: 'That EPUB has a file path that climbs out of the book (`../evil.xhtml`); it is not read.',
    },
    {
      name: 'Latin-1 text',
      attachment: () => ({
        filename: 'miserables.txt',
        bytes: Buffer.from('Les Misérables\n\nVictor Hugo\n\nÀ Digne, en 1815, M. Myriel était évêque.\n', 'latin1'),
      }),
      reason: 'That file is not UTF-8 text; save it as UTF-8 and try again.',
    },
    {
      name: 'an empty file',
      attachment: () => ({ filename: 'empty.txt', bytes: '' }),
      reason: 'That file is empty.',
    },
    {
      name: 'a file over LECTERN_LIBRARY_MAX_FILE_MB by its declared size',
      attachment: () => ({ filename: 'huge.txt', bytes: smallBook('Giants'), declaredSize: 5 * MB }),
      reason: 'That file is 5 MB; the limit is 1 MB per book (LECTERN_LIBRARY_MAX_FILE_MB).',
      fetched: false,
    },
    {
      name: 'a file declared small whose body is over the limit (Content-Length)',
      attachment: () => ({ filename: 'liar.txt', bytes: longText(1.5 * MB), declaredSize: 1000 }),
      reason: 'That file is 1.5 MB; the limit is 1 MB per book (LECTERN_LIBRARY_MAX_FILE_MB).',
      fetched: true,
    },
    {
      name: 'a file declared small whose body is over the limit (no Content-Length: counted while streaming)',
      attachment: () => ({
        filename: 'stream.txt',
        bytes: longText(1.5 * MB),
        declaredSize: 1000,
        behaviour: 'no-content-length',
      }),
      reason: 'That file is over the 1 MB limit per book (LECTERN_LIBRARY_MAX_FILE_MB).',
      fetched: true,
    },
    {
      name: 'an attachment URL on the cloud metadata address',
      attachment: () => ({ filename: 'x.txt', bytes: 'x', url: 'http://169.254.169.254/latest/meta-data/x.txt' }),
      reason: ELSEWHERE,
    },
    {
      name: 'an attachment URL on 127.0.0.1:1',
      attachment: () => ({ filename: 'x.txt', bytes: 'x', url: 'http://127.0.0.1:1/x.txt' }),
      reason: ELSEWHERE,
    },
    {
      name: 'an attachment URL on a local server that is listening',
      attachment: () => ({
        filename: 'secret.txt',
        bytes: 'x',
        url: `http://127.0.0.1:${(canary.address() as AddressInfo).port}/secret.txt`,
      }),
      reason: ELSEWHERE,
    },
    {
      name: 'a download that stalls mid-body (LECTERN_DOWNLOAD_STALL_SECONDS)',
      attachment: () => ({ filename: 'stalled.txt', bytes: smallBook('Snails'), behaviour: 'stall-mid-body' }),
      reason: 'The download stalled. Try again.',
      fetched: true,
    },
    {
      name: 'a download that breaks off mid-body',
      attachment: () => ({ filename: 'broken.txt', bytes: smallBook('Cables'), behaviour: 'break-mid-body' }),
      reason: 'The download broke off before the end. Try again.',
      fetched: true,
    },
  ];

  it.each(refused)('refuses $name in one line, adding nothing', async ({ name, attachment, reason, fetched }) => {
    const before = await listText(h, inA());
    const file = h.fake.addAttachment(attachment());
    const notice = await finalNotice(h.interact(slashCommand(h.fake, 'library add', { file }, inA())));
    replies.push([name, notice]);
    const prefix = `${file.filename} was not added: `;
    expect(notice.startsWith(prefix), notice).toBe(true);
    if (typeof reason === 'string') expect(notice.slice(prefix.length)).toBe(reason);
    else expect(notice.slice(prefix.length)).toMatch(reason);
    expect(notice).not.toContain('\n');
    if (fetched !== undefined) expect(h.fake.attachmentRequests.some((r) => r.attachmentId === file.id)).toBe(fetched);
    // Nothing added, nothing left on disk; and the bot still answers (the list is an answer).
    expect(await listText(h, inA())).toBe(before);
    expect(await uploadedFiles(bot.dataDir, h.fake.world.guildId)).toEqual([]);
    expect(h.logs.some((l) => l.event === 'library_refused' && l.reason === notice.slice(prefix.length))).toBe(true);
  });

  it('never fetched a URL off the allow-list', () => {
    expect(canaryRequests).toEqual([]);
    expect(h.fake.attachmentRequests.every((r) => r.path.includes('attachments/'))).toBe(true);
  });

  it('ends the progress message with why when the build fails in the worker, leaving the library as it was', async () => {
    const before = await listText(h, inA());
    // Passes the upload check (an EPUB's mimetype and container), but its container points at a package
    // document that is not there: only the parser, in the build, finds out.
    const { probe, outcome } = addBook(
      h,
      'hollow.epub',
      epub({ 'META-INF/container.xml': CONTAINER('OEBPS/missing.opf'), 'OEBPS/chapter.xhtml': CHAPTER }),
      inA(),
    );
    const first = shown((await probe.final(60_000)).payload);
    expect(first).toContain('Adding hollow.epub');
    const ended = (await outcome()).trim();
    replies.push(['an EPUB whose container points at a missing .opf (fails in the build)', ended]);
    expect(ended).toMatch(/^hollow\.epub was not added: \S.*$/);
    expect(await listText(h, inA())).toBe(before);
    expect(await uploadedFiles(bot.dataDir, h.fake.world.guildId)).toEqual([]);
  });

  it('takes at most LECTERN_LIBRARY_MAX_QUEUED of ten uploads at once, refuses the others, and adds those it took', async () => {
    const guildB = h.fake.world.otherGuild.guildId;
    const names = [
      'Ravens',
      'Lanterns',
      'Orchards',
      'Bridges',
      'Kettles',
      'Harbours',
      'Meadows',
      'Clocks',
      'Ferries',
      'Quarries',
    ];
    const uploads = names.map((name) => ({ name, ...addBook(h, `${name.toLowerCase()}.txt`, smallBook(name), inB()) }));
    // Every interaction gets a reply: its progress message, or the refusal.
    const firsts = await Promise.all(
      uploads.map(async (u) => ({ ...u, first: shown((await u.probe.final(60_000)).payload) })),
    );
    const taken = firsts.filter((u) => u.first.includes(`Adding ${u.name.toLowerCase()}.txt`));
    const turnedAway = firsts.filter((u) => u.first.includes('was not added'));
    expect(taken.length + turnedAway.length).toBe(10);
    // The first three are always taken; the rest arrive while those are still waiting or building.
    expect(taken.length).toBeGreaterThanOrEqual(3);
    expect(turnedAway.length).toBeGreaterThanOrEqual(1);
    for (const u of turnedAway) {
      const line = u.first.trim();
      expect(line).toMatch(
        /^\w+\.txt was not added: This server already has 3 books waiting to be built, the most at once \(LECTERN_LIBRARY_MAX_QUEUED\); add this one when one of them is done\.$/,
      );
    }
    replies.push(['ten uploads at once (one of the refused)', turnedAway[0]!.first.trim()]);
    const outcomes = await Promise.all(taken.map((u) => u.outcome()));
    for (const [i, text] of outcomes.entries()) expect(text).toContain(`Added The Book of ${taken[i]!.name}`);
    // Never more than three of this server's books queued at a time: count them in and out of the log.
    let queued = 0;
    let most = 0;
    for (const line of h.logs.filter((l) => l.guild === guildB)) {
      if (line.event === 'library_queued') most = Math.max(most, ++queued);
      if (line.event === 'library_add') queued--;
    }
    expect(most).toBeLessThanOrEqual(3);
    const list = await listText(h, inB());
    for (const u of taken) expect(list).toContain(`The Book of ${u.name}`);
    for (const u of turnedAway) expect(list).not.toContain(`The Book of ${u.name}`);
    expect((await uploadedFiles(bot.dataDir, guildB)).sort()).toEqual(
      taken.map((u) => `${u.name.toLowerCase()}.txt`).sort(),
    );
  }, 180_000);

  it('still answers questions afterwards, within every Discord limit', async () => {
    expect(await ask(h, 'Who signed the communiqué?', inA())).toContain('Kalinin');
    expect(checkAllMessages(h.fake)).toBeGreaterThan(0);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('the limits on a server’s library', () => {
  let bot: { h: Harness; dataDir: string };
  let h: Harness;
  const inA = (): Place => ({ channel: h.fake.world.general });
  const inB = (): Place => ({ channel: h.fake.world.otherGuild.general });

  beforeAll(async () => {
    bot = await openLibraryBot({ LECTERN_LIBRARY_MAX_TEXTS: '2', LECTERN_LIBRARY_MAX_TOTAL_MB: '1' });
    h = bot.h;
  }, 120_000);
  afterAll(() => closeLibraryBot(bot));

  it('refuses a text past LECTERN_LIBRARY_MAX_TEXTS, naming it', async () => {
    const added = await Promise.all([
      addBook(h, 'winters.txt', await readFile(path.join(BOOKS, 'two-winters.txt')), inA()).outcome(),
      addBook(h, 'gull.md', await readFile(path.join(BOOKS, 'gull-rock.md')), inA()).outcome(),
    ]);
    for (const text of added) expect(text).toContain('Added');
    const before = await listText(h, inA());
    const third = addBook(h, 'letters.txt', await readFile(path.join(BOOKS, 'northern-letters.txt')), inA());
    const notice = await finalNotice(third.probe);
    replies.push(['a third text with LECTERN_LIBRARY_MAX_TEXTS=2', notice]);
    expect(notice).toBe(
      'letters.txt was not added: This server has 2 texts, the most it can have (LECTERN_LIBRARY_MAX_TEXTS); remove one with /library remove first.',
    );
    expect(await listText(h, inA())).toBe(before);
    expect((await uploadedFiles(bot.dataDir, h.fake.world.guildId)).sort()).toEqual(['gull.md', 'winters.txt']);
  }, 180_000);

  it('refuses a text that would bring the library past LECTERN_LIBRARY_MAX_TOTAL_MB, naming it', async () => {
    const guildB = h.fake.world.otherGuild.guildId;
    expect(
      await addBook(h, 'winters.txt', await readFile(path.join(BOOKS, 'two-winters.txt')), inB()).outcome(),
    ).toContain('Added');
    const before = await listText(h, inB());
    // Under the 10 MB per-book limit, but with the book already there, past the server's 1 MB.
    const big = addBook(h, 'crossing.txt', longText(MB - 512), inB());
    const notice = await finalNotice(big.probe);
    replies.push(['a text past LECTERN_LIBRARY_MAX_TOTAL_MB=1', notice]);
    expect(notice).toMatch(
      /^crossing\.txt was not added: That would bring this server's library past its 1 MB limit \(LECTERN_LIBRARY_MAX_TOTAL_MB\); remove a text with \/library remove first\.$/,
    );
    expect(await listText(h, inB())).toBe(before);
    expect(await uploadedFiles(bot.dataDir, guildB)).toEqual(['winters.txt']);
  }, 180_000);
});

afterAll(() => {
  if (process.env.LECTERN_PRINT_REPLIES) console.log(replies.map(([name, text]) => `| ${name} | ${text} |`).join('\n'));
});
