import os from 'node:os';
import type { ScanLimits } from './archive/scan-archive.js';
import type { BackupsConfig } from './config.js';

const MiB = 1024 * 1024;
const mb = (n: number) => (n / MiB).toFixed(1);

/**
 * How far a restore lets an archive expand and what its parts may declare. The expansion bound
 * is the least of two: what the account can hold (twice its quota, the dump limit and room for
 * headers) and `max_archive_ratio` times the archive's own size (at least
 * `archive_ratio_floor_mb`), so a small archive of zeros stops after a few hundred times its
 * size, not after the quota's worth of inflating. Members are inflated by as many threads as a
 * backup compresses with (`compression_threads`, 0: one per core up to 4).
 */
export function restoreLimits(cfg: BackupsConfig, fileBytes: number | null, archiveBytes: number): ScanLimits {
  const byAccount = (fileBytes ?? 100 * 1024 * MiB) * 2 + cfg.max_database_dump_mb * MiB + 64 * MiB;
  const floor = cfg.archive_ratio_floor_mb * MiB;
  const byRatio = Math.max(floor, archiveBytes * cfg.max_archive_ratio);
  const threads = cfg.compression_threads || Math.min(4, os.availableParallelism());
  if (byRatio >= byAccount)
    return { fileBytes, threads, expandBytes: byAccount, expandLimit: 'the limit for this account' };
  return {
    fileBytes,
    threads,
    expandBytes: byRatio,
    expandLimit: `max_archive_ratio ${cfg.max_archive_ratio}:1 of the archive's ${mb(archiveBytes)} MB, at least ${mb(floor)} MB`,
  };
}
