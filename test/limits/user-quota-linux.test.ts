// Disk quotas on ext4 (linux mode, root). Without usrquota the panel says so in
// GET /api/system/info and measures usage by walking homes. With usrquota it switches user quota
// on: where the kernel has the quota formats, setquota limits the account (EDQUOT for its own
// writes, repquota shows the plan's limits, a plan change moves them); where it lacks them (this
// machine's kernel: "Quota format not supported in kernel") the status carries the kernel's
// reason and the panel keeps walking homes, never pretending.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeLeftoverUsers, waitForDiskUsage } from '../accounts/linux-users.js';
import { requireRoot } from '../bed/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { loopFs, sh, type LoopFs } from './loop-fs.js';

const root = requireRoot();
const prefix = `vpu${randomBytes(3).toString('hex')}`;
const ids = (name: string) => {
  const f = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))!
    .split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
};

describe.skipIf(root.skip)('disk quotas on ext4 (user quota)', () => {
  const mounted: LoopFs[] = [];
  let h: HostingPanel | undefined;
  const start = (fs: LoopFs) =>
    startHostingPanel({
      mode: 'linux',
      homeBase: fs.homes,
      extra: ['system'],
      plugins: {
        accounts: { free_disk_quota_mb: 4, free_inodes: 1000, pro_disk_quota_mb: 12, disk_usage_every: 'every 1s' },
      },
    });
  afterAll(async () => {
    await h?.stop().catch(() => undefined);
    removeLeftoverUsers(prefix);
    for (const fs of mounted) fs.remove();
  });

  it('without usrquota: says so, and measures usage by walking the home', async () => {
    const fs = loopFs('ext4');
    mounted.push(fs);
    h = await start(fs);
    const info = (await h.panel.request('GET', '/api/system/info')).body.data;
    expect(info.disk_quota).toEqual({
      enforced: false,
      method: 'none',
      inodes: false,
      detail: `${fs.mount} (ext4) is not mounted with usrquota`,
    });
    const a = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }),
      })
    ).body.data;
    writeFileSync(path.join(a.home_dir, 'public_html', 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 1));
    expect(await waitForDiskUsage(h.panel, a.id, 3)).toBeGreaterThanOrEqual(3);
    await h.stop();
    h = undefined;
  });

  it("with usrquota: enforces the plan where the kernel can, else reports the kernel's reason", async () => {
    const fs = loopFs('ext4-usrquota');
    mounted.push(fs);
    h = await start(fs);
    const info = (await h.panel.request('GET', '/api/system/info')).body.data;
    const a = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}b`, domain: `${prefix}b.test` }),
      })
    ).body.data;
    expect(a).toMatchObject({ username: `${prefix}b` });
    if (!info.disk_quota.enforced) {
      expect(info.disk_quota).toMatchObject({ method: 'none' });
      expect(info.disk_quota.detail).toMatch(
        new RegExp(`^user quota on ${fs.mount} cannot be switched on: .*not supported`),
      );
      return;
    }
    expect(info.disk_quota).toMatchObject({ method: 'user-quota', inodes: true });
    const limits = () => sh('quota', '-u', '-w', '-p', '--', a.username);
    expect(limits()).toMatch(/\b4096\b.*\b1000\b/);
    const w = spawnSync(
      'dd',
      ['if=/dev/zero', `of=${path.join(a.home_dir, 'big.bin')}`, 'bs=1M', 'count=8', 'conv=fsync'],
      { ...ids(a.username), encoding: 'utf8' },
    );
    expect(w.stderr).toMatch(/Disk quota exceeded/);
    expect((await h.panel.request('GET', `/api/accounts/${a.id}`)).body.data.disk_used_mb).toBeGreaterThanOrEqual(3);
    await h.panel.request('POST', `/api/accounts/${a.id}/plan`, { body: { plan: 'pro' } });
    expect(sh('repquota', '-u', fs.mount)).toMatch(new RegExp(`${a.username}\\s+[-+]+\\s+\\d+\\s+\\d+\\s+12288`));
  });
});
