// Hostile class 8, compression bombs: an extraction stops at the first member (or the first
// inflated bytes) past the free quota or the expansion bound, having inflated little, and leaves
// nothing behind. "Little" is counted (the extractor's inflated-bytes counter), never timed.
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractArchive } from '../../plugins/files/archive/extract.js';
import { inflated } from '../../plugins/files/archive/inflation.js';
import { diskUsage } from '../../plugins/files/sandbox/measure.js';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';
import { gzipBomb, tarHeader, zipBomb } from '../fixtures/bombs.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('compression bombs stop early', () => {
  let root: string;
  let home: string;
  const ctx = () => ({ home, ownerUid: null, maxEntries: 1000, expansion: { ratio: 50, floor: 16 * MiB } });
  /** Extract and report the refusal and the bytes inflated on the way. */
  const extract = async (name: string, quota: number | null = null) => {
    const before = inflated.bytes;
    const error = await extractArchive(ctx(), { path: `/${name}`, destination: '/out', quota }).then(
      () => null,
      (e: Error & { status?: number }) => e,
    );
    return { error, inflatedBytes: inflated.bytes - before };
  };

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'vp-bomb-'));
    home = path.join(root, 'home');
    mkdirSync(home);
    // 16 GiB of zeros in about 16 MB: the bound for its size is 50 × 16 MB = 800 MB, and a
    // quota of 10 MB stops it far earlier. 1 GiB in 1 MB is bound at 50 MB.
    writeFileSync(path.join(home, 'zeros.tar.gz'), gzipBomb(16));
    writeFileSync(path.join(home, 'small.tar.gz'), gzipBomb(1));
    writeFileSync(path.join(home, 'declared.tar.gz'), gzipBomb(4, tarHeader('big.bin', 4 * GiB)));
    writeFileSync(path.join(home, 'honest.zip'), zipBomb(1024));
    writeFileSync(path.join(home, 'liar.zip'), zipBomb(1024, 1024));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a tar.gz of zeros (no member declares anything) stops at the free quota', async () => {
    const used = (await diskUsage({ home, ownerUid: null })).allocated;
    const { error, inflatedBytes } = await extract('zeros.tar.gz', used + 10 * MiB);
    expect(error?.status).toBe(403);
    expect(error?.message).toMatch(/^Disk quota exceeded: '\/out' needs 1\d\.\d MB but only 10\.0 MB/);
    expect(inflatedBytes).toBeGreaterThan(10 * MiB);
    expect(inflatedBytes).toBeLessThan(14 * MiB);
  });

  it('without a quota, a tar.gz of zeros stops at the expansion bound for its size', async () => {
    const { error, inflatedBytes } = await extract('small.tar.gz');
    expect(error?.status).toBe(413);
    expect(error?.message).toMatch(
      /^archive: '\/small\.tar\.gz' expands beyond 4\d\.\d MB, the limit for an archive of its size \(max_archive_ratio 50:1, at least 16\.0 MB\)/,
    );
    expect(inflatedBytes).toBeLessThan(52 * MiB);
  });

  it('a tar member declaring more than the bound is refused at its header', async () => {
    const { error, inflatedBytes } = await extract('declared.tar.gz');
    expect(error?.status).toBe(413);
    expect(error?.message).toMatch(/expands beyond [\d.]+ MB, .*max_archive_ratio 50:1/);
    expect(inflatedBytes).toBeLessThan(4 * MiB);
  });

  it('a zip declaring more than the bound is refused from its central directory, inflating nothing', async () => {
    const { error, inflatedBytes } = await extract('honest.zip');
    expect(error?.status).toBe(413);
    expect(error?.message).toMatch(/^archive: '\/honest\.zip' expands beyond/);
    expect(inflatedBytes).toBe(0);
  });

  it('a zip member inflating past its declared size stops there', async () => {
    const { error, inflatedBytes } = await extract('liar.zip');
    expect(error?.status).toBe(400);
    expect(error?.message).toMatch(/^archive: is damaged or unreadable \(too many bytes in the stream/);
    expect(inflatedBytes).toBeLessThan(4 * MiB);
  });

  it('leaves nothing behind', () => {
    expect(readdirSync(home).sort()).toEqual([
      'declared.tar.gz',
      'honest.zip',
      'liar.zip',
      'small.tar.gz',
      'zeros.tar.gz',
    ]);
  });
});

describe.each(MODES)('the expansion bound is a setting of the files plugin (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const place = (name: string) => {
    if (bed.user) chownSync(path.join(bed.home(1), name), bed.user.uid, bed.user.gid);
  };
  beforeAll(async () => {
    bed = await startModeBed(mode, { files: { max_archive_ratio: 10, archive_ratio_floor_mb: 1 } });
  });
  afterAll(async () => {
    await bed.stop();
  });

  it.each(['bomb.tar.gz', 'bomb.zip'])('refuses %s with 413 naming the setting, changing nothing', async (name) => {
    writeFileSync(path.join(bed.home(1), name), name.endsWith('.zip') ? zipBomb(256) : gzipBomb(1));
    place(name);
    const before = treeState(bed.root, bed.home(1));
    const res = await bed.panel.request('POST', '/api/files/extract', {
      body: { account_id: 1, path: `/${name}`, destination: '/out' },
      as: 'user',
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(
      new RegExp(
        `^archive: '/${name.replace('.', '\\.')}' expands beyond [\\d.]+ MB, .*\\(max_archive_ratio 10:1, at least 1\\.0 MB\\)`,
      ),
    );
    expect(treeState(bed.root, bed.home(1))).toEqual(before);
  });
});
