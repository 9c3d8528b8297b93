import { MAX_MEMBER_INPUT } from './gzip-members.js';
import { compressing, MemberPool } from './member-pool.js';

/** Settings of {@link ParallelGzip}. */
export interface ParallelGzipOptions {
  /** Worker threads compressing at once (default 2). */
  threads?: number;
  /** zlib level 1–9 (default 6, gzip's default). */
  level?: number;
  /** Bytes of input per gzip member (default 1 MiB; at most 4 MiB, the most a restore inflates per member). */
  chunkSize?: number;
}

/**
 * gzip with every core: the input is cut into fixed-size chunks, each compressed in a worker
 * thread as an independent gzip member; members are emitted in order, and concatenated members
 * are one valid gzip file (RFC 1952) that gunzip, tar and zlib read as a whole. Memory is bounded
 * by the pool's window; `tap` sees every input byte (for checksums).
 */
export class ParallelGzip {
  /** Receives every input byte as it is written. */
  tap: ((bytes: Buffer) => void) | null = null;
  bytesIn = 0;
  bytesOut = 0;
  private readonly chunkSize: number;
  private readonly pool: MemberPool;
  private chunk: Buffer;
  private pos = 0;

  constructor(opts: ParallelGzipOptions = {}) {
    this.chunkSize = Math.min(opts.chunkSize ?? 1024 * 1024, MAX_MEMBER_INPUT);
    this.pool = new MemberPool(opts.threads ?? 2, compressing(opts.level ?? 6));
    this.chunk = this.newChunk();
  }

  private newChunk(): Buffer {
    return Buffer.from(this.pool.free.pop() ?? new ArrayBuffer(this.chunkSize));
  }

  private async flush(): Promise<void> {
    if (this.pos === 0) return;
    const full = this.chunk;
    const len = this.pos;
    this.chunk = this.newChunk();
    this.pos = 0;
    await this.pool.submit(full.buffer as ArrayBuffer, len);
  }

  /** Append bytes (copied into the current chunk). */
  async write(data: Uint8Array): Promise<void> {
    let off = 0;
    while (off < data.length) {
      const n = Math.min(data.length - off, this.chunkSize - this.pos);
      this.chunk.set(data.subarray(off, off + n), this.pos);
      this.tap?.(this.chunk.subarray(this.pos, this.pos + n));
      this.pos += n;
      off += n;
      this.bytesIn += n;
      if (this.pos === this.chunkSize) await this.flush();
    }
  }

  /** No more input: compress the last chunk. */
  async finish(): Promise<void> {
    await this.flush();
    this.pool.finish();
  }

  /** Stop everything; pending and future calls reject with `e`. */
  destroy(e: Error): void {
    this.pool.destroy(e);
  }

  /** Compressed members in order; ends after {@link finish}. */
  async *output(): AsyncGenerator<Buffer> {
    for await (const out of this.pool.results()) {
      this.bytesOut += out.length;
      yield out;
    }
  }
}
