/**
 * Reading stored vectors back from the HNSW file, without asking hnswlib.
 *
 * Answering needs the vectors of units that BM25 found and HNSW did not (to
 * give them a dense score) and of a top passage's sentences (to choose the
 * quote): about 170 per answer on a 3 MB library. hnswlib-node's getPoint
 * copies a vector into a JavaScript array number by number, 44 µs each, so
 * those reads took 7.5 ms of a 20 ms answer. The same vectors lie in the
 * index file at fixed offsets; read there, with the file in the page cache,
 * they cost a few microseconds each and no memory of their own.
 *
 * hnswlib's file (hnswalg.h, saveIndex): a 96-byte header, then one record of
 * `sizeDataPerElement` bytes per element in insertion order, each holding the
 * element's links, its vector at `offsetData` and its label (8 bytes) at
 * `labelOffset`.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Bytes of hnswlib's header: six size_t, two 32-bit ints, four size_t and a double, then ef_construction. */
export const HNSW_HEADER_BYTES = 96;

/** What the header says about the records. */
export interface HnswLayout {
  count: number;
  sizeDataPerElement: number;
  labelOffset: number;
  offsetData: number;
}

/** Reads the layout from the first 96 bytes of an hnswlib file. */
export function hnswLayout(header: Buffer): HnswLayout {
  return {
    count: Number(header.readBigUInt64LE(16)),
    sizeDataPerElement: Number(header.readBigUInt64LE(24)),
    labelOffset: Number(header.readBigUInt64LE(32)),
    offsetData: Number(header.readBigUInt64LE(40)),
  };
}

/**
 * Collects, from an hnswlib file read as a stream of chunks, the byte offset of
 * each label's vector: feed it every chunk in order, then call {@link offsets}.
 */
export class VectorOffsets {
  private layout?: HnswLayout;
  private head = Buffer.alloc(0);
  private position = 0;
  /** Label bytes of the element being read across a chunk boundary. */
  private partial = Buffer.alloc(8);
  private partialFilled = 0;
  private element = 0;
  private byLabel = new Map<number, number>();

  /** The file's first 96 bytes, once read. */
  get header(): Buffer {
    return this.head;
  }

  feed(chunk: Buffer): void {
    const start = this.position;
    this.position += chunk.length;
    if (this.head.length < HNSW_HEADER_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HNSW_HEADER_BYTES - this.head.length)]);
      if (this.head.length < HNSW_HEADER_BYTES) return;
      this.layout = hnswLayout(this.head);
    }
    const layout = this.layout!;
    while (this.element < layout.count) {
      const recordStart = HNSW_HEADER_BYTES + this.element * layout.sizeDataPerElement;
      const labelStart = recordStart + layout.labelOffset + this.partialFilled;
      const labelEnd = recordStart + layout.labelOffset + 8;
      if (labelStart >= this.position) return;
      const from = Math.max(0, labelStart - start);
      const to = Math.min(chunk.length, labelEnd - start);
      chunk.copy(this.partial, this.partialFilled, from, to);
      this.partialFilled += to - from;
      if (this.partialFilled < 8) return;
      this.byLabel.set(Number(this.partial.readBigUInt64LE(0)), recordStart + layout.offsetData);
      this.partialFilled = 0;
      this.element++;
    }
  }

  /** Byte offset of each label's vector; undefined when the stream ended before every record. */
  offsets(): Map<number, number> | undefined {
    return this.layout && this.element === this.layout.count ? this.byLabel : undefined;
  }
}

/**
 * Closes the descriptor of a {@link VectorFile} that was dropped without
 * {@link VectorFile.close} (a test, a one-off load), so none is leaked.
 */
const unclosed = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/**
 * Reads vectors of labels straight from the HNSW file.
 *
 * The file is opened once, when the index is loaded, and held open until
 * {@link close}: an open descriptor keeps reading the same file even after a
 * build in another process has replaced the index and removed the folder
 * (POSIX keeps an unlinked file's data while a descriptor is open). Opening it
 * for each answer, as before, failed every question with ENOENT once
 * `npm run embed` ran beside a running bot (issue 17).
 */
export class VectorFile {
  private fd: number | null;

  constructor(
    file: string,
    private readonly offsetOf: ReadonlyMap<number, number>,
    private readonly dimension: number,
  ) {
    this.fd = openSync(file, 'r');
    unclosed.register(this, this.fd, this);
  }

  /** The vectors of `labels`, in order (one read per vector). */
  read(labels: readonly number[]): Float32Array[] {
    if (labels.length === 0) return [];
    if (this.fd === null) throw new Error('internal: read from a closed vector file');
    const fd = this.fd;
    return labels.map((label) => {
      const offset = this.offsetOf.get(label);
      if (offset === undefined) throw new Error(`internal: no stored vector for unit ${label}`);
      const bytes = Buffer.alloc(this.dimension * 4);
      readSync(fd, bytes, 0, bytes.length, offset);
      return new Float32Array(bytes.buffer, bytes.byteOffset, this.dimension);
    });
  }

  /** Frees the descriptor; call once no answer can still read. */
  close(): void {
    if (this.fd === null) return;
    unclosed.unregister(this);
    closeSync(this.fd);
    this.fd = null;
  }
}
