import { Writable } from 'node:stream';

/**
 * A Writable that cuts a stream of unknown length (a database dump) into chunks of at most
 * `size` bytes, handing each to `sendChunk` before accepting more — so a dump can go into a tar
 * archive (which needs each entry's size up front) with one chunk of memory and no temp file.
 * At least one chunk is emitted, even for an empty dump.
 */
export class DumpChunks extends Writable {
  chunks = 0;
  private readonly buf: Buffer;
  private pos = 0;

  constructor(
    private readonly sendChunk: (content: Buffer, index: number) => Promise<void>,
    size: number,
  ) {
    super({ highWaterMark: 256 * 1024 });
    this.buf = Buffer.allocUnsafe(size);
  }

  private async push(data: Buffer): Promise<void> {
    let off = 0;
    while (off < data.length) {
      const n = Math.min(data.length - off, this.buf.length - this.pos);
      data.copy(this.buf, this.pos, off, off + n);
      this.pos += n;
      off += n;
      if (this.pos === this.buf.length) await this.flushChunk();
    }
  }

  private async flushChunk(): Promise<void> {
    const content = this.buf.subarray(0, this.pos);
    this.pos = 0;
    await this.sendChunk(content, ++this.chunks);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.push(chunk).then(() => cb(), cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    (this.pos > 0 || this.chunks === 0 ? this.flushChunk() : Promise.resolve()).then(() => cb(), cb);
  }
}
