// The example's `mounted-disk` target, built from its own package: the backup-target conformance
// suite from sdk/testing, unchanged, on a real mounted filesystem (/dev/shm), then what the kind
// adds — refusing an unmounted disk, rotation per account, free-space floor, allowed disks only.
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPanelError, type BackupTarget, type BackupTargetFactory } from '../../sdk/index.js';
import { backupTargetConformance } from '../../sdk/testing/index.js';
import { installExample } from './install-example.js';

// tmpfs: a mount of its own on Linux, as a second disk would be.
const DISK = '/dev/shm';
const run = `vp-mount-${process.pid}-${Date.now().toString(36)}`;

async function factory(allowed: string[]): Promise<BackupTargetFactory> {
  const { dir } = installExample();
  const mod = await import(path.join(dir, 'dist', 'factory.js'));
  return mod.mountedDiskFactory(allowed);
}

async function target(settings: Record<string, unknown>, allowed = [DISK]): Promise<BackupTarget> {
  return (await factory(allowed)).create({
    id: 'disk',
    scope: 'server',
    ownerId: null,
    dataDir: os.tmpdir(),
    config: { directory: run, keep: 7, min_free_mb: 16, mount_point: DISK, ...settings },
  });
}

const body = (text: string) => Readable.from([Buffer.from(text)]);
const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isPanelError(e) ? `${e.code}: ${e.message}` : String(e)),
  );

afterAll(() => {
  for (const name of readdirSync(DISK))
    if (name.startsWith(run)) rmSync(path.join(DISK, name), { recursive: true, force: true });
});

backupTargetConformance.run('mounted-disk (third-party example)', () => target({ directory: `${run}-conformance` }));

describe('mounted-disk target', () => {
  beforeAll(() => {
    installExample();
  }, 120_000);

  it('refuses a directory that is not a mounted disk: the test fails and nothing is written', async () => {
    const plain = mkdtempSync(path.join(os.tmpdir(), 'vp-not-mounted-'));
    const t = await target({ mount_point: plain }, [plain]);
    expect(await t.test()).toEqual({
      ok: false,
      error: `Backup target 'disk': ${plain} is not a mounted disk (is it mounted?)`,
    });
    expect(await code(t.put('alice-20260101-000000.tar.gz', body('x')))).toBe(
      `UNAVAILABLE: Backup target 'disk': ${plain} is not a mounted disk (is it mounted?)`,
    );
    expect(readdirSync(plain)).toEqual([]);
    rmSync(plain, { recursive: true });
  });

  it('keeps the newest `keep` archives of each account, and leaves other names alone', async () => {
    const t = await target({ directory: `${run}-rotation`, keep: 2 });
    for (const name of [
      'alice-20260101-010000.tar.gz',
      'alice-20260103-010000.tar.gz',
      'bob-20260101-010000.tar.gz',
      'alice-notes.txt',
      'alice-20260102-010000.tar.gz',
    ])
      await t.put(name, body(name));
    const names = (await t.list()).map((o) => o.name).sort();
    expect(names).toEqual([
      'alice-20260102-010000.tar.gz',
      'alice-20260103-010000.tar.gz',
      'alice-notes.txt',
      'bob-20260101-010000.tar.gz',
    ]);
    await t.put('alice-20260104-010000.tar.gz', body('newest'));
    expect((await t.list('alice-2')).map((o) => o.name).sort()).toEqual([
      'alice-20260103-010000.tar.gz',
      'alice-20260104-010000.tar.gz',
    ]);
    const keepAll = await target({ directory: `${run}-rotation`, keep: 0 });
    await keepAll.put('bob-20260102-010000.tar.gz', body('b2'));
    expect((await keepAll.list('bob-')).length).toBe(2);
  });

  it('refuses a backup when the disk has less free space than min_free_mb, leaving nothing', async () => {
    const t = await target({ directory: `${run}-full`, min_free_mb: 10_000_000 });
    expect(await code(t.put('carol-20260101-000000.tar.gz', body('x')))).toMatch(
      /^UNAVAILABLE: Backup target 'disk': \/dev\/shm has \d+ MB free, below min_free_mb \(10000000\)$/,
    );
    expect(readdirSync(path.join(DISK, `${run}-full`))).toEqual([]);
  });

  it('only accepts the disks the administrator listed', async () => {
    const f = await factory([DISK]);
    expect(() =>
      f.create({
        id: 'x',
        scope: 'reseller',
        ownerId: 2,
        dataDir: os.tmpdir(),
        config: { mount_point: '/etc', directory: 'x', keep: 1, min_free_mb: 0 },
      }),
    ).toThrow(
      'mount_point: must be one of the disks the administrator listed in [plugins.backup-mount] mounts (/dev/shm)',
    );
  });

  it('does not follow a directory or an archive swapped for a symlink', async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'vp-elsewhere-'));
    symlinkSync(elsewhere, path.join(DISK, `${run}-swapped`));
    const t = await target({ directory: `${run}-swapped` });
    expect(await code(t.put('dave-20260101-000000.tar.gz', body('x')))).toBe(
      `UNAVAILABLE: Backup target 'disk': ${DISK}/${run}-swapped is not a directory`,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
    const ok = await target({ directory: `${run}-links` });
    await ok.put('erin-20260101-000000.tar.gz', body('real'));
    symlinkSync('/etc/hostname', path.join(DISK, `${run}-links`, 'erin-20260102-000000.tar.gz'));
    expect(await code(ok.get('erin-20260102-000000.tar.gz'))).toBe(
      "NOT_FOUND: Backup erin-20260102-000000.tar.gz not found on target 'disk'",
    );
    expect(await ok.stat('erin-20260102-000000.tar.gz')).toBeNull();
    rmSync(elsewhere, { recursive: true });
  });
});
