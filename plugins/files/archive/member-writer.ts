import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { errors } from '../../../sdk/errors.js';
import { setModeAt, setTimesAt } from '../sandbox/copy.js';
import { closeFd, type Dir, fsError, O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY, openFd } from '../sandbox/fd.js';
import { inBlocks } from '../sandbox/measure.js';
import { lstatAt, openDir, walk } from '../sandbox/walk.js';
import { quotaExceeded } from '../sandbox/fill.js';
import type { ExtractContext } from './extract.js';
import type { SafeMember } from './policy.js';

const futimes = promisify(fs.futimes);

/**
 * Creates members below a staging folder, reusing the last parent folder opened. Files get their
 * archived modification time as they are closed; folders once all members are in (every member
 * written inside a folder changes its time).
 */
export function memberWriter(
  ctx: ExtractContext,
  staging: Dir,
  limit: { cap: number; block: number },
  total: number,
  rel: string,
) {
  let written = 0;
  let charged = 0; // disk blocks of the files written so far (an archive may understate sizes)
  let last: { key: string; dir: Dir } | null = null;
  const folderTimes = new Map<string, { parts: string[]; mtime: number }>();
  async function folder(parts: string[]): Promise<Dir> {
    const key = parts.join('/');
    if (last?.key === key) return last.dir;
    let dir = await walk(staging, []);
    for (const name of parts) {
      await fs.promises.mkdir(dir.at(name), 0o755).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw fsError(e, name);
      });
      const next = await openDir(dir, name).finally(() => dir.close());
      dir = next;
    }
    await last?.dir.close();
    last = { key, dir };
    return dir;
  }
  return {
    async write(m: SafeMember, body: () => Promise<NodeJS.ReadableStream>): Promise<void> {
      if (ctx.signal?.aborted) throw errors.conflict('Extraction cancelled');
      const name = m.parts[m.parts.length - 1]!;
      const dir = await folder(m.parts.slice(0, -1));
      if (m.kind === 'directory') {
        await fs.promises.mkdir(dir.at(name), m.mode | 0o700).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw fsError(e, name);
        });
        const key = m.parts.join('/');
        folderTimes.delete(key); // a later duplicate member wins, and is set after its contents
        if (m.mtime !== null) folderTimes.set(key, { parts: m.parts, mtime: m.mtime });
        return setModeAt(dir, name, m.mode | 0o700);
      }
      const existing = await lstatAt(dir, name);
      if (existing?.isFile()) await fs.promises.unlink(dir.at(name)); // a later duplicate member wins, as in tar
      const fd = await openFd(dir.at(name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, m.mode).catch((e) => {
        throw fsError(e, m.parts.join('/'));
      });
      let mine = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          written += chunk.length;
          mine += chunk.length;
          const need = charged + inBlocks(mine, limit.block);
          if (need > limit.cap) return done(quotaExceeded(rel, need, limit.cap));
          done(null, chunk);
        },
      });
      try {
        const out = fs.createWriteStream('', { fd, highWaterMark: 1024 * 1024, autoClose: false });
        await pipeline(await body(), counter, out);
        if (m.mtime !== null) await futimes(fd, new Date(), new Date(m.mtime * 1000)); // a Date: Node takes a negative number for now
      } finally {
        await closeFd(fd);
      }
      charged += inBlocks(mine, limit.block);
      ctx.progress?.(total ? Math.min(99, (written / total) * 100) : 50, m.parts.join('/'));
    },
    /** Once every member is written: the folders' archived times. */
    async finish(): Promise<void> {
      for (const { parts, mtime } of folderTimes.values())
        await setTimesAt(await folder(parts.slice(0, -1)), parts.at(-1)!, mtime);
    },
    async close(): Promise<void> {
      await last?.dir.close();
      last = null;
    },
  };
}
