// A restore keeps the account's kernel disk quota (linux mode, root): on btrfs each home is a
// subvolume carrying a qgroup limit, and the restore swaps a staged tree in place of the home. A
// plain staged directory would come back with no limit at all; the staged home must be a
// subvolume and get the limit again, so a process of the account still meets EDQUOT.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { accountBody, openTempDir, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { loopFs, qgroupOf, writeAs, type LoopFs } from './loop-fs.js';

const root = requireRoot();
const prefix = `vpr${randomBytes(3).toString('hex')}`;
const MiB = 1024 * 1024;
describe.skipIf(root.skip)('a restore keeps the disk quota of a btrfs home', () => {
  let fs: LoopFs;
  let dataDir: string;
  let h: HostingPanel | undefined;
  beforeAll(async () => {
    fs = loopFs('btrfs');
    dataDir = openTempDir('velopanel-data-');
    h = await startHostingPanel({
      mode: 'linux',
      homeBase: fs.homes,
      extra: ['backups'],
      config: { data_dir: dataDir, log_level: 'error' } as never,
      plugins: { accounts: { free_disk_quota_mb: 4 } },
    });
  });
  afterAll(async () => {
    await h?.stop().catch(() => undefined);
    removeLeftoverUsers(prefix);
    fs?.remove();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('restores the home as a subvolume with its limit, and a write of the account past it fails with EDQUOT', async () => {
    const a = (
      await h!.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }),
      })
    ).body.data;
    expect(qgroupOf(fs, a.home_dir)?.max).toBe(4 * MiB);
    writeFileSync(path.join(a.home_dir, 'public_html', 'kept.txt'), 'from the backup\n');
    const made = await h!.panel.request('POST', `/api/backups/accounts/${a.id}`);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    rmSync(path.join(a.home_dir, 'public_html', 'kept.txt'));
    const res = await h!.panel.request('POST', `/api/backups/accounts/${a.id}/restore/${made.body.data.filename}`);
    expect(res.body.data?.status, JSON.stringify(res.body)).toBe('complete');
    expect(readFileSync(path.join(a.home_dir, 'public_html', 'kept.txt'), 'utf8')).toBe('from the backup\n');
    expect(statSync(a.home_dir).ino).toBe(256); // the root of a subvolume
    expect(readdirSync(fs.homes).filter((n) => n.startsWith('.vp-'))).toEqual([]); // the replaced home (a subvolume too) is gone
    expect(qgroupOf(fs, a.home_dir)?.max).toBe(4 * MiB);
    const w = writeAs(a.username, path.join(a.home_dir, 'public_html', 'big.bin'), 8);
    expect(w.status).not.toBe(0);
    expect(w.stderr).toMatch(/Disk quota exceeded/);
  });
});
