import { inflateRawSync } from 'node:zlib';

/**
 * Reading a zip archive (an EPUB) without trusting it: the entry list comes from the central
 * directory alone, so names and declared sizes can be judged before anything is inflated, and an
 * entry is inflated into at most the size its directory record declares.
 *
 * Why not fflate's `unzipSync`: it inflates each entry into a buffer of the declared size and never
 * checks that the data ends there. An entry that declares 1,000 bytes but inflates to 1 GB was cut
 * to 1,000 bytes without a word, after 2.3 s of blocked event loop per MB of compressed data
 * (measured: a 1 MB deflate stream of zeros, fflate 0.8.3, Node 20). zlib's `maxOutputLength`
 * stops the same entry in under 1 ms and says so.
 */

/** Largest total the entries of an EPUB may declare; a zip bomb is refused rather than filling memory. */
export const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

/** A damaged or lying archive. Callers turn it into their own one-line message. */
export class ZipError extends Error {
  override name = 'ZipError';
}

/** One file of a zip archive, as its central directory record describes it. */
export interface ZipEntry {
  /** Path inside the archive, exactly as recorded ("OEBPS/ch1.xhtml", or "../evil" in a hostile one). */
  name: string;
  /** 0 stored, 8 deflated; anything else cannot be read. */
  method: number;
  compressedSize: number;
  /** The uncompressed size the archive claims; `readZipEntry` holds it to that. */
  declaredSize: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_RECORD = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** A 32-bit size or offset of 0xFFFFFFFF means "see the zip64 extra field". */
const ZIP64_MARK = 0xffffffff;
/** Flag bit 11: the name is UTF-8; otherwise it is read byte for byte as Latin-1, as fflate did. */
const UTF8_NAME = 0x800;

/** The archive's entries in directory order, read from the central directory; nothing is inflated. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => Number(view.getBigUint64(at, true));
  try {
    // The end-of-directory record sits in the last 22 bytes plus a comment of at most 65,535.
    let end = bytes.length - 22;
    const stop = Math.max(0, bytes.length - 22 - 0xffff);
    while (end >= stop && u32(end) !== END_OF_DIRECTORY) end--;
    if (end < stop) throw new ZipError('no zip directory');
    let count = u16(end + 10);
    let offset = u32(end + 16);
    const zip64 = end >= 20 && u32(end - 20) === ZIP64_LOCATOR;
    if (zip64) {
      const record = u64(end - 12);
      if (u32(record) !== ZIP64_END_OF_DIRECTORY) throw new ZipError('damaged zip64 directory');
      count = u64(record + 32);
      offset = u64(record + 48);
    }
    const entries: ZipEntry[] = [];
    for (let i = 0; i < count; i++) {
      if (u32(offset) !== DIRECTORY_RECORD) throw new ZipError('damaged zip directory');
      const nameLength = u16(offset + 28);
      const extraLength = u16(offset + 30);
      const nameBytes = bytes.subarray(offset + 46, offset + 46 + nameLength);
      if (nameBytes.length !== nameLength) throw new ZipError('damaged zip directory');
      let compressedSize = u32(offset + 20);
      let declaredSize = u32(offset + 24);
      let localHeaderOffset = u32(offset + 42);
      if (zip64 && (compressedSize === ZIP64_MARK || declaredSize === ZIP64_MARK || localHeaderOffset === ZIP64_MARK))
        ({ compressedSize, declaredSize, localHeaderOffset } = zip64Sizes(view, offset + 46 + nameLength, extraLength, {
          compressedSize,
          declaredSize,
          localHeaderOffset,
        }));
      entries.push({
        name:
          u16(offset + 8) & UTF8_NAME
            ? new TextDecoder('utf-8').decode(nameBytes)
            : Buffer.from(nameBytes).toString('latin1'),
        method: u16(offset + 10),
        compressedSize,
        declaredSize,
        localHeaderOffset,
      });
      offset += 46 + nameLength + extraLength + u16(offset + 32);
    }
    return entries;
  } catch (error) {
    // A record pointing past the end of the file makes DataView throw a RangeError: damaged all the same.
    if (error instanceof RangeError) throw new ZipError('damaged zip directory');
    throw error;
  }
}

/** The real sizes and offset from the zip64 extended-information extra field (id 1), in its fixed order. */
function zip64Sizes(
  view: DataView,
  start: number,
  length: number,
  sizes: Pick<ZipEntry, 'compressedSize' | 'declaredSize' | 'localHeaderOffset'>,
): typeof sizes {
  for (let at = start; at + 4 <= start + length; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== 1) continue;
    let field = at + 4;
    const next = () => {
      const value = Number(view.getBigUint64(field, true));
      field += 8;
      return value;
    };
    return {
      declaredSize: sizes.declaredSize === ZIP64_MARK ? next() : sizes.declaredSize,
      compressedSize: sizes.compressedSize === ZIP64_MARK ? next() : sizes.compressedSize,
      localHeaderOffset: sizes.localHeaderOffset === ZIP64_MARK ? next() : sizes.localHeaderOffset,
    };
  }
  return sizes;
}

/**
 * One entry's bytes. A deflated entry is inflated into at most its declared size: one that would
 * inflate to more is a lie (or damage) and throws `ZipError` as soon as zlib passes the size.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length) throw new ZipError(`damaged zip entry ${entry.name}`);
  const header = new DataView(bytes.buffer, bytes.byteOffset + at, 30);
  if (header.getUint32(0, true) !== LOCAL_HEADER) throw new ZipError(`damaged zip entry ${entry.name}`);
  // The local header repeats the name and has its own extra field; the data follows both.
  const start = at + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new ZipError(`damaged zip entry ${entry.name}`);
  if (entry.method === 0) return data.slice();
  if (entry.method !== 8) throw new ZipError(`unknown compression method ${entry.method} for ${entry.name}`);
  let inflated: Buffer;
  try {
    // maxOutputLength must be at least 1; a declared 0 is checked just below.
    inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.declaredSize) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ZipError(`${entry.name} unpacks to more than the ${entry.declaredSize} bytes the zip declares`);
    throw new ZipError(`damaged zip entry ${entry.name}`);
  }
  if (inflated.length > entry.declaredSize)
    throw new ZipError(`${entry.name} unpacks to more than the ${entry.declaredSize} bytes the zip declares`);
  return inflated;
}
