import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateMembers } from './inflate-members.js';
import { ParallelGzip } from './parallel-gzip.js';

async function ours(data: Buffer): Promise<Buffer> {
  const g = new ParallelGzip({ threads: 2, chunkSize: 64 * 1024 });
  const done = (async () => { await g.write(data); await g.finish(); })();
  const parts: Buffer[] = [];
  for await (const p of g.output()) parts.push(p);
  await done;
  return Buffer.concat(parts);
}

async function inflate(gz: Buffer, piece = 10_000): Promise<Buffer> {
  const chunks = Array.from({ length: Math.ceil(gz.length / piece) }, (_, i) => gz.subarray(i * piece, (i + 1) * piece));
  const out: Buffer[] = [];
  for await (const b of inflateMembers(Readable.from(chunks), 2)) out.push(b);
  return Buffer.concat(out);
}

describe('inflateMembers', () => {
  const data = Buffer.concat([randomBytes(300_000), Buffer.alloc(400_000, 'a'), randomBytes(123)]);

  it('inflates our indexed members in parallel, and plain gzip serially, to the same bytes', async () => {
    const gz = await ours(data);
    expect(gz.subarray(12, 14).toString()).toBe('VP');
    expect((await inflate(gz)).equals(data)).toBe(true);
    expect((await inflate(gzipSync(data))).equals(data)).toBe(true);
    expect((await inflate(Buffer.concat([gz, gzipSync(Buffer.from('tail'))]))).equals(Buffer.concat([data, Buffer.from('tail')]))).toBe(true);
  });

  it('refuses truncated, corrupted and non-gzip input', async () => {
    const gz = await ours(data);
    await expect(inflate(gz.subarray(0, gz.length - 5))).rejects.toThrow(/truncated/);
    const flipped = Buffer.from(gz);
    flipped[gz.length - 30] ^= 0xff;
    await expect(inflate(flipped)).rejects.toThrow(/corrupted/);
    await expect(inflate(Buffer.from('not a gzip stream at all'))).rejects.toThrow(/not gzip/);
    await expect(inflate(Buffer.concat([gz, Buffer.from('garbage!!!!!!!!')]))).rejects.toThrow(/after the last gzip member/);
  });
});
