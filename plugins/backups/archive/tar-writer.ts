import { createHash, type Hash } from 'node:crypto';
import { BLOCK, encodeHeader, END_OF_ARCHIVE, padding, type TarHeader } from './tar-header.js';

/** Where tar bytes go: {@link ParallelGzip} or any sink with the same two calls. */
export interface ByteSink {
  tap: ((bytes: Buffer) => void) | null;
  bytesIn: number;
  write(data: Uint8Array): Promise<void>;
  writeFrom(length: number, read: (buf: Buffer, offset: number, length: number) => Promise<number>): Promise<number>;
}

/** Checksum and size of one part (the home tree, one database dump) over its exact tar bytes or content. */
export class PartDigest {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  update(b: Buffer): void {
    this.hash.update(b);
    this.bytes += b.length;
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

const RECORD = BLOCK * 20;
const ZEROS = Buffer.alloc(RECORD);

/**
 * Writes tar entries into a sink. While a part is open every byte written (headers, data and
 * padding) goes into its digest, so a reader can recompute the part's checksum from the raw
 * archive without trusting any header.
 */
export class TarWriter {
  constructor(private readonly sink: ByteSink) {}

  /** Start hashing every byte into `digest` (null: stop). */
  openPart(digest: PartDigest | null): void {
    this.sink.tap = digest ? (b) => digest.update(b) : null;
  }

  /** A directory, a symlink, or a file with its content in memory. */
  async add(h: TarHeader, content?: Uint8Array): Promise<void> {
    await this.sink.write(encodeHeader(h));
    if (h.type !== 'file') return;
    if (content) await this.sink.write(content);
    await this.pad(h.size);
  }

  /**
   * A file read straight into the sink. A file that shrank since its size was taken is padded
   * with zeros (as GNU tar does); one that grew is cut at the size in its header.
   */
  async addStreamed(
    h: TarHeader,
    read: (buf: Buffer, offset: number, length: number) => Promise<number>,
  ): Promise<{ short: number }> {
    await this.sink.write(encodeHeader(h));
    const got = await this.sink.writeFrom(h.size, read);
    let short = h.size - got;
    while (short > 0) {
      const n = Math.min(short, RECORD);
      await this.sink.write(ZEROS.subarray(0, n));
      short -= n;
    }
    await this.pad(h.size);
    return { short: h.size - got };
  }

  private async pad(size: number): Promise<void> {
    const p = padding(size);
    if (p) await this.sink.write(ZEROS.subarray(0, p));
  }

  /** End-of-archive marker, padded to a whole 10 KiB record like GNU tar. */
  async end(): Promise<void> {
    this.openPart(null);
    await this.sink.write(END_OF_ARCHIVE);
    const rest = (RECORD - (this.sink.bytesIn % RECORD)) % RECORD;
    if (rest) await this.sink.write(ZEROS.subarray(0, rest));
  }
}
