import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

// A log rotated more than once between two collections sits in a chain beside the live one:
// `<name>.1` (newest), `<name>.2`, … or `<name>-<date>` (newest last by name), the older ones
// often compressed (`.gz`). The collector finds the file it stopped in — by inode, or, once it is
// compressed into a new file, by a fingerprint of its first bytes — and reads every file rotated
// after it. Where it stopped cannot be placed in the chain, it reads none of them: a loss it
// reports rather than a guess that could count lines twice.

/** Bytes hashed from the start of a log to recognise it again after it is compressed. */
export const FP_MAX = 1024;

/** sha256 (hex) of the first `len` bytes of a log, recorded with the position. */
export interface Fingerprint {
  fp: string | null;
  fp_len: number;
}

/** One rotated copy of a log. */
export interface Rotated {
  path: string;
  /** `gz` is read through zlib; `other` (bz2, xz, zst) is not read. */
  compression: 'none' | 'gz' | 'other';
  inode: string | null;
}

const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Fingerprint of the open file `fd` (its first up to {@link FP_MAX} bytes). */
export function fingerprintFd(fd: number): Fingerprint {
  const buf = Buffer.alloc(FP_MAX);
  const n = readSync(fd, buf, 0, FP_MAX, 0);
  return n ? { fp: hash(buf.subarray(0, n)), fp_len: n } : { fp: null, fp_len: 0 };
}

/** Fingerprint of `file` if it is still inode `inode` (else none: it was rotated meanwhile). */
export function fingerprintOf(file: string, inode: string): Fingerprint {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return fstatSync(fd, { bigint: true }).ino.toString() === inode ? fingerprintFd(fd) : { fp: null, fp_len: 0 };
  } finally {
    closeSync(fd);
  }
}

// Opened without following a link (a log is read as root), then streamed through zlib; destroying
// the result (or an error on either side) closes both, and the file.
/** Whether the start of the plain file `file` has this fingerprint (a file shorter than it has not). */
export function plainStartsWith(file: string, f: Fingerprint): boolean {
  if (!f.fp || !f.fp_len) return false;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    const buf = Buffer.alloc(f.fp_len);
    return readSync(fd, buf, 0, f.fp_len, 0) === f.fp_len && hash(buf) === f.fp;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether `file` (inode `ino`) is the file a position was stored in: the same inode, and — when
 * the position has a fingerprint — the same start (a freed inode is soon given to a new file, and
 * a log truncated in place starts anew).
 */
export function sameFile(file: string, ino: string | null, stored: { inode: string } & Partial<Fingerprint>): boolean {
  if (ino !== stored.inode) return false;
  return !stored.fp || !stored.fp_len || plainStartsWith(file, { fp: stored.fp, fp_len: stored.fp_len });
}

const gunzipped = (file: string) =>
  pipeline(
    createReadStream('', { fd: openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW) }),
    createGunzip(),
    () => undefined,
  );

/** Whether the decompressed start of `file` has this fingerprint (false for a damaged or shorter file). */
export async function gzStartsWith(file: string, f: Fingerprint): Promise<boolean> {
  if (!f.fp || !f.fp_len) return false;
  const parts: Buffer[] = [];
  let got = 0;
  const stream = gunzipped(file);
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      got += (chunk as Buffer).length;
      if (got >= f.fp_len) break;
    }
  } catch {
    return false;
  } finally {
    stream.destroy();
  }
  return got >= f.fp_len && hash(Buffer.concat(parts).subarray(0, f.fp_len)) === f.fp;
}

/** Decompressed bytes of `file` from offset `from`, streamed to `onChunk` (memory stays bounded). */
export async function streamGz(file: string, from: number, onChunk: (b: Buffer) => void): Promise<void> {
  let pos = 0;
  for await (const chunk of gunzipped(file)) {
    const b = chunk as Buffer;
    if (pos + b.length > from) onChunk(pos >= from ? b : b.subarray(from - pos));
    pos += b.length;
  }
}

function inode(file: string): string | null {
  try {
    const st = lstatSync(file, { bigint: true });
    return st.isFile() ? st.ino.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The rotated copies of `file`, grouped by rotation (a copy and its compressed twin are one),
 * newest first: `.1` before `.2`; dated suffixes by name, latest first.
 */
export function rotationChain(file: string): Rotated[][] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const groups = new Map<string, Rotated[]>();
  for (const name of readdirSync(dir)) {
    if (name === base || !(name.startsWith(`${base}.`) || name.startsWith(`${base}-`))) continue;
    const ext = /\.(gz|bz2|xz|zst)$/.exec(name)?.[1];
    const key = name.slice(base.length, ext ? -(ext.length + 1) : undefined);
    if (!/^\.\d+$/.test(key) && !key.startsWith('-')) continue;
    const p = path.join(dir, name);
    const r: Rotated = {
      path: p,
      compression: !ext ? 'none' : ext === 'gz' ? 'gz' : 'other',
      inode: ext ? null : inode(p),
    };
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const numbered = [...groups.keys()]
    .filter((k) => k.startsWith('.'))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const dated = [...groups.keys()]
    .filter((k) => k.startsWith('-'))
    .sort()
    .reverse();
  return [...numbered, ...dated].map((k) => groups.get(k)!);
}
