import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Unit hashes are 24 hex characters (src/index/units.ts). */
const HASH_BYTES = 24;

/**
 * Vectors a build has computed, appended to `<indexDir>/.partial-<key>.vectors`
 * chunk by chunk, so a build stopped midway (Ctrl-C, a crash, a kill) is
 * resumed by the next one instead of starting over. `key` names the model and
 * the way units are embedded, so vectors of another setup are never mixed in.
 * A record is the unit hash then the vector (float32, little-endian); a
 * record torn by a kill is ignored. The file is removed once an index is written.
 */
export class VectorCheckpoint {
  private constructor(
    readonly file: string,
    private readonly dimension: number,
    private readonly vectors: Map<string, number[]>,
  ) {}

  static async open(indexDir: string, key: string, dimension: number): Promise<VectorCheckpoint> {
    await mkdir(indexDir, { recursive: true });
    const file = path.join(indexDir, `.partial-${key}.vectors`);
    const vectors = new Map<string, number[]>();
    if (existsSync(file)) {
      const bytes = readFileSync(file);
      const record = HASH_BYTES + dimension * 4;
      for (let at = 0; at + record <= bytes.length; at += record) {
        const hash = bytes.toString('latin1', at, at + HASH_BYTES);
        const vector: number[] = [];
        for (let k = 0; k < dimension; k++) vector.push(bytes.readFloatLE(at + HASH_BYTES + k * 4));
        vectors.set(hash, vector);
      }
    }
    return new VectorCheckpoint(file, dimension, vectors);
  }

  get size(): number {
    return this.vectors.size;
  }

  get(hash: string): number[] | undefined {
    return this.vectors.get(hash);
  }

  /** Appends records (synchronously, so a kill can tear at most the last one). */
  append(records: readonly (readonly [string, ArrayLike<number>])[]): void {
    if (records.length === 0) return;
    const record = HASH_BYTES + this.dimension * 4;
    const buffer = Buffer.alloc(records.length * record);
    records.forEach(([hash, vector], i) => {
      buffer.write(hash, i * record, HASH_BYTES, 'latin1');
      for (let k = 0; k < this.dimension; k++) buffer.writeFloatLE(vector[k]!, i * record + HASH_BYTES + k * 4);
    });
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, buffer);
    } finally {
      closeSync(fd);
    }
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }
}
