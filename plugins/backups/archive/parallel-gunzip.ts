import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { memberSizes, SIZED_HEADER } from './gzip-members.js';
import { MemberInflater } from './member-inflater.js';
import { ArchiveError } from './tar-decode.js';

/** Input buffers are at least this big (a 1 MiB member that did not compress), so they can be reused. */
const TYPICAL_MEMBER = 1024 * 1024 + 8 * 1024;
const truncated = () => new ArchiveError('the archive ends inside a gzip member (truncated)');

/** Reads chunks off a stream, keeping what was read but not used. */
class Chunks {
  rest: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }
  async next(): Promise<Buffer | null> {
    const r = await this.it.next();
    return r.done ? null : Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
  }
  /** Make `rest` at least `n` bytes long; false at the end of the stream. */
  async fill(n: number): Promise<boolean> {
    while (this.rest.length < n) {
      const c = await this.next();
      if (!c) return false;
      this.rest = this.rest.length ? Buffer.concat([this.rest, c]) : c;
    }
    return true;
  }
}

/** Cut the stream into members by their declared sizes and hand each to the pool, copied once into its own buffer. */
async function feed(chunks: Chunks, pool: MemberInflater): Promise<void> {
  for (;;) {
    if (!(await chunks.fill(1))) return;
    if (!(await chunks.fill(SIZED_HEADER))) throw truncated();
    const sizes = memberSizes(chunks.rest);
    if (!sizes)
      throw new ArchiveError(
        'a gzip member without its sizes follows members with them (the archive was altered or corrupted)',
      );
    const reused = pool.free.pop();
    const buf =
      reused && reused.byteLength >= sizes.length ? reused : new ArrayBuffer(Math.max(sizes.length, TYPICAL_MEMBER));
    const member = new Uint8Array(buf, 0, sizes.length);
    let filled = Math.min(chunks.rest.length, sizes.length);
    member.set(chunks.rest.subarray(0, filled));
    chunks.rest = chunks.rest.subarray(filled);
    while (filled < sizes.length) {
      const c = await chunks.next();
      if (!c) throw truncated();
      const k = Math.min(c.length, sizes.length - filled);
      member.set(c.subarray(0, k), filled);
      filled += k;
      chunks.rest = c.subarray(k);
    }
    await pool.submit(buf, sizes.length, sizes.size);
  }
}

/** The first `n` bytes of a stream, put back to be read again; fewer (not put back) when it ends first. */
async function peek(source: Readable, n: number): Promise<{ head: Buffer; ended: boolean }> {
  const got: Buffer[] = [];
  let have = 0;
  while (have < n && !source.readableEnded && !source.destroyed) {
    const c = source.read() as Buffer | null;
    if (c) {
      got.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
      have += c.length;
      continue;
    }
    const more = await new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => () => {
        source.off('readable', onReadable).off('end', onEnd).off('error', onEnd).off('close', onEnd);
        resolve(ok);
      };
      const onReadable = done(true);
      const onEnd = done(false);
      source.once('readable', onReadable).once('end', onEnd).once('error', onEnd).once('close', onEnd);
    });
    if (!more) break;
  }
  if (source.errored) throw source.errored;
  const head = Buffer.concat(got);
  if (have < n) return { head, ended: true };
  source.unshift(head);
  return { head, ended: false };
}

/** One zlib stream over the whole archive (on the thread pool): archives without member sizes (or all of it in `whole`). */
async function* sequential(source: Readable, whole: Buffer | null): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  if (whole) {
    gunzip.end(whole);
  } else {
    source.on('error', (e) => gunzip.destroy(e));
    source.pipe(gunzip);
  }
  try {
    yield* gunzip;
  } finally {
    gunzip.destroy();
  }
}

/**
 * Inflate a backup archive. Members written by this panel carry their sizes, so they are cut
 * apart as read and inflated on `threads` threads of libuv's pool at once, in order, at most two
 * per thread ahead of the reader (memory stays a few members whatever the archive); anything
 * else goes through one zlib stream. Stopping early (the reader failed) ends the source.
 */
export async function* inflateArchive(source: Readable, threads: number): AsyncGenerator<Buffer> {
  try {
    const { head, ended } = await peek(source, SIZED_HEADER);
    if (ended || !memberSizes(head)) {
      yield* sequential(source, ended ? head : null);
      return;
    }
    const chunks = new Chunks(source);
    const pool = new MemberInflater(threads);
    feed(chunks, pool).then(
      () => pool.finish(),
      (e: Error) => pool.destroy(e),
    );
    try {
      yield* pool.results();
    } finally {
      pool.destroy(new Error('inflating stopped'));
    }
  } finally {
    source.destroy();
  }
}
