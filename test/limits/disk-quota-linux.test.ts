// Disk quotas the kernel enforces (linux mode, root): homes on a loop-mounted btrfs with qgroups.
// A process running as the account (not the panel) writes past the plan's limit and gets EDQUOT,
// the API's disk_used_mb is the quota report's, a plan change moves the limit, and drift made
// behind the panel's back is set right at the next start.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { removeLeftoverUsers, waitForDiskUsage } from '../accounts/linux-users.js';
import {
  accountBody,
  openTempDir,
  startHostingPanel,
  waitReconciled,
  type HostingPanel,
} from '../webserver/helpers.js';
import { loopFs, qgroup, sh, writeAs, type LoopFs } from './loop-fs.js';

const root = requireRoot();
const prefix = `vpq${randomBytes(3).toString('hex')}`;
const MiB = 1024 * 1024;

describe.skipIf(root.skip)('disk quotas enforced by the kernel (btrfs qgroups)', () => {
  let fs: LoopFs;
  let dataDir: string;
  let h: HostingPanel | undefined;
  const start = () =>
    startHostingPanel({
      mode: 'linux',
      homeBase: fs.homes,
      extra: ['system'],
      config: { data_dir: dataDir, log_level: 'error' } as never,
      plugins: { accounts: { free_disk_quota_mb: 4, pro_disk_quota_mb: 12, disk_usage_every: 'every 1s' } },
    });
  beforeAll(async () => {
    fs = loopFs('btrfs');
    dataDir = openTempDir('velopanel-data-');
    h = await start();
  });
  afterAll(async () => {
    await h?.stop().catch(() => undefined);
    removeLeftoverUsers(prefix);
    fs?.remove();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  let a: any;

  it('says what it enforces in GET /api/system/info', async () => {
    const info = (await h!.panel.request('GET', '/api/system/info')).body.data;
    expect(info.disk_quota).toMatchObject({ enforced: true, method: 'btrfs-qgroup', inodes: false });
    expect(info.disk_quota.detail).toContain(fs.mount);
  });

  it('stops a process of the account at the hard limit with EDQUOT, and the API shows the usage', async () => {
    const res = await h!.panel.request('POST', '/api/accounts', {
      body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }),
    });
    expect(res.body).toMatchObject({ ok: true });
    a = res.body.data;
    expect(qgroup(fs, a.home_dir).max).toBe(4 * MiB);
    const w = writeAs(a.username, path.join(a.home_dir, 'public_html', 'big.bin'), 8);
    expect(w.status).not.toBe(0);
    expect(w.stderr).toMatch(/Disk quota exceeded/);
    const used = qgroup(fs, a.home_dir).used;
    expect(used).toBeGreaterThan(3 * MiB);
    const got = (await h!.panel.request('GET', `/api/accounts/${a.id}`)).body.data;
    expect(got.disk_used_mb).toBe(Math.ceil(used / MiB));
  });

  it('moves the limit with a plan change, and refuses an unknown plan changing nothing', async () => {
    const bad = await h!.panel.request('POST', `/api/accounts/${a.id}/plan`, { body: { plan: 'gold' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('must be free, pro or business');
    expect(qgroup(fs, a.home_dir).max).toBe(4 * MiB);
    const res = await h!.panel.request('POST', `/api/accounts/${a.id}/plan`, { body: { plan: 'pro' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ plan: 'pro', disk_quota_mb: 12 });
    expect(qgroup(fs, a.home_dir).max).toBe(12 * MiB);
    rmSync(path.join(a.home_dir, 'public_html', 'big.bin'));
    expect(writeAs(a.username, path.join(a.home_dir, 'public_html', 'big.bin'), 8).status).toBe(0);
  });

  it('keeps the limit through suspend and unsuspend', async () => {
    sh('btrfs', 'qgroup', 'limit', 'none', a.home_dir);
    await h!.panel.request('POST', `/api/accounts/${a.id}/suspend`);
    expect(qgroup(fs, a.home_dir).max).toBe(12 * MiB);
    await h!.panel.request('POST', `/api/accounts/${a.id}/unsuspend`);
    expect(qgroup(fs, a.home_dir).max).toBe(12 * MiB);
  });

  it('repairs a limit changed behind its back at the next start', async () => {
    sh('btrfs', 'qgroup', 'limit', 'none', a.home_dir);
    await h!.stop();
    h = await start();
    const report = (await waitReconciled(h.panel)).accounts;
    expect(report.notes.join('\n')).toContain(`${a.username}: disk quota none MB`);
    expect(report.notes.join('\n')).toContain('differed from the pro plan and were set again');
    expect(qgroup(fs, a.home_dir).max).toBe(12 * MiB);
  });

  it('never limits the whole filesystem for a home that is a plain directory (as a restore swaps in)', async () => {
    const b = (
      await h!.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}b`, domain: `${prefix}b.test` }),
      })
    ).body.data;
    await h!.stop();
    sh('cp', '-a', b.home_dir, `${b.home_dir}.plain`);
    sh('btrfs', 'subvolume', 'delete', b.home_dir);
    sh('mv', `${b.home_dir}.plain`, b.home_dir);
    h = await start();
    const report = (await waitReconciled(h.panel)).accounts;
    expect(report.failed).toContainEqual({
      username: b.username,
      step: 'limits',
      error: `${b.home_dir} is not a btrfs subvolume, so it cannot carry its own limit`,
    });
    const top = sh('btrfs', 'qgroup', 'show', '-re', '--raw', fs.mount)
      .split('\n')
      .find((l) => l.startsWith('0/5 '))!
      .trim()
      .split(/\s+/);
    expect(top[3]).toBe('none');
    expect(writeAs(b.username, path.join(b.home_dir, 'public_html', 'ok.bin'), 2).status).toBe(0);
    // No qgroup covers it: its usage is measured by walking it instead.
    expect(await waitForDiskUsage(h.panel, b.id, 2)).toBeGreaterThanOrEqual(2);
  });

  it('deletes the account and its home (a subvolume)', async () => {
    expect((await h!.panel.request('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
    expect(existsSync(a.home_dir)).toBe(false);
  });
});
