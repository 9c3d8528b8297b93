import fs from 'node:fs';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { errors } from '../../../sdk/errors.js';
import { pausepoint } from '../../../sdk/failpoint.js';
import { exactTarFields } from '../../../sdk/tar-values.js';
import { parseEntryPath } from '../paths.js';
import { closeFd, type Dir, using } from '../sandbox/fd.js';
import { freeBytes, measureEntry } from '../sandbox/measure.js';
import { lstatAt, openDir, openRegular, walk, withHome } from '../sandbox/walk.js';
import { fillFrom } from '../sandbox/fill.js';
import { placeFile } from '../sandbox/write.js';
import type { ExtractContext } from './extract.js';

/** Our own temp and staging names, never archived (one may be the archive being written). */
const INTERNAL = /^\.vp-(part|copy|extract)-/;

type Pack = ReturnType<typeof tar.pack>;

/** Append one file's content from its checked fd; the entry fails if the size changed meanwhile. */
function addFile(
  pack: Pack,
  header: Omit<tar.Header, 'size' | 'type' | 'linkname' | 'uname' | 'gname' | 'devmajor' | 'devminor'>,
  fd: number,
  size: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    if (size === 0) {
      void closeFd(fd);
      return void pack.entry({ ...header, size }, Buffer.alloc(0), done);
    }
    const input = fs.createReadStream('', { fd, start: 0, end: size - 1, highWaterMark: 1024 * 1024 });
    const entry = pack.entry({ ...header, size }, (err) => {
      if (err) input.destroy();
      done(err);
    });
    input.on('error', (e) => entry.destroy(e));
    input.pipe(entry as unknown as NodeJS.WritableStream);
  });
}

/** Walks a selection into the pack, counting what it added and skipped. */
function packer(ctx: ExtractContext, pack: Pack, total: number) {
  const done = { files: 0, folders: 0, skipped_links: 0, bytes: 0 };
  async function add(dir: Dir, name: string, member: string): Promise<void> {
    if (ctx.signal?.aborted) throw errors.conflict('Compression cancelled');
    const st = await lstatAt(dir, name);
    if (!st || INTERNAL.test(name)) return;
    // Members are owned by root: extraction makes everything the account's own.
    const exact = (type: 'file' | 'directory', s: fs.Stats) =>
      exactTarFields({ type, mode: s.mode & 0o777, uid: 0, gid: 0, mtime: s.mtimeMs / 1000 });
    if (st.isSymbolicLink()) {
      done.skipped_links++;
    } else if (st.isDirectory()) {
      pack.entry({ name: member, type: 'directory', ...exact('directory', st) });
      done.folders++;
      await using(await openDir(dir, name), async (sub) => {
        for (const child of (await fs.promises.readdir(sub.path)).sort()) await add(sub, child, `${member}/${child}`);
      });
    } else {
      const file = await openRegular(dir, name, ctx); // re-checked at use: type, links, hard links
      await addFile(pack, { name: member, ...exact('file', file.st) }, file.fd, file.st.size);
      done.files++;
      done.bytes += file.st.size;
      ctx.progress?.(total ? Math.min(99, (done.bytes / total) * 100) : 50, member);
      await pausepoint('files.compress.packed-file'); // UI tests hold a compress job here, part-way
    }
  }
  return { add, done };
}

/**
 * `POST /api/files/compress`: pack a selection into a new `.tar.gz` inside the home. Members are
 * named from each selected item's own name. Symlinks are skipped, special files and foreign hard
 * links refuse the whole archive before anything is written.
 */
export async function compressPaths(
  ctx: ExtractContext,
  args: { paths: string[]; destination: string; quota: number | null; used?: number | null },
) {
  const dest = parseEntryPath(args.destination, 'destination');
  if (!/\.(tar\.gz|tgz)$/i.test(dest.name)) throw errors.validation('destination: must end with .tar.gz or .tgz');
  const sources = args.paths.map((p) => parseEntryPath(p, 'paths'));
  const names = new Set<string>();
  for (const s of sources) {
    if (names.has(s.name)) throw errors.validation(`paths: two selected items are both named '${s.name}'`);
    names.add(s.name);
  }
  return withHome(ctx, async (home) => {
    await using(await walk(home, dest.parent.parts), async (d) => {
      if (await lstatAt(d, dest.name)) throw errors.conflict(`'${dest.text}' already exists`);
    });
    let total = 0;
    for (const s of sources) {
      const size = await using(await walk(home, s.parent.parts), async (d) => {
        if (!(await lstatAt(d, s.name))) throw errors.notFound(`'${s.text}' does not exist`);
        return measureEntry(d, s.name, ctx, true);
      });
      total += size.bytes;
    }
    const free = await freeBytes(ctx, args.quota, args.used);
    const pack = tar.pack();
    const gzip = zlib.createGzip({ chunkSize: 256 * 1024 });
    pack.on('error', (e: Error) => gzip.destroy(e));
    pack.pipe(gzip as unknown as NodeJS.WritableStream);
    const p = packer(ctx, pack, total);
    const produce = (async () => {
      for (const s of sources) await using(await walk(home, s.parent.parts), (d) => p.add(d, s.name, s.name));
      pack.finalize();
    })().catch((e: Error) => {
      gzip.destroy(e);
      throw e;
    });
    const placing = using(await walk(home, dest.parent.parts), (d) =>
      placeFile(d, dest.name, { overwrite: false, free }, fillFrom(gzip)),
    ).catch((e: Error) => {
      pack.destroy(e);
      throw e;
    });
    const [placed, produced] = await Promise.allSettled([placing, produce]);
    if (placed.status === 'rejected') throw placed.reason;
    if (produced.status === 'rejected') throw produced.reason;
    const size = placed.value;
    ctx.progress?.(100, 'compressed');
    return { path: dest.text, size, ...p.done };
  });
}
