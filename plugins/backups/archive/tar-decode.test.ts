// The reader's pax mtime: negative (before 1970) and fractional times are read as the writers put
// them; anything else in the record (a lone sign, two signs, an exponent, more than a Date holds)
// refuses the archive.
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from './tar-decode.js';
import { TarReader } from './tar-reader.js';

/** A tar of one file whose pax header carries `mtime` as given. */
async function withPaxMtime(mtime: string): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  pack.on('data', (d) => void parts.push(d as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  pack.entry({ name: 'old.txt', type: 'file', mode: 0o644, mtime: new Date(0), pax: { mtime } }, 'x');
  pack.finalize();
  await done;
  return Buffer.concat(parts);
}

async function readMtime(mtime: string): Promise<number> {
  const bytes = await withPaxMtime(mtime);
  const reader = new TarReader(
    (async function* () {
      yield bytes;
    })(),
    Number.MAX_SAFE_INTEGER,
  );
  const entry = await reader.next();
  return entry!.mtime;
}

describe('pax mtime in the backups tar reader', () => {
  it.each([
    ['-149124600', -149124600],
    ['-149124600.25', -149124601],
    ['-0.5', -1],
    ['1700000000.123456789', 1700000000],
    ['-8640000000000', -8.64e12],
  ])('reads %s as %d seconds', async (raw, seconds) => {
    expect(await readMtime(raw)).toBe(seconds);
  });

  it.each([
    '-',
    '--1',
    '1e5',
    '-1e5',
    '+1',
    ' 1',
    '1.',
    '.5',
    '-.5',
    '0x10',
    '',
    '99999999999999999',
    '-8640000000001',
  ])('refuses %j', async (raw) => {
    await expect(readMtime(raw)).rejects.toThrow(new ArchiveError('invalid pax mtime'));
  });
});
