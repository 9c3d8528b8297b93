import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { errors, isPanelError } from '../../../sdk/errors.js';
import { tarEntryValues } from '../../../sdk/tar-values.js';
import { closeFd, readFd } from '../sandbox/fd.js';
import type { ExtractBudget } from './inflation.js';
import { shown, type MemberHeader } from './policy.js';

/** Archive formats the file manager extracts. */
export type ArchiveFormat = 'tar.gz' | 'zip';

/** Called per member; `body` opens its content (tar: already streaming, must be read or left). */
export type MemberVisitor = (h: MemberHeader, body: () => Promise<Readable>) => Promise<void>;

/** Decide the format from the name and confirm it from the first bytes. */
export async function formatOf(fd: number, name: string, rel: string): Promise<ArchiveFormat> {
  const byName = /\.(tar\.gz|tgz)$/i.test(name) ? 'tar.gz' : /\.zip$/i.test(name) ? 'zip' : null;
  if (!byName) throw errors.unsupportedMediaType(`'${rel}' is not a .tar.gz, .tgz or .zip archive`);
  const head = Buffer.alloc(4);
  const n = await readFd(fd, head, 0, 4, 0);
  const gzip = n >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const zip = n >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
  if ((byName === 'tar.gz' && !gzip) || (byName === 'zip' && !zip))
    throw errors.validation(`archive: '${rel}' is not really a ${byName} file`);
  return byName;
}

function damaged(e: unknown): Error {
  if (isPanelError(e)) return e;
  const message = (e as Error)?.message ?? '';
  // yauzl's own name checks (`..`, absolute, backslash) arrive as errors; say what they are.
  if (/^(invalid relative path|absolute path|invalid characters in fileName)/.test(message))
    return errors.validation(`archive member refused: ${shown(message)}`);
  return errors.validation(`archive: is damaged or unreadable (${shown((e as Error)?.message ?? String(e))})`);
}

/**
 * Visit every member of a gzip-compressed tar. Takes ownership of `fd`. The decompressed bytes
 * pass the budget's counter first, so a bomb fails where it passes the bound, whatever its
 * headers say.
 */
async function eachTarMember(fd: number, visit: MemberVisitor, budget: ExtractBudget): Promise<void> {
  const extract = tar.extract();
  const source = fs.createReadStream('', { fd, start: 0, highWaterMark: 1024 * 1024 });
  let members = 0;
  const feeding = pipeline(
    source,
    zlib.createGunzip(),
    budget.tarCounter(() => members),
    extract,
  );
  let visitorFailed = false;
  try {
    for await (const entry of extract) {
      members++;
      const h = entry.header;
      const { mode, mtime } = tarEntryValues(h); // with pax mtime, which tar-stream leaves unapplied
      visitorFailed = true;
      await visit(
        { name: h.name, type: h.type ?? 'file', mode, size: h.size ?? 0, mtime },
        async () => entry as unknown as Readable,
      );
      visitorFailed = false;
      entry.resume();
    }
    await feeding;
  } catch (e) {
    source.destroy();
    await feeding.catch(() => undefined);
    throw budget.refusal ?? (visitorFailed ? e : damaged(e));
  }
}

const ZIP_TYPES: Record<number, string> = {
  0o120000: 'symlink',
  0o040000: 'directory',
  0o100000: 'file',
  0o020000: 'character-device',
  0o060000: 'block-device',
  0o010000: 'fifo',
  0o140000: 'socket',
};

function zipHeader(entry: yauzl.Entry): MemberHeader {
  const unix = entry.versionMadeBy >> 8 === 3 ? (entry.externalFileAttributes >>> 16) & 0xffff : 0;
  const dir = entry.fileName.endsWith('/');
  const type = (unix & 0o170000) === 0 ? (dir ? 'directory' : 'file') : (ZIP_TYPES[unix & 0o170000] ?? 'unknown');
  if (entry.isEncrypted()) throw errors.validation(`archive member '${shown(entry.fileName)}' is encrypted`);
  return { name: entry.fileName, type, mode: unix ? unix & 0o7777 : dir ? 0o755 : 0o644, size: entry.uncompressedSize };
}

/** A zip member's body through the budget's counter; yauzl's complaints about it reported as damage. */
function counted(body: Readable, budget: ExtractBudget): Readable {
  const counter = budget.zipCounter();
  body.on('error', (e) => counter.destroy(damaged(e)));
  counter.on('close', () => body.destroy());
  return body.pipe(counter);
}

/**
 * Visit every member of a zip from its central directory. Takes ownership of `fd`. Each body
 * passes the budget's counter (yauzl also fails a body longer than its declared size).
 */
async function eachZipMember(fd: number, visit: MemberVisitor, budget: ExtractBudget): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromFd(fd, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (e, z) =>
      e ? reject(e) : resolve(z!),
    ),
  ).catch(async (e) => {
    await closeFd(fd);
    throw damaged(e);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e) => reject(damaged(e)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const open = () =>
          new Promise<Readable>((ok, fail) =>
            zip.openReadStream(entry, (e, s) => (e ? fail(damaged(e)) : ok(counted(s!, budget)))),
          );
        Promise.resolve()
          .then(() => visit(zipHeader(entry), open))
          .then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** Visit every member of an archive in order, within the budget. Takes ownership of `fd`. */
export function eachMember(
  fd: number,
  format: ArchiveFormat,
  visit: MemberVisitor,
  budget: ExtractBudget,
): Promise<void> {
  return format === 'zip' ? eachZipMember(fd, visit, budget) : eachTarMember(fd, visit, budget);
}
