import { lstatSync } from 'node:fs';
import path from 'node:path';
import { readGzLog, readLog, type LogRead } from './log-lines.js';
import {
  fingerprintOf,
  FP_MAX,
  gzStartsWith,
  plainStartsWith,
  rotationChain,
  sameFile,
  type Fingerprint,
  type Rotated,
} from './rotation.js';

export { periodOf, readLog, type LogRead } from './log-lines.js';

/**
 * Where the collector stopped in one log: the file's inode and the byte after the last line
 * counted, with a fingerprint of the file's start (recognises it once compressed; absent from
 * positions stored before it was kept).
 */
export interface LogPosition extends Partial<Fingerprint> {
  inode: string;
  offset: number;
}

/** What to read next time and what was read this time, for one log path. */
export interface LogStep {
  reads: LogRead[];
  /** The position to store (null: nothing to store, the log is gone and its old file not found). */
  next: LogPosition | null;
  /** Human notes (a rotated file whose tail could not be found). */
  notes: string[];
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

/** A position with the fingerprint of the file it is in (so the file is known again once compressed). */
const at = (file: string, inode: string, offset: number, keep?: LogPosition): LogPosition => {
  const fp =
    keep?.inode === inode && keep.fp_len !== undefined && keep.fp_len >= FP_MAX
      ? { fp: keep.fp ?? null, fp_len: keep.fp_len }
      : fingerprintOf(file, inode);
  return { inode, offset, ...fp };
};

/** Where in the rotation chain the stored file is (index, the copy, and whether it was found by inode). */
async function locate(chain: Rotated[][], stored: LogPosition): Promise<{ index: number; copy: Rotated } | null> {
  for (const [index, group] of chain.entries()) {
    const copy = group.find((r) => r.compression === 'none' && sameFile(r.path, r.inode, stored));
    if (copy) return { index, copy };
  }
  // Not there by inode: a copy with its start (compressed into a new file, or copied before a truncation).
  const fp = { fp: stored.fp ?? null, fp_len: stored.fp_len ?? 0 };
  for (const [index, group] of chain.entries()) {
    for (const copy of group) {
      if (
        copy.compression === 'none'
          ? plainStartsWith(copy.path, fp)
          : copy.compression === 'gz' && (await gzStartsWith(copy.path, fp))
      )
        return { index, copy };
    }
  }
  return null;
}

/**
 * A log rotated since the stored position: the stored file's tail where the rotation chain has it
 * (renamed, or compressed), every file rotated after it from its start, then the live file. Each
 * uncompressed file is read up to `maxBytes`; one not finished becomes the position, so the next
 * run goes on from there. A stored file not found in the chain is a loss, noted, and none of the
 * chain is read (its place in it is unknown, so reading would risk counting lines twice).
 */
async function rotatedStep(
  file: string,
  now: { inode: string } | null,
  stored: LogPosition,
  maxBytes: number,
): Promise<LogStep> {
  const name = path.basename(file);
  const chain = rotationChain(file);
  const found = await locate(chain, stored);
  const reads: LogRead[] = [];
  const notes: string[] = [];
  let last: LogPosition | null = null;
  if (!found) {
    notes.push(
      `${name}: the rotated file was not found${chain.some((g) => g.some((r) => r.compression !== 'none')) ? ' (nor recognised among the compressed copies)' : ''}; lines written after the last collection before the rotation, and in any file rotated since, are not counted`,
    );
  } else {
    // The stored file from its offset, then the newer ones (lower in the chain) from their start.
    for (let i = found.index; i >= 0; i--) {
      const copy =
        i === found.index
          ? found.copy
          : (chain[i]!.find((r) => r.compression === 'none') ?? chain[i]!.find((r) => r.compression === 'gz'));
      if (!copy) {
        notes.push(
          `${path.basename(chain[i]![0]!.path)}: compressed in a format the collector does not read; its lines are not counted`,
        );
        continue;
      }
      if (copy.inode !== null && copy.inode === now?.inode) continue;
      const from = i === found.index ? stored.offset : 0;
      if (copy.compression === 'gz') {
        reads.push(await readGzLog(copy.path, from));
        last = null;
        continue;
      }
      const r = readLog(copy.path, from, maxBytes);
      reads.push(r);
      last = at(copy.path, copy.inode!, r.end, stored);
      if (!r.finished) return { reads, next: last, notes };
    }
  }
  if (!now) return { reads, next: last, notes };
  const fresh = readLog(file, 0, maxBytes);
  return { reads: [...reads, fresh], next: at(file, now.inode, fresh.end), notes };
}

/**
 * One collection step of a log path, from the stored position: the same inode goes on from its
 * offset (from 0 when the file shrank: truncated in place); another inode means the log was
 * rotated (see {@link rotatedStep}). Nothing is stored here: the caller saves `next` with the
 * bytes in one transaction.
 */
export async function stepLog(file: string, stored: LogPosition | null, maxBytes: number): Promise<LogStep> {
  const now = inodeOf(file);
  if (stored && !(now && sameFile(file, now.inode, stored))) return rotatedStep(file, now, stored, maxBytes);
  if (!now) return { reads: [], next: null, notes: [] };
  const from = stored && now.size >= stored.offset ? stored.offset : 0;
  const read = readLog(file, from, maxBytes);
  return {
    reads: [read],
    next: at(file, now.inode, read.end, from === 0 ? undefined : (stored ?? undefined)),
    notes: [],
  };
}
