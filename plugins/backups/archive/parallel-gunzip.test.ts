import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflatingThreads } from './member-inflater.js';
import { inflateArchive } from './parallel-gunzip.js';
import { sizedGzip as sized } from '../test/sized-gzip.js';

const MiB = 1024 * 1024;

/** Deterministic, somewhat compressible bytes. */
function content(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7919 + (i >> 12)) % 251;
  return b;
}

/** Inflate `gz` handed over in pieces cut at `cuts` (members never line up with reads). */
async function inflate(gz: Buffer, cuts: number[] = []): Promise<Buffer> {
  const pieces = [0, ...cuts, gz.length].slice(1).map((end, i, all) => gz.subarray(i === 0 ? 0 : all[i - 1], end));
  const out: Buffer[] = [];
  for await (const c of inflateArchive(Readable.from(pieces), 2)) out.push(c);
  return Buffer.concat(out);
}

describe('inflateArchive', () => {
  const data = content(5 * MiB + 77);

  it('inflates members that carry their sizes in parallel, in order, whatever the read boundaries', async () => {
    const gz = await sized(data);
    expect(gz.readUInt32LE(16)).toBeLessThan(MiB + 1024); // the first member's own length, in its header
    expect(gz.readUInt32LE(20)).toBe(MiB);
    expect((await inflate(gz, [10, 23, 100_000, 100_001])).equals(data)).toBe(true);
    // Still one ordinary gzip file for every other tool.
    expect(execFileSync('gzip', ['-dc'], { input: gz, maxBuffer: 64 * MiB }).equals(data)).toBe(true);
  });

  it('inflates any other gzip (one stream, no sizes), even a tiny one', async () => {
    expect((await inflate(gzipSync(data), [5])).equals(data)).toBe(true);
    expect((await inflate(gzipSync(Buffer.from('hi')))).toString()).toBe('hi');
    await expect(inflate(Buffer.alloc(0))).rejects.toThrow(/unexpected end/);
  });

  it('refuses a truncated archive, a flipped byte, and a member lying about its sizes', async () => {
    const gz = await sized(data);
    await expect(inflate(gz.subarray(0, gz.length - 5))).rejects.toThrow(/truncated/);
    const flipped = Buffer.from(gz);
    flipped.writeUInt8(flipped.readUInt8(200) ^ 0xff, 200);
    await expect(inflate(flipped)).rejects.toThrow(/not valid gzip data/);
    const more = Buffer.from(gz);
    more.writeUInt32LE(more.readUInt32LE(20) + 1, 20);
    await expect(inflate(more)).rejects.toThrow(/does not hold the size it declares/);
    const less = Buffer.from(gz);
    less.writeUInt32LE(less.readUInt32LE(20) - 1, 20);
    await expect(inflate(less)).rejects.toThrow(/not valid gzip data/);
  });

  it('refuses sizes the writer never makes before holding them, and a member without sizes after sized ones', async () => {
    const gz = await sized(data);
    const huge = Buffer.from(gz);
    huge.writeUInt32LE(1024 * MiB, 20);
    await expect(inflate(huge)).rejects.toThrow(/declares sizes this panel never writes/);
    const long = Buffer.from(gz);
    long.writeUInt32LE(0xffffffff, 16);
    await expect(inflate(long)).rejects.toThrow(/declares sizes this panel never writes/);
    await expect(inflate(Buffer.concat([gz, gzipSync(Buffer.from('tail'))]))).rejects.toThrow(
      /without its sizes follows/,
    );
  });

  it('writes members of at most 4 MiB of input whatever is asked', async () => {
    const gz = await sized(content(9 * MiB), 16 * MiB);
    expect(gz.readUInt32LE(20)).toBe(4 * MiB);
  });

  it("inflates on libuv's pool, leaving one of its threads to file writes", () => {
    const saved = process.env.UV_THREADPOOL_SIZE;
    try {
      delete process.env.UV_THREADPOOL_SIZE;
      expect([1, 2, 3, 4, 64].map(inflatingThreads)).toEqual([1, 2, 3, 3, 3]);
      process.env.UV_THREADPOOL_SIZE = '1';
      expect(inflatingThreads(4)).toBe(1);
      process.env.UV_THREADPOOL_SIZE = '16';
      expect(inflatingThreads(8)).toBe(8);
    } finally {
      if (saved === undefined) delete process.env.UV_THREADPOOL_SIZE;
      else process.env.UV_THREADPOOL_SIZE = saved;
    }
  });
});
