/**
 * What an uploaded file really is (src/libraries/check-upload.ts): fixtures are built here, byte
 * by byte or with fflate's zipSync, plus the real EPUBs in test/fixtures/formats. Also the bounded
 * zip reading behind it (src/corpus/zip.ts) and the EPUB reader's guard against lying sizes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/config.js';
import { CorpusError, parseDocument } from '../../src/corpus/parse.js';
import { MAX_UNZIPPED_BYTES, ZipError, readZipEntry, zipEntries } from '../../src/corpus/zip.js';
import { checkUpload } from '../../src/libraries/check-upload.js';
import { UploadRefused } from '../../src/libraries/download.js';

const MB = 1024 * 1024;
const LIMITS = { maxUnpackedBytes: MAX_UNZIPPED_BYTES };
const FORMATS_DIR = path.join(ROOT_DIR, 'test', 'fixtures', 'formats');
const CONVERT = 'Lectern reads plain text, Markdown, HTML and EPUB. Convert it to EPUB or text first.';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

/** The one-line refusal for a file; fails the test when the file is accepted. */
function refusal(fileName: string, data: Uint8Array, limits = LIMITS): string {
  try {
    checkUpload(fileName, data, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(UploadRefused);
    const message = (error as UploadRefused).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`${fileName} was accepted`);
}

const CONTAINER =
  '<?xml version="1.0"?><container><rootfiles><rootfile full-path="content.opf"/></rootfiles></container>';

/** An EPUB's required parts, `mimetype` first and stored as the format asks, plus `extra` entries. */
function epub(extra: Zippable = {}): Uint8Array {
  return zipSync({
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(CONTAINER),
    ...extra,
  });
}

/** Rewrites the uncompressed size the central directory (and the local header) declares for `name`. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const patched = zip.slice();
  const view = new DataView(patched.buffer);
  const entry = zipEntries(patched).find((e) => e.name === name)!;
  view.setUint32(entry.localHeaderOffset + 22, size, true);
  for (let at = 0; at < patched.length - 46; at++)
    if (view.getUint32(at, true) === 0x02014b50 && view.getUint32(at + 42, true) === entry.localHeaderOffset)
      view.setUint32(at + 24, size, true);
  return patched;
}

describe('checkUpload: files that are not texts', () => {
  it.each([
    ['report.pdf', utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), `That is a PDF; ${CONVERT}`],
    ['really-a-pdf.txt', utf8('%PDF-1.4\n'), `That is a PDF; ${CONVERT}`],
    ['old.doc', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0), `That is a Word document; ${CONVERT}`],
    [
      'cover.png',
      bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13),
      `That is an image (PNG); ${CONVERT}`,
    ],
    ['photo.txt', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46), `That is an image (JPEG); ${CONVERT}`],
    ['anim.gif', utf8('GIF89a\x01\x00\x01\x00'), `That is an image (GIF); ${CONVERT}`],
    ['pic', utf8('RIFF\x24\x00\x00\x00WEBPVP8 '), `That is an image (WEBP); ${CONVERT}`],
    ['letter.rtf', utf8('{\\rtf1\\ansi Dear reader}'), `That is an RTF document; ${CONVERT}`],
  ])('%s: refused by its content', (name, data, message) => {
    expect(refusal(name, data)).toBe(message);
  });

  it('refuses a .docx by its word/ entries, whatever it is called', () => {
    const docx = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'word/document.xml': strToU8('<w:document/>'),
    });
    expect(refusal('essay.docx', docx)).toBe(`That is a Word document; ${CONVERT}`);
    expect(refusal('essay.epub', docx)).toBe(`That is a Word document; ${CONVERT}`);
  });

  it('refuses an OpenDocument file by its mimetype', () => {
    const odt = zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': strToU8('<office:document-content/>'),
    });
    expect(refusal('essay.odt', odt)).toBe(`That is an OpenDocument file; ${CONVERT}`);
  });

  it('refuses a zip archive that is not an EPUB', () => {
    const zip = zipSync({ 'chapter1.txt': strToU8('Call me Ishmael.') });
    expect(refusal('books.zip', zip)).toBe(
      'That is a zip archive that is not an EPUB; Lectern reads plain text, Markdown, HTML and EPUB. Upload the book itself, not an archive.',
    );
    expect(refusal('moby.epub', zip)).toBe(
      "That file is named .epub but is not one (it is a zip archive without an EPUB's mimetype or META-INF/container.xml).",
    );
  });

  it('refuses a .epub that is not a zip archive', () => {
    expect(refusal('moby.epub', utf8('Call me Ishmael.'))).toBe(
      'That file is named .epub but is not one (it is not a zip archive).',
    );
  });

  it('refuses a damaged zip', () => {
    const zip = epub({ 'a.xhtml': strToU8('<p>x</p>') });
    expect(refusal('moby.epub', zip.subarray(0, zip.length - 30))).toBe(
      'That EPUB is damaged (its zip directory cannot be read); it is not read.',
    );
  });

  it('refuses binary data, naming the extension', () => {
    const binary = bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0);
    expect(refusal('program.bin', binary)).toBe(
      'That .bin file is not text; Lectern reads plain text, Markdown, HTML and EPUB.',
    );
    expect(refusal('book.mobi', binary)).toBe(`That is a Kindle book; ${CONVERT}`);
    expect(refusal('notes.txt', binary)).toBe(
      'That file is named .txt but is not text (it holds binary data); Lectern reads plain text, Markdown, HTML and EPUB.',
    );
    expect(refusal('noname', binary)).toBe(
      'That file is not text (it holds binary data); Lectern reads plain text, Markdown, HTML and EPUB.',
    );
  });
});

describe('checkUpload: EPUB directories, read without inflating', () => {
  it.each(['../evil.xhtml', 'OEBPS/../../evil.xhtml', '/etc/cron.d/evil', 'OEBPS\\..\\evil.xhtml', 'C:/evil.xhtml'])(
    'refuses an entry named %j',
    (name) => {
      const message = refusal('book.epub', epub({ [name]: strToU8('<p>x</p>') }));
      expect(message).toMatch(/^That EPUB has a file path that climbs out of the book \(`.+`\); it is not read\.$/);
    },
  );

  it('shows the climbing path as it is', () => {
    expect(refusal('book.epub', epub({ '../evil.xhtml': strToU8('<p>x</p>') }))).toBe(
      'That EPUB has a file path that climbs out of the book (`../evil.xhtml`); it is not read.',
    );
  });

  it('refuses declared sizes past the limit, before inflating anything', () => {
    const zip = declareSize(
      epub({ 'OEBPS/ch1.xhtml': strToU8('<p>Call me Ishmael.</p>') }),
      'OEBPS/ch1.xhtml',
      600 * MB,
    );
    expect(refusal('book.epub', zip)).toBe(
      'That EPUB claims to unpack to 600 MB, past the 512 MB limit; it is not read.',
    );
    expect(refusal('book.epub', epub({ 'a.xhtml': new Uint8Array(2 * MB) }), { maxUnpackedBytes: MB })).toBe(
      'That EPUB claims to unpack to 2 MB, past the 1 MB limit; it is not read.',
    );
  });

  it('refuses an entry compressed like a zip bomb', () => {
    // 30 MB of zeros deflate to about 30 KB: 1,000 to 1, honestly declared, under the 512 MB limit.
    const message = refusal('book.epub', epub({ 'OEBPS/ch1.xhtml': new Uint8Array(30 * MB) }));
    expect(message).toMatch(
      /^That EPUB holds a file that claims to unpack from 0\.1 MB to 30 MB, as zip bombs do; it is not read\.$/,
    );
  });

  it.each(readdirSync(FORMATS_DIR).filter((f) => f.endsWith('.epub')))('accepts the real EPUB %s', (file) => {
    expect(checkUpload(file, readFileSync(path.join(FORMATS_DIR, file)), LIMITS)).toEqual({
      fileName: file,
      extension: '.epub',
    });
  });

  it('takes an EPUB by its content whatever its name', () => {
    const book = readFileSync(path.join(FORMATS_DIR, 'orchard-epub3.epub'));
    expect(checkUpload('orchard.zip', book, LIMITS)).toEqual({ fileName: 'orchard.epub', extension: '.epub' });
  });
});

describe('checkUpload: text', () => {
  it('refuses an empty file and one of white space only', () => {
    expect(refusal('empty.txt', new Uint8Array(0))).toBe('That file is empty.');
    expect(refusal('blank.txt', utf8(' \n\t\r\n  \u00a0'))).toBe('That file is empty.');
    expect(refusal('bom.md', utf8('\ufeff\n\n'))).toBe('That file is empty.');
  });

  it.each([
    ['Latin-1', Uint8Array.from(Buffer.from('Les Misérables, café crème\n', 'latin1'))],
    ['UTF-16 LE with BOM', Uint8Array.from(Buffer.from('\ufeffCall me Ishmael.\n', 'utf16le'))],
    ['UTF-16 BE with BOM', Uint8Array.from(Buffer.from('\ufeffCall me Ishmael.\n', 'utf16le').swap16())],
    ['UTF-16 LE without BOM', Uint8Array.from(Buffer.from('Call me Ishmael. Some years ago.\n', 'utf16le'))],
  ])('refuses %s text', (_kind, data) => {
    expect(refusal('book.txt', data)).toBe('That file is not UTF-8 text; save it as UTF-8 and try again.');
  });

  it('refuses text with NUL bytes as binary', () => {
    expect(refusal('book.txt', utf8('Call me\u0000 Ishmael.'))).toBe(
      'That file is named .txt but is not text (it holds binary data); Lectern reads plain text, Markdown, HTML and EPUB.',
    );
  });

  it.each([
    ['moby.txt', 'Call me Ishmael.\n', 'moby.txt', '.txt'],
    ['moby.TEXT', 'Call me Ishmael.\n', 'moby.txt', '.txt'],
    ['notes.md', '# Chapter 1\n\nCall me Ishmael.\n', 'notes.md', '.md'],
    ['notes.markdown', '# Chapter 1\n', 'notes.md', '.md'],
    ['page.htm', '<p>Call me Ishmael.</p>', 'page.html', '.html'],
    ['page.html', '<!DOCTYPE html><html><body><p>Call me Ishmael.</p></body></html>', 'page.html', '.html'],
    ['with-bom.txt', '\ufeffCall me Ishmael.\n', 'with-bom.txt', '.txt'],
    // No extension, or one Lectern does not know: the content decides.
    ['README', 'Call me Ishmael.\n', 'README.txt', '.txt'],
    ['saved-page', '\n  <!doctype html>\n<html lang="en"><p>Call me Ishmael.</p>', 'saved-page.html', '.html'],
    ['chapter.xyz', '<html>\n<body>Call me Ishmael.</body></html>', 'chapter.html', '.html'],
    ['notes.backup', 'Call me Ishmael. <b>not html</b>\n', 'notes.txt', '.txt'],
    // A .pdf that is really text is text.
    ['mislabelled.pdf', 'Call me Ishmael.\n', 'mislabelled.txt', '.txt'],
  ])('%s is stored as %s', (name, text, fileName, extension) => {
    expect(checkUpload(name, utf8(text), LIMITS)).toEqual({ fileName, extension });
  });
});

describe('checkUpload: stored names', () => {
  const text = utf8('Call me Ishmael.\n');
  it.each([
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['C:\\Users\\me\\Moby Dick.txt', 'Moby-Dick.txt'],
    ['.hidden.md', 'hidden.md'],
    ['...txt', 'book.txt'],
    ['Les Misérables (1862).TXT', 'Les-Miserables-1862.txt'],
    ['Ｆｕｌｌｗｉｄｔｈ.txt', 'Fullwidth.txt'],
    ['战争与和平.txt', 'book.txt'],
    ['a..b....c.txt', 'a.b.c.txt'],
    [`${'x'.repeat(200)}.txt`, `${'x'.repeat(76)}.txt`],
  ])('%j → %j', (name, stored) => {
    expect(checkUpload(name, text, LIMITS).fileName).toBe(stored);
  });

  it('is always a plain name of safe characters, at most 80 long', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (name) => {
        const stored = checkUpload(name, text, LIMITS).fileName;
        expect(stored).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*\.(txt|html|md)$/);
        expect(stored.length).toBeLessThanOrEqual(80);
        expect(stored).not.toContain('..');
      }),
    );
  });
});

describe('zip entries are held to their declared sizes', () => {
  // 64 MB of zeros in about 64 KB, declared as 1,000 bytes (built once: deflating it takes ~0.7 s).
  let built: Uint8Array | undefined;
  const lying = () =>
    (built ??= declareSize(epub({ 'OEBPS/ch1.xhtml': new Uint8Array(64 * MB) }), 'OEBPS/ch1.xhtml', 1000));

  it('lists names and sizes without inflating', () => {
    const entries = zipEntries(lying());
    expect(entries.map((e) => [e.name, e.declaredSize])).toEqual([
      ['mimetype', 20],
      ['META-INF/container.xml', CONTAINER.length],
      ['OEBPS/ch1.xhtml', 1000],
    ]);
  });

  it('stops inflating an entry that unpacks past its declared size', () => {
    const zip = lying();
    const entry = zipEntries(zip).find((e) => e.name === 'OEBPS/ch1.xhtml')!;
    expect(() => readZipEntry(zip, entry)).toThrow(ZipError);
    expect(() => readZipEntry(zip, entry)).toThrow('unpacks to more than the 1000 bytes the zip declares');
  });

  it('makes the EPUB reader refuse the book as damaged rather than read a cut chapter', () => {
    expect(() => parseDocument('lying.epub', lying())).toThrow(CorpusError);
    expect(() => parseDocument('lying.epub', lying())).toThrow(
      'lying.epub is not a readable EPUB (the zip archive is damaged)',
    );
  });
});
