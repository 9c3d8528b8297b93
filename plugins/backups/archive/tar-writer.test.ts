import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { TarHeader } from './tar-header.js';
import { TarReader } from './tar-reader.js';
import { PartDigest, TarWriter, type ByteSink } from './tar-writer.js';

/** Everything written, in memory. */
function memorySink(): ByteSink & { bytes(): Buffer } {
  const parts: Buffer[] = [];
  return {
    tap: null,
    bytesIn: 0,
    async write(d) {
      const b = Buffer.from(d);
      this.tap?.(b);
      this.bytesIn += b.length;
      parts.push(b);
    },
    bytes: () => Buffer.concat(parts),
  };
}

const file = (name: string, over: Partial<TarHeader> = {}): TarHeader => ({
  name,
  type: 'file',
  mode: 0o644,
  uid: 1000,
  gid: 1000,
  uname: '',
  gname: '',
  size: 3,
  mtime: 1_700_000_000,
  linkname: '',
  ...over,
});

describe('TarWriter (tar-stream underneath)', () => {
  it('keeps the values tar-stream cannot write in ustar fields: mode 0, times after 2038 and before 1970, ids past 262143', async () => {
    const sink = memorySink();
    const w = new TarWriter(sink);
    await w.add(file('none'), Buffer.from('a\n\n'));
    await w.add(file('locked', { mode: 0 }), Buffer.from('b\n\n'));
    await w.add(file('future', { mtime: Date.UTC(2040, 0, 1) / 1000 }), Buffer.from('c\n\n'));
    await w.add(file('past', { mtime: -86400 }), Buffer.from('d\n\n'));
    await w.add(file('big-ids', { uid: 3_000_000, gid: 4_000_000 }), Buffer.from('e\n\n'));
    await w.add({ ...file('empty-dir', { mode: 0 }), type: 'directory', size: 0 });
    await w.end();
    const tar = sink.bytes();
    expect(tar.length % 10240).toBe(0);
    const listed = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', '-'], {
      input: tar,
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    expect(listed).toMatch(/^-rw-r--r-- 1000\/1000 +3 2023-11-14 22:13:20 none$/m);
    expect(listed).toMatch(/^---------- 1000\/1000 +3 .* locked$/m);
    expect(listed).toMatch(/^-rw-r--r-- 1000\/1000 +3 2040-01-01 00:00:00 future$/m);
    expect(listed).toMatch(/^-rw-r--r-- 1000\/1000 +3 1969-12-31 00:00:00 past$/m);
    expect(listed).toMatch(/^-rw-r--r-- 3000000\/4000000 +3 .* big-ids$/m);
    expect(listed).toMatch(/^d--------- 1000\/1000 +0 .* empty-dir\/?$/m);

    const reader = new TarReader(
      (async function* () {
        yield tar;
      })(),
      Number.MAX_SAFE_INTEGER,
    );
    const seen: Record<string, { mode: number; uid: number; gid: number; mtime: number }> = {};
    for (let e = await reader.next(); e; e = await reader.next()) {
      seen[e.name] = { mode: e.mode, uid: e.uid, gid: e.gid, mtime: e.mtime };
      await reader.skip(e);
    }
    await reader.expectEnd();
    expect(seen.locked!.mode).toBe(0);
    expect(seen.future!.mtime).toBe(Date.UTC(2040, 0, 1) / 1000);
    expect(seen.past!.mtime).toBe(-86400);
    expect(seen['big-ids']).toMatchObject({ uid: 3_000_000, gid: 4_000_000 });
    expect(seen['empty-dir']!.mode).toBe(0);
  });

  it('hashes exactly the bytes written while a part is open, whatever the pack still buffers', async () => {
    const sink = memorySink();
    const w = new TarWriter(sink);
    const part = new PartDigest();
    await w.add(file('before'), Buffer.from('x\n\n'));
    await w.openPart(part);
    const start = sink.bytesIn;
    await w.add(file('in-1'), Buffer.from('y\n\n'));
    let offset = 0;
    const content = Buffer.alloc(200_000, 7);
    await w.addStreamed(file('in-2', { size: content.length }), async (buf, off, len) => {
      const n = Math.min(len, content.length - offset, 1000);
      content.copy(buf, off, offset, offset + n);
      offset += n;
      return n;
    });
    await w.openPart(null);
    const end = sink.bytesIn;
    await w.add(file('after'), Buffer.from('z\n\n'));
    await w.end();
    const { createHash } = await import('node:crypto');
    expect(part.bytes).toBe(end - start);
    expect(part.hex()).toBe(createHash('sha256').update(sink.bytes().subarray(start, end)).digest('hex'));
    expect(end - start).toBe(512 + 512 + 512 + 200_000 + (512 - (200_000 % 512)));
  });
});
