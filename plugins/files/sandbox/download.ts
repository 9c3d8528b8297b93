import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseEntryPath } from '../paths.js';
import { parseRange, type ByteRange } from '../range.js';
import { closeFd, using } from './fd.js';
import { openRegular, walk, withHome, type HomeContext } from './walk.js';

/** What the HTTP side needs to answer before the bytes flow. */
export interface DownloadMeta extends ByteRange {
  name: string;
  size: number;
  modified: string;
}

/**
 * Stream a file (or one range of it) from the checked fd. `open` receives the headers' data and
 * returns where to write the body, or null when no body is sent (HEAD, 416).
 */
export async function sendFile(ctx: HomeContext, args: { path: string; range: string | null }, open: (meta: DownloadMeta) => Promise<Writable | null>) {
  const p = parseEntryPath(args.path);
  return withHome(ctx, async (home) => using(await walk(home, p.parent.parts), async (dir) => {
    const { fd, st } = await openRegular(dir, p.name, ctx);
    let owned = true;
    try {
      const range = parseRange(args.range, st.size);
      const meta: DownloadMeta = { ...range, name: p.name, size: st.size, modified: st.mtime.toUTCString() };
      const out = await open(meta);
      if (!out || range.status === 416 || range.end < range.start) return { path: p.text, sent: 0 };
      owned = false; // the read stream closes the fd
      const input = fs.createReadStream('', { fd, start: range.start, end: range.end, highWaterMark: 1024 * 1024 });
      await pipeline(input, out);
      return { path: p.text, sent: range.end - range.start + 1 };
    } finally {
      if (owned) await closeFd(fd);
    }
  }));
}
