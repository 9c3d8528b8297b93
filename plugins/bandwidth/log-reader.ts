import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { parseAccessLogLine } from '../../sdk/index.js';

/** Where the collector stopped in one log: the file's inode and the byte after the last line counted. */
export interface LogPosition {
  inode: string;
  offset: number;
}

/** What one read of a log found: bytes sent per calendar month (`YYYY-MM`, UTC) and where it ended. */
export interface LogRead {
  bytes: Map<string, number>;
  /** Offset after the last complete line read. */
  end: number;
  /** True when the file was read to its last complete line (false: the per-run cap stopped it). */
  finished: boolean;
}

/** What to read next time and what was read this time, for one log path. */
export interface LogStep {
  reads: LogRead[];
  /** The position to store (null: nothing to store, the log is gone and its old file not found). */
  next: LogPosition | null;
  /** Human notes (a rotated file whose tail could not be found). */
  notes: string[];
}

const CHUNK = 1 << 20;

/** `YYYY-MM` (UTC) of a Unix time in ms. */
export function periodOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/**
 * Read complete lines of `file` from `from` up to `maxBytes` further, summing bytes sent per
 * month. A last line without its newline is left for the next read (nginx may be writing it).
 */
export function readLog(file: string, from: number, maxBytes: number): LogRead {
  const bytes = new Map<string, number>();
  // Never through a link: the directory is the panel's, but a log is opened as root.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  let pos = from;
  let end = from;
  let carry = '';
  try {
    const size = fstatSync(fd).size;
    const stop = Math.min(size, from + maxBytes);
    const buf = Buffer.allocUnsafe(CHUNK);
    while (pos < stop) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, stop - pos), pos);
      if (n === 0) break;
      pos += n;
      const text = carry + buf.toString('latin1', 0, n);
      const last = text.lastIndexOf('\n');
      if (last < 0) {
        carry = text;
        continue;
      }
      for (const line of text.slice(0, last).split('\n')) {
        const entry = parseAccessLogLine(line);
        if (entry) bytes.set(periodOf(entry.time), (bytes.get(periodOf(entry.time)) ?? 0) + entry.bytes);
      }
      carry = text.slice(last + 1);
      end = pos - carry.length;
    }
    return { bytes, end, finished: pos >= size };
  } finally {
    closeSync(fd);
  }
}

function inodeOf(file: string): { inode: string; size: number } | null {
  try {
    const st = lstatSync(file, { bigint: true });
    return st.isFile() ? { inode: st.ino.toString(), size: Number(st.size) } : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The file beside `file` (`<name>.1`, `<name>-20261207`, not compressed) that is inode `inode`: where a rotation renamed it. */
export function findRotated(file: string, inode: string): string | null {
  const dir = path.dirname(file);
  const base = path.basename(file);
  for (const name of readdirSync(dir)) {
    if (
      name === base ||
      !(name.startsWith(`${base}.`) || name.startsWith(`${base}-`)) ||
      /\.(gz|bz2|xz|zst)$/.test(name)
    )
      continue;
    if (inodeOf(path.join(dir, name))?.inode === inode) return path.join(dir, name);
  }
  return null;
}

/**
 * One collection step of a log path, from the stored position: the same inode goes on from its
 * offset (from 0 when the file shrank: truncated in place); another inode means the log was
 * rotated, so the old file's unread tail is read where the rotation put it, then the new file
 * from its start. Nothing is stored here: the caller saves `next` with the bytes in one transaction.
 */
export function stepLog(file: string, stored: LogPosition | null, maxBytes: number): LogStep {
  const now = inodeOf(file);
  if (stored && now?.inode !== stored.inode) {
    const old = findRotated(file, stored.inode);
    const notes = old
      ? []
      : [
          `${path.basename(file)}: the rotated file was not found; lines written after the last collection before the rotation are not counted`,
        ];
    const tail = old ? readLog(old, stored.offset, maxBytes) : null;
    // The old file first, to its end; only then the new one (so the stored inode stays the old one until it is done).
    if (tail && !tail.finished) return { reads: [tail], next: { inode: stored.inode, offset: tail.end }, notes };
    if (!now)
      return { reads: tail ? [tail] : [], next: tail ? { inode: stored.inode, offset: tail.end } : null, notes };
    const fresh = readLog(file, 0, maxBytes);
    return { reads: tail ? [tail, fresh] : [fresh], next: { inode: now.inode, offset: fresh.end }, notes };
  }
  if (!now) return { reads: [], next: null, notes: [] };
  const from = stored && now.size >= stored.offset ? stored.offset : 0;
  const read = readLog(file, from, maxBytes);
  return { reads: [read], next: { inode: now.inode, offset: read.end }, notes: [] };
}
