import { createGunzip } from 'node:zlib';
import { MemberPool } from './member-pool.js';
import { ArchiveError } from './tar-decode.js';

const MAX_MEMBER = 32 * 1024 * 1024;
const REUSABLE = 1280 * 1024;

/** Bytes received but not yet consumed, kept as the chunks they came in. */
class Pending {
  chunks: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
  }

  /** Copy the first `n` bytes into `into` and drop them. */
  take(n: number, into: Buffer): void {
    let pos = 0;
    while (pos < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - pos);
      c.copy(into, pos, 0, k);
      pos += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.length -= n;
  }

  peek(n: number): Buffer {
    const out = Buffer.alloc(n);
    let pos = 0;
    for (const c of this.chunks) {
      if (pos >= n) break;
      pos += c.copy(out, pos, 0, Math.min(c.length, n - pos));
    }
    return out;
  }
}

/** Length of a member from its `VP` extra subfield (written by our workers), or null when it has none. */
function indexedLength(head: Buffer): number | null {
  if (!(head[3]! & 4)) return null;
  const xlen = head.readUInt16LE(10);
  for (let p = 12; p + 4 <= 12 + xlen; ) {
    const len = head.readUInt16LE(p + 2);
    if (head[p] === 0x56 && head[p + 1] === 0x50 && len === 4) return head.readUInt32LE(p + 4);
    p += 4 + len;
  }
  return null;
}

/**
 * gunzip on every core: members that carry their length (ours) are cut out of the stream
 * without inflating and inflated in parallel, in order; from the first member without a length
 * (an archive made elsewhere) the rest is inflated by one plain gunzip. Every member's CRC and
 * size are checked by zlib either way.
 */
export async function* inflateMembers(source: AsyncIterable<Buffer>, threads: number): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const pending = new Pending();
  const fill = async (n: number): Promise<boolean> => {
    while (pending.length < n) {
      const r = await it.next();
      if (r.done) return false;
      pending.push(Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value));
    }
    return true;
  };
  const pool = new MemberPool('inflate', threads);
  let serialRest = false;
  const producer = (async () => {
    for (let first = true; await fill(1); first = false) {
      if (!(await fill(12))) throw new ArchiveError('the archive ends inside a gzip header (truncated)');
      const start = pending.peek(12);
      if (start[0] !== 0x1f || start[1] !== 0x8b) throw new ArchiveError(first ? 'the archive is not gzip data' : 'data after the last gzip member (corrupted)');
      const xlen = start[3]! & 4 ? start.readUInt16LE(10) : 0;
      if (!(await fill(12 + xlen))) throw new ArchiveError('the archive ends inside a gzip header (truncated)');
      const size = indexedLength(pending.peek(12 + xlen));
      if (size === null) {
        serialRest = true;
        break;
      }
      if (size < 28 || size > MAX_MEMBER) throw new ArchiveError('a gzip member has an impossible length (corrupted)');
      if (!(await fill(size))) throw new ArchiveError('the archive ends inside a gzip member (truncated)');
      // Input buffers come back from the workers: reuse them (members are about 1 MiB each).
      const reuse = pool.free.findIndex((b) => b.byteLength >= size);
      const buf = reuse >= 0 ? pool.free.splice(reuse, 1)[0]! : new ArrayBuffer(Math.max(size, REUSABLE));
      pending.take(size, Buffer.from(buf, 0, size));
      await pool.submit(buf, size);
    }
    pool.finish();
  })();
  producer.catch((e: Error) => pool.destroy(e));
  try {
    for await (const out of pool.results()) yield out;
    await producer;
  } catch (e) {
    throw e instanceof ArchiveError ? e : new ArchiveError(`the archive is not valid gzip data (corrupted): ${(e as Error).message}`);
  } finally {
    // Stopped early (a refusal): release a producer waiting for room, and the source.
    pool.destroy(new Error('inflation stopped'));
    if (!serialRest) await it.return?.();
  }
  if (!serialRest) return;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const feed = (async () => {
    for (const c of pending.chunks) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
    for (let r = await it.next(); !r.done; r = await it.next()) if (!gunzip.write(r.value)) await new Promise((res) => gunzip.once('drain', res));
    gunzip.end();
  })();
  feed.catch((e: Error) => gunzip.destroy(e));
  yield* gunzip;
}
