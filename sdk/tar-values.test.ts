import { execFileSync } from 'node:child_process';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { exactTarFields, type TarValues, tarEntryValues } from './tar-values.js';

const Y2040 = Date.UTC(2040, 0, 1) / 1000;
const Y1965 = Date.UTC(1965, 5, 1, 12, 30) / 1000;
const ENTRIES: [string, TarValues][] = [
  ['plain', { type: 'file', mode: 0o644, uid: 1000, gid: 1000, mtime: 1_700_000_000 }],
  ['locked', { type: 'file', mode: 0, uid: 1000, gid: 1000, mtime: 1_700_000_000 }],
  ['future', { type: 'file', mode: 0o600, uid: 1000, gid: 1000, mtime: Y2040 }],
  ['past', { type: 'file', mode: 0o640, uid: 1000, gid: 1000, mtime: Y1965 }],
  ['ids', { type: 'file', mode: 0o644, uid: 3_000_000, gid: 4_000_000, mtime: 1_700_000_000 }],
  ['shut', { type: 'directory', mode: 0, uid: 0, gid: 0, mtime: Y2040 }],
];

async function packed(): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => void chunks.push(c as Buffer));
  const ended = new Promise<void>((r) => pack.on('end', () => r()));
  for (const [name, v] of ENTRIES)
    pack.entry(
      { name, type: v.type, size: v.type === 'file' ? 1 : 0, ...exactTarFields(v) },
      v.type === 'file' ? 'x' : '',
    );
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

describe('exactTarFields / tarEntryValues (tar-stream underneath)', () => {
  it('writes mode 0, times past 2038 and before 1970 and ids past 262143 so GNU tar reads them exactly', async () => {
    const listed = execFileSync('tar', ['--numeric-owner', '--full-time', '--utc', '-tvf', '-'], {
      input: await packed(),
      encoding: 'utf8',
    });
    expect(listed).toMatch(/^-rw-r--r-- 1000\/1000 +1 2023-11-14 22:13:20 plain$/m);
    expect(listed).toMatch(/^---------- 1000\/1000 +1 2023-11-14 22:13:20 locked$/m);
    expect(listed).toMatch(/^-rw------- 1000\/1000 +1 2040-01-01 00:00:00 future$/m);
    expect(listed).toMatch(/^-rw-r----- 1000\/1000 +1 1965-06-01 12:30:00 past$/m);
    expect(listed).toMatch(/^-rw-r--r-- 3000000\/4000000 +1 .* ids$/m);
    expect(listed).toMatch(/^d--------- 0\/0 +0 2040-01-01 00:00:00 shut\/?$/m);
  });

  it("reads the same values back through tar-stream's extract", async () => {
    const extract = tar.extract();
    extract.end(await packed());
    const seen: Record<string, TarValues> = {};
    for await (const entry of extract) {
      seen[entry.header.name] = { type: entry.header.type as TarValues['type'], ...tarEntryValues(entry.header) };
      entry.resume();
    }
    expect(seen).toEqual(Object.fromEntries(ENTRIES));
  });

  it('refuses malformed pax numbers', () => {
    const h = { mode: 0o644, uid: 0, gid: 0, mtime: new Date(0) };
    expect(tarEntryValues({ ...h, pax: { mtime: '1700000000.75' } }).mtime).toBe(1_700_000_000);
    expect(tarEntryValues({ ...h, pax: { mtime: '-1.5' } }).mtime).toBe(-2);
    expect(() => tarEntryValues({ ...h, pax: { mtime: '1e9' } })).toThrow(/invalid pax mtime/);
    expect(() => tarEntryValues({ ...h, pax: { mtime: '9999999999999999' } })).toThrow(/pax mtime out of range/);
    expect(() => tarEntryValues({ ...h, pax: { uid: '-1' } })).toThrow(/invalid pax uid/);
    expect(() => tarEntryValues({ ...h, mtime: new Date(Number.NaN) })).toThrow(/invalid mtime/);
  });
});
