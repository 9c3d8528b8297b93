import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errors } from '../../../sdk/errors.js';
import { tooLarge } from './fd.js';
import { inBlocks } from './measure.js';
import { youngCollector } from './young-gc.js';

/**
 * What a streamed write may take, checked as the bytes arrive. Plain JSON (null, not Infinity):
 * in linux mode the agent sends it to the panel, which writes the bytes.
 */
export interface FillLimits {
  /** The home-relative name being written, for messages. */
  rel: string;
  /** Largest accepted size in bytes; null when unlimited. */
  max: number | null;
  /** Disk the new file may take: the quota's free bytes plus what the replaced file frees; null when unlimited. */
  budget: number | null;
  /** Block size of the filesystem (sizes are charged in whole blocks, as `du` counts them). */
  block: number;
  /** Disk the replaced file takes and the quota's free bytes, for the refusal's numbers. */
  oldDisk: number;
  free: number;
}

/** Writes a file's bytes into an open temp file within the limits; returns how many. */
export type Filler = (fd: number, limits: FillLimits) => Promise<number>;

const MB = 1024 * 1024;
/** Bytes a streamed write buffers ahead of the disk: little in flight, so little outlives a young collection. */
const WRITE_HWM = 256 * 1024;
const mb = (n: number) => (Math.max(0, n) / MB).toFixed(1);

/** The quota refusal, the same words for every kind of write. */
export function quotaExceeded(rel: string, needed: number, free: number): Error {
  return errors.limitReached(
    `Disk quota exceeded: '${rel}' needs ${mb(needed)} MB but only ${mb(free)} MB of the account's quota are free`,
  );
}

/** Refuse a size that is over the limits (before writing when the size is known, else as it grows). */
export function checkFill(size: number, l: FillLimits, what = 'the limit'): void {
  if (l.max !== null && size > l.max) throw tooLarge(`'${l.rel}' is over ${what} of ${l.max} bytes`);
  const disk = inBlocks(size, l.block);
  if (l.budget !== null && disk > l.budget) throw quotaExceeded(l.rel, disk - l.oldDisk, l.free);
}

/**
 * Stream `source` into the open file `fd`, counting: over the size limit or the quota the
 * stream fails at once (the caller removes the temp file). Backpressure all the way: the
 * source is read only as fast as the disk takes it, and the socket buffers already written are
 * returned every few MB ({@link youngCollector}).
 */
export async function writeCounted(source: Readable, fd: number, limits: FillLimits): Promise<number> {
  let size = 0;
  const collect = youngCollector();
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      collect(chunk.length);
      try {
        checkFill(size, limits, 'the upload limit');
      } catch (e) {
        return done(e as Error);
      }
      done(null, chunk);
    },
  });
  await pipeline(source, counter, fs.createWriteStream('', { fd, autoClose: false, highWaterMark: WRITE_HWM }));
  return size;
}

/** The filler for a stream read in this process. */
export function fillFrom(source: Readable): Filler {
  return (fd, limits) => writeCounted(source, fd, limits);
}
