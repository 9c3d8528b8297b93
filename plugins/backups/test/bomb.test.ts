// Hostile class 8 for restore: compression bombs stop at the first header declaring more than
// the bound, or as the inflated bytes pass it, having pulled little of the archive. "Little" is
// counted (the zeros a lazily made bomb handed out), never timed. The route's refusal of such
// archives, with nothing changed, is in hostile.test.ts.
import { describe, expect, it } from 'vitest';
import { scanArchive } from '../archive/scan-archive.js';
import type { BackupsConfig } from '../config.js';
import { restoreLimits } from '../restore-limits.js';
import { gzipBombStream } from '../../../test/fixtures/bombs.js';
import { craftHeader } from './craft.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const config = { max_database_dump_mb: 51200, max_archive_ratio: 200, archive_ratio_floor_mb: 64 } as BackupsConfig;
const header = (name: string, type: 'file' | 'directory', size = 0) =>
  craftHeader({ name, type: type === 'file' ? '0' : '5' }, size);

/** Scan a lazily made bomb of `gib` GiB after `prefix`, as a restore into an account holding `fileBytes`. */
async function scanBomb(gib: number, prefix: Buffer, fileBytes: number | null) {
  const bomb = gzipBombStream(gib, prefix);
  // The bomb's real size on a target: about 64 KB per 64 MiB of zeros.
  const limits = restoreLimits(config, fileBytes, gib * MiB);
  const error = await scanArchive(bomb.stream, limits).then(
    () => null,
    (e: Error) => e,
  );
  return { error, pulled: bomb.zeroBytes(), limits };
}

describe('restore scans stop compression bombs early', () => {
  it('bounds expansion by the archive size (max_archive_ratio) when that is less than the account allows', () => {
    expect(restoreLimits(config, 10 * MiB, 2 * MiB)).toMatchObject({
      expandBytes: 400 * MiB,
      expandLimit: "max_archive_ratio 200:1 of the archive's 2.0 MB, at least 64.0 MB",
    });
    expect(restoreLimits(config, 10 * MiB, 1024)).toMatchObject({ expandBytes: 64 * MiB });
    expect(restoreLimits(config, 10 * MiB, 10 * GiB).expandBytes).toBe(20 * MiB + 51200 * MiB + 64 * MiB);
  });

  it('a gzip of zeros (an empty tar, then zeros) stops right after the end marker', async () => {
    const { error, pulled } = await scanBomb(16, Buffer.alloc(0), 10 * MiB);
    expect(error?.message).toMatch(/^more than 1048576 bytes of zeros follow the end of the archive/);
    expect(pulled).toBeLessThanOrEqual(4 * 64 * MiB);
  });

  it('a home file declaring more than the bound is refused at its header', async () => {
    const { error, pulled } = await scanBomb(
      4,
      Buffer.concat([header('home', 'directory'), header('home/zeros.bin', 'file', 4 * GiB)]),
      null,
    );
    expect(error?.message).toMatch(
      /^the archive expands beyond 838860800 bytes \(max_archive_ratio 200:1 of the archive's 4\.0 MB, at least 64\.0 MB; possibly a compression bomb\)/,
    );
    expect(pulled).toBeLessThanOrEqual(4 * 64 * MiB);
  });

  it('a database dump declaring more than the bound is refused at its header', async () => {
    const prefix = Buffer.concat([
      header('home', 'directory'),
      header('databases/mysql/alice_db.sql.000001', 'file', 4 * GiB),
    ]);
    const { error, pulled } = await scanBomb(4, prefix, 10 * MiB);
    expect(error?.message).toMatch(/^the archive expands beyond \d+ bytes \(max_archive_ratio 200:1/);
    expect(pulled).toBeLessThanOrEqual(4 * 64 * MiB);
  });

  it('a dump declaring less than the bound, then zeros, stops right after its data', async () => {
    const prefix = Buffer.concat([
      header('home', 'directory'),
      header('databases/mysql/alice_db.sql.000001', 'file', 300 * MiB),
    ]);
    const { error, pulled, limits } = await scanBomb(2, prefix, 10 * MiB);
    expect(limits.expandBytes).toBe(400 * MiB);
    expect(error?.message).toMatch(/^more than 1048576 bytes of zeros follow the end of the archive/);
    expect(pulled).toBeLessThanOrEqual(300 * MiB + 4 * 64 * MiB);
  });
});
