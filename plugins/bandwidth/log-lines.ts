import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parseAccessLogLine } from '../../sdk/index.js';
import { streamGz } from './rotation.js';

// Reading the lines of one access log (plain, or a gzipped rotated copy) into bytes per month.

/** What one read of a log found: bytes sent per calendar month (`YYYY-MM`, UTC) and where it ended. */
export interface LogRead {
  bytes: Map<string, number>;
  /** Offset after the last complete line read. */
  end: number;
  /** True when the file was read to its last complete line (false: the per-run cap stopped it). */
  finished: boolean;
}

const CHUNK = 1 << 20;

/** `YYYY-MM` (UTC) of a Unix time in ms. */
export function periodOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Sums bytes per month over chunks of a log, complete lines only; `carry` holds a line not yet ended. */
class LineSums {
  readonly bytes = new Map<string, number>();
  carry = '';

  /** Take the next chunk of the log. */
  add(chunk: Buffer): void {
    const text = this.carry + chunk.toString('latin1');
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      this.carry = text;
      return;
    }
    for (const line of text.slice(0, last).split('\n')) {
      const entry = parseAccessLogLine(line);
      if (entry) this.bytes.set(periodOf(entry.time), (this.bytes.get(periodOf(entry.time)) ?? 0) + entry.bytes);
    }
    this.carry = text.slice(last + 1);
  }
}

/**
 * Read complete lines of `file` from `from` up to `maxBytes` further, summing bytes sent per
 * month. A last line without its newline is left for the next read (nginx may be writing it).
 */
export function readLog(file: string, from: number, maxBytes: number): LogRead {
  // Never through a link: the directory is the panel's, but a log is opened as root.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  const sums = new LineSums();
  let pos = from;
  try {
    const size = fstatSync(fd).size;
    const stop = Math.min(size, from + maxBytes);
    const buf = Buffer.allocUnsafe(CHUNK);
    while (pos < stop) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, stop - pos), pos);
      if (n === 0) break;
      pos += n;
      sums.add(buf.subarray(0, n));
    }
    return { bytes: sums.bytes, end: pos - sums.carry.length, finished: pos >= size };
  } finally {
    closeSync(fd);
  }
}

/** Read a compressed rotated log from decompressed offset `from` to its end (a rotated log is complete). */
export async function readGzLog(file: string, from: number): Promise<LogRead> {
  const sums = new LineSums();
  let end = from;
  await streamGz(file, from, (b) => {
    end += b.length;
    sums.add(b);
  });
  return { bytes: sums.bytes, end: end - sums.carry.length, finished: true };
}
