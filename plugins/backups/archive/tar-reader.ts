import { ArchiveError, applyPax, decodeHeader, isZeroBlock, parsePax, type RawHeader } from './tar-decode.js';
import { BLOCK, padding } from './tar-header.js';

/** A header as read, with the raw bytes it occupied (pax blocks included) for part checksums. */
export interface TarEntry extends RawHeader {
  raw: Buffer[];
}

const MAX_PAX = 1024 * 1024;
/** Zeros accepted after the end marker: tar pads to its record size (10 KiB by default). */
const MAX_TRAILER = 1024 * 1024;

/**
 * Pull-parser of a tar byte stream. Data is handed out as views of the incoming chunks (no
 * copies); `tap` sees every data and padding byte consumed, so a caller can hash a part exactly
 * as it was written. Refuses to expand beyond `limit` bytes (a compression bomb stops early):
 * at the header of an entry that declares more, else as the inflated bytes pass it.
 */
export class TarReader {
  /** Receives every data and padding byte as it is consumed (set per entry by the caller). */
  tap: ((bytes: Buffer) => void) | null = null;
  /** Uncompressed bytes consumed so far. */
  consumed = 0;
  private readonly chunks: Buffer[] = [];
  private available = 0;
  private readonly source: AsyncIterator<Buffer>;

  constructor(
    source: AsyncIterable<Buffer>,
    private readonly limit: number,
    private readonly limitName = 'limit for this account',
  ) {
    this.source = source[Symbol.asyncIterator]();
  }

  private tooLarge(): ArchiveError {
    return new ArchiveError(
      `the archive expands beyond ${this.limit} bytes (${this.limitName}; possibly a compression bomb)`,
    );
  }

  private async pull(): Promise<boolean> {
    const r = await this.source.next();
    if (r.done) return false;
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    this.consumed += chunk.length;
    if (this.consumed > this.limit) throw this.tooLarge();
    if (chunk.length) {
      this.chunks.push(chunk);
      this.available += chunk.length;
    }
    return true;
  }

  /** Consume exactly `n` bytes (copied only when they span chunks). */
  private async take(n: number): Promise<Buffer> {
    while (this.available < n)
      if (!(await this.pull())) throw new ArchiveError('the archive ends in the middle of an entry (truncated)');
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let pos = 0;
      while (pos < n) {
        const c = this.chunks[0]!;
        const k = Math.min(c.length, n - pos);
        c.copy(out, pos, 0, k);
        pos += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.available -= n;
    return out;
  }

  /** The next entry header, or null at the end-of-archive marker. */
  async next(): Promise<TarEntry | null> {
    const raw: Buffer[] = [];
    let pax: Map<string, string> | null = null;
    for (;;) {
      const block = await this.take(BLOCK);
      if (isZeroBlock(block)) {
        if (raw.length) throw new ArchiveError('a pax header is not followed by an entry');
        return null;
      }
      raw.push(block);
      const h = decodeHeader(block);
      if (h.typeflag === 'x') {
        if (pax) throw new ArchiveError('two pax headers in a row');
        if (h.size > MAX_PAX) throw new ArchiveError('pax extended header too large');
        const data = await this.take(h.size + padding(h.size));
        raw.push(data);
        pax = parsePax(data.subarray(0, h.size));
        continue;
      }
      if (h.typeflag === 'g') throw new ArchiveError('global pax headers are not accepted');
      if (h.typeflag === 'L' || h.typeflag === 'K') throw new ArchiveError('GNU long-name entries are not accepted');
      const entry = { ...(pax ? applyPax(h, pax) : h), raw };
      // Bytes taken so far plus what this entry declares: refused before its data is inflated.
      if (this.consumed - this.available + entry.size > this.limit) throw this.tooLarge();
      return entry;
    }
  }

  /** The entry's data as views of the stream, then its padding; `tap` sees both. */
  async *data(entry: RawHeader): AsyncGenerator<Buffer> {
    let remaining = entry.size;
    while (remaining > 0) {
      if (this.available === 0 && !(await this.pull()))
        throw new ArchiveError(`the archive ends inside ${entry.name} (truncated)`);
      if (this.available === 0) continue;
      const first = this.chunks[0]!;
      const piece = first.length <= remaining ? first : first.subarray(0, remaining);
      if (piece === first) this.chunks.shift();
      else this.chunks[0] = first.subarray(remaining);
      this.available -= piece.length;
      remaining -= piece.length;
      this.tap?.(piece);
      yield piece;
    }
    const pad = padding(entry.size);
    if (pad) {
      const zeros = await this.take(pad);
      this.tap?.(zeros);
    }
  }

  /** Consume an entry's data without looking at it (still tapped). */
  async skip(entry: RawHeader): Promise<void> {
    for await (const _ of this.data(entry)) void _;
  }

  /** After the end marker: whatever follows must be zero padding. */
  async expectEnd(): Promise<void> {
    const end = this.consumed - this.available;
    for (;;) {
      for (const c of this.chunks)
        if (c.some((b) => b !== 0)) throw new ArchiveError('data follows the end of the archive');
      if (this.consumed - end > MAX_TRAILER)
        throw new ArchiveError(
          `more than ${MAX_TRAILER} bytes of zeros follow the end of the archive (possibly a compression bomb)`,
        );
      this.chunks.length = 0;
      this.available = 0;
      if (!(await this.pull())) return;
    }
  }
}
