import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { errors } from '../../../sdk/errors.js';
import { parseEntryPath } from '../paths.js';
import { parseRange, type ByteRange } from '../range.js';
import { closeFd, readFd, using } from './fd.js';
import { openRegular, walk, withHome, type HomeContext } from './walk.js';

/** What the HTTP side needs to answer before the bytes flow. */
export interface DownloadMeta extends ByteRange {
  name: string;
  size: number;
  modified: string;
}

const CHUNK = 256 * 1024;

function writeChunk(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(chunk, (e) => (e ? reject(e) : resolve()));
  });
}

/**
 * Send bytes `start..end` (inclusive) of an open file to `out` through two reused buffers: one
 * is read while the other is being written, and a buffer is read into again only once the write
 * of it has completed. Memory stays at two chunks, with no garbage per chunk (a read stream
 * allocates a fresh buffer per read, which Node frees only at the next full GC). `out` is ended.
 */
export async function streamRange(fd: number, start: number, end: number, out: Writable): Promise<number> {
  const buffers = [Buffer.allocUnsafeSlow(CHUNK), Buffer.allocUnsafeSlow(CHUNK)];
  let position = start;
  let turn = 0;
  let writing: Promise<void> = Promise.resolve();
  // A write callback may never come once the receiver is gone: its close or error ends the wait
  // (the error listener stays, so a late socket error is never an unhandled 'error' event).
  const closed = new Promise<never>((_, reject) => {
    out.once('close', () => reject(errors.conflict('The receiver closed the download')));
    out.on('error', reject);
  });
  closed.catch(() => undefined);
  while (position <= end) {
    const buf = buffers[turn++ & 1]!;
    const n = await readFd(fd, buf, 0, Math.min(CHUNK, end - position + 1), position);
    if (n === 0) throw errors.conflict('The file became shorter while it was being sent');
    position += n;
    const previous = writing;
    writing = writeChunk(out, buf.subarray(0, n));
    writing.catch(() => undefined); // seen by the await below, or moot once the receiver closed
    await Promise.race([previous, closed]);
  }
  await Promise.race([writing, closed]);
  out.end();
  await finished(out);
  return position - start;
}

/**
 * Stream a file (or one range of it) from the checked fd. `open` receives the headers' data and
 * returns where to write the body, or null when no body is sent (HEAD, 416, or in linux mode the
 * panel, which reads the agent's checked fd itself).
 */
export async function sendFile(
  ctx: HomeContext,
  args: { path: string; range: string | null },
  open: (meta: DownloadMeta, fd: number) => Promise<Writable | null>,
) {
  const p = parseEntryPath(args.path);
  return withHome(ctx, async (home) =>
    using(await walk(home, p.parent.parts), async (dir) => {
      const { fd, st } = await openRegular(dir, p.name, ctx);
      try {
        const range = parseRange(args.range, st.size);
        const meta: DownloadMeta = { ...range, name: p.name, size: st.size, modified: st.mtime.toUTCString() };
        const out = await open(meta, fd);
        if (!out || range.status === 416 || range.end < range.start) return { path: p.text, sent: 0 };
        return { path: p.text, sent: await streamRange(fd, range.start, range.end, out) };
      } finally {
        await closeFd(fd);
      }
    }),
  );
}
