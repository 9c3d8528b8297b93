// What a scan calls the archive's damage: zlib's own failures (coded Z_…), on the one-stream path
// and the parallel one, become ArchiveErrors quoting zlib's fixed words, told to every viewer. An
// error of the archive's source without a code stays what it is however it is worded ("invalid",
// "unexpected end"): it may be a remote target's own words naming its directory, for admins only.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanArchive } from '../archive/scan-archive.js';
import { ArchiveError } from '../archive/tar-decode.js';
import { craftHeader } from './craft.js';
import { sizedGzip as sized } from './sized-gzip.js';

const MiB = 1024 * 1024;
const limits = { expandBytes: 64 * MiB, fileBytes: null, threads: 2 };
const TARGET_WORDS = 'invalid session token, unexpected end of /srv/other-tenant/target/archive.tar.gz';

/** A tar holding one home directory and a file of `n` somewhat compressible bytes. */
function tar(n: number): Buffer {
  const data = Buffer.alloc(n);
  for (let i = 0; i < n; i++) data[i] = (i * 7919 + (i >> 12)) % 251;
  const pad = Buffer.alloc((512 - (n % 512)) % 512);
  return Buffer.concat([
    craftHeader({ name: 'home', type: '5' }, 0),
    craftHeader({ name: 'home/f' }, n),
    data,
    pad,
    Buffer.alloc(1024),
  ]);
}

const scanned = (source: Readable) =>
  scanArchive(source, limits).then(
    () => null,
    (e: Error) => e,
  );

/** `bytes`, then the source failing with an error of no code in a remote target's words. */
function breakingOff(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes;
      throw new Error(TARGET_WORDS);
    })(),
  );
}

const flip = (b: Buffer, at: number) => {
  const c = Buffer.from(b);
  c[at] = c[at]! ^ 0xff;
  return c;
};

describe("a scan's gzip failures", () => {
  it("calls zlib's failures on one stream archive damage, in zlib's words", async () => {
    const gz = gzipSync(tar(3 * MiB));
    const cut = await scanned(Readable.from([gz.subarray(0, gz.length >> 1)]));
    expect(cut).toBeInstanceOf(ArchiveError);
    expect(cut?.message).toBe('the archive is not valid gzip data (corrupted): unexpected end of file');
    const flipped = await scanned(Readable.from([flip(gz, 200)]));
    expect(flipped).toBeInstanceOf(ArchiveError);
    expect(flipped?.message).toMatch(/^the archive is not valid gzip data \(corrupted\): (invalid|incorrect) /);
  });

  it("calls the parallel inflater's failures archive damage", async () => {
    const gz = await sized(tar(3 * MiB));
    const flipped = await scanned(Readable.from([flip(gz, 200)]));
    expect(flipped).toBeInstanceOf(ArchiveError);
    expect(flipped?.message).toMatch(/^the archive is not valid gzip data \(corrupted\): /);
  });

  it('passes on a source error without a code as it is, whatever its words', async () => {
    for (const gz of [gzipSync(tar(3 * MiB)), await sized(tar(3 * MiB))]) {
      const e = await scanned(breakingOff(gz.subarray(0, MiB)));
      expect(e).not.toBeInstanceOf(ArchiveError);
      expect(e?.message).toBe(TARGET_WORDS);
    }
  });
});
