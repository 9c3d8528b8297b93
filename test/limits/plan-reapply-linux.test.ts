// Editing a plan sets its limits again on every account on it (linux mode, root): homes on a
// loop-mounted btrfs with qgroups, and this machine's writable cgroup v1 hierarchies. PATCH
// /api/plans/:id answers at once with a job; when the job ends (progress 100, one step per
// account) each account's qgroup limit and cgroup limits are the plan's new ones, and an account
// on another plan is left as it was.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { requireRoot } from '../bed/index.js';
import { accountBody, type HostingPanel, startHostingPanel } from '../webserver/helpers.js';
import { loopFs, qgroup, type LoopFs } from './loop-fs.js';

const root = requireRoot();
const prefix = `vpr${randomBytes(3).toString('hex')}`;
const MiB = 1024 * 1024;
const cgroup = (ctl: string, u: string, file: string) =>
  readFileSync(path.join('/sys/fs/cgroup', ctl, 'velopanel', u, file), 'utf8').trim();

describe.skipIf(root.skip)('a plan edit re-applies its limits to its accounts as a job', () => {
  let fs: LoopFs;
  let h: HostingPanel | undefined;
  const accounts: any[] = [];
  let other: any;
  let planId: number;
  const req = (method: string, p: string, body?: unknown) => h!.panel.request(method, p, { body });

  beforeAll(async () => {
    fs = loopFs('btrfs');
    h = await startHostingPanel({
      mode: 'linux',
      homeBase: fs.homes,
      extra: ['system'],
      plugins: { accounts: { free_disk_quota_mb: 4 } },
    });
    const info = (await req('GET', '/api/system/info')).body.data;
    expect(info.disk_quota).toMatchObject({ enforced: true, method: 'btrfs-qgroup' });
    expect(info.cgroups).toMatchObject({ enforced: true });
    planId = (
      await req('POST', '/api/plans', {
        name: `p${prefix}`,
        disk_quota_mb: 8,
        bandwidth_quota_mb: 100,
        memory_mb: 32,
        max_processes: 20,
      })
    ).body.data.id;
    for (const n of ['a', 'b']) {
      const res = await req(
        'POST',
        '/api/accounts',
        accountBody({ username: `${prefix}${n}`, domain: `${prefix}${n}.test`, plan: `p${prefix}` }),
      );
      expect(res.body).toMatchObject({ ok: true });
      accounts.push(res.body.data);
    }
    other = (await req('POST', '/api/accounts', accountBody({ username: `${prefix}c`, domain: `${prefix}c.test` })))
      .body.data;
  });
  afterAll(async () => {
    for (const a of [...accounts, other]) if (a) await req('DELETE', `/api/accounts/${a.id}`).catch(() => undefined);
    await h?.stop().catch(() => undefined);
    removeLeftoverUsers(prefix);
    fs?.remove();
  });

  it("starts the accounts with the plan's limits", () => {
    for (const a of accounts) {
      expect(qgroup(fs, a.home_dir).max).toBe(8 * MiB);
      expect(cgroup('memory', a.username, 'memory.limit_in_bytes')).toBe(String(32 * MiB));
      expect(cgroup('pids', a.username, 'pids.max')).toBe('20');
    }
  });

  it('sets the edited limits on every account of the plan through a job with progress', async () => {
    const res = await req('PATCH', `/api/plans/${planId}`, { disk_quota_mb: 16, memory_mb: 48, max_processes: null });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ disk_quota_mb: 16, memory_mb: 48, max_processes: null, accounts: 2 });
    await h!.panel.kernel.jobs.wait(res.body.data.job_id);
    const record = (await req('GET', `/api/jobs/${res.body.data.job_id}`)).body.data;
    expect(record).toMatchObject({
      kind: 'accounts.plan-apply',
      state: 'succeeded',
      progress: 100,
      message: '2 of 2 accounts',
    });
    expect(record.result).toEqual({ plan: `p${prefix}`, accounts: 2, applied: 2, failed: [] });
    for (const a of accounts) {
      expect(qgroup(fs, a.home_dir).max).toBe(16 * MiB);
      expect(cgroup('memory', a.username, 'memory.limit_in_bytes')).toBe(String(48 * MiB));
      expect(cgroup('pids', a.username, 'pids.max')).toBe('max');
      expect((await req('GET', `/api/accounts/${a.id}`)).body.data.disk_quota_mb).toBe(16);
    }
    expect(qgroup(fs, other.home_dir).max).toBe(4 * MiB);
    expect((await req('GET', `/api/accounts/${other.id}`)).body.data.disk_quota_mb).toBe(4);
  });
});
