// CPU, memory and process limits through cgroups (linux mode, root; this machine has writable
// cgroup v1 hierarchies and no systemd): an account's group carries its plan's limits, a process
// running as the account is moved into it, a memory hog there is OOM-killed, a plan change and a
// restart after drift set the limits again, and the group goes with the account (even with a root
// process still in it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftoverUsers } from '../../../test/accounts/linux-users.js';
import { requireRoot } from '../../../test/bed/index.js';
import { passwdIds } from '../../../test/bed/users.js';
import {
  accountBody,
  openTempDir,
  startHostingPanel,
  waitReconciled,
  type HostingPanel,
} from '../../../test/webserver/helpers.js';

const root = requireRoot();
const prefix = `vpc${randomBytes(3).toString('hex')}`;
const CG = '/sys/fs/cgroup';
const group = (ctl: string, u: string) => path.join(CG, ctl, 'velopanel', u);
const value = (ctl: string, u: string, file: string) => readFileSync(path.join(group(ctl, u), file), 'utf8').trim();
const ids = (name: string) => passwdIds(name)!;
const inGroup = (pid: number, u: string) => {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  return ['memory', 'cpu', 'pids'].every((c) =>
    new RegExp(`^\\d+:([^:]*,)?${c}(,[^:]*)?:/velopanel/${u}$`, 'm').test(lines),
  );
};
const exited = (p: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    p.on('exit', (code, signal) => resolve({ code, signal })),
  );

describe.skipIf(root.skip)('CPU, memory and process limits through cgroups', () => {
  let h: HostingPanel | undefined;
  let homes: string;
  let dataDir: string;
  const children: ChildProcess[] = [];
  const start = () =>
    startHostingPanel({
      mode: 'linux',
      homeBase: homes,
      extra: ['system'],
      config: { data_dir: dataDir } as never,
      plugins: {
        accounts: {
          free_memory_mb: 32,
          free_cpu_percent: 50,
          free_max_processes: 20,
          pro_memory_mb: 64,
          limits_sweep_every: 'every 1s',
        },
      },
    });
  beforeAll(async () => {
    homes = openTempDir('velopanel-homes-');
    dataDir = openTempDir('velopanel-data-');
    h = await start();
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await h?.stop().catch(() => undefined);
    removeLeftoverUsers(prefix);
    for (const d of [homes, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });
  let a: any;

  it('says in GET /api/system/info that cgroups are enforced, and how', async () => {
    const info = (await h!.panel.request('GET', '/api/system/info')).body.data;
    expect(info.cgroups).toMatchObject({ enforced: true, method: 'cgroup-v1' });
    expect(info.cgroups.placement).toContain("SSH and SFTP sessions enter the account's groups at session start");
  });

  it("makes the account's group with its plan's limits and moves its processes in", async () => {
    const res = await h!.panel.request('POST', '/api/accounts', {
      body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }),
    });
    expect(res.body).toMatchObject({ ok: true });
    a = res.body.data;
    expect(value('memory', a.username, 'memory.limit_in_bytes')).toBe(String(32 * 1024 * 1024));
    expect(value('cpu', a.username, 'cpu.cfs_quota_us')).toBe('50000');
    expect(value('cpu', a.username, 'cpu.cfs_period_us')).toBe('100000');
    expect(value('pids', a.username, 'pids.max')).toBe('20');
    const p = spawn('sleep', ['120'], { ...ids(a.username), stdio: 'ignore' });
    children.push(p);
    for (let i = 0; i < 100 && !inGroup(p.pid!, a.username); i++) await sleep(100);
    expect(inGroup(p.pid!, a.username)).toBe(true);
    expect(value('pids', a.username, 'cgroup.procs').split('\n')).toContain(String(p.pid));
    // Its usage shows on the account: this machine's cpuacct is a hierarchy of its own, so the
    // account has a group there too and CPU time is a number, not null.
    const usage = (await h!.panel.request('GET', `/api/accounts/${a.id}`)).body.data.resource_usage;
    expect(usage.processes).toBeGreaterThanOrEqual(1);
    expect(usage.memory_mb).toBeGreaterThanOrEqual(0);
    expect(typeof usage.cpu_seconds).toBe('number');
    expect(usage).toMatchObject({ memory_limit_mb: 32, measured_at: expect.any(String) });
    const listed = (await h!.panel.request('GET', '/api/accounts')).body.data.find(
      (x: { id: number }) => x.id === a.id,
    );
    expect(listed.resource_usage.processes).toBeGreaterThanOrEqual(1);
    p.kill('SIGKILL');
    await exited(p);
  });

  it('contains a memory hog running as the account: the kernel kills it', async () => {
    // The hog waits until the sweep has moved it into the group, then holds ~512 MB in one "line".
    const hog = spawn(
      'sh',
      [
        '-c',
        `while ! grep -q ':memory:/velopanel/${a.username}$' /proc/self/cgroup; do sleep 0.1; done; head -c 512m /dev/zero | tail`,
      ],
      { ...ids(a.username), stdio: 'ignore' },
    );
    children.push(hog);
    const end = await exited(hog);
    expect(end.code).not.toBe(0);
    expect(value('memory', a.username, 'memory.oom_control')).toMatch(/oom_kill [1-9]/);
    expect(Number(value('memory', a.username, 'memory.max_usage_in_bytes'))).toBeLessThanOrEqual(32 * 1024 * 1024);
  });

  it('sets the limits of the new plan on a plan change', async () => {
    const res = await h!.panel.request('POST', `/api/accounts/${a.id}/plan`, { body: { plan: 'pro' } });
    expect(res.body.data).toMatchObject({ plan: 'pro' });
    expect(value('memory', a.username, 'memory.limit_in_bytes')).toBe(String(64 * 1024 * 1024));
    expect(value('cpu', a.username, 'cpu.cfs_quota_us')).toBe('-1');
    expect(value('pids', a.username, 'pids.max')).toBe('max');
  });

  it('sets limits changed behind its back again at the next start', async () => {
    writeFileSync(path.join(group('pids', a.username), 'pids.max'), '5');
    await h!.stop();
    h = await start();
    const notes = (await waitReconciled(h.panel)).accounts.notes.join('\n');
    expect(notes).toContain(
      `${a.username}: cgroup limits cpu none%, memory 64 MB, processes 5 differed from the pro plan and were set again`,
    );
    expect(value('pids', a.username, 'pids.max')).toBe('max');
  });

  it('removes the groups with the account, moving out a root process still in them', async () => {
    // sshd's per-connection process (root) is put in the groups by the PAM session hook and leaves
    // only once the session is closed: a group with a process in it cannot be removed.
    const sshdLike = spawn('sleep', ['120'], { stdio: 'ignore' });
    children.push(sshdLike);
    for (const c of ['memory', 'cpu', 'cpuacct', 'pids'])
      writeFileSync(path.join(group(c, a.username), 'cgroup.procs'), String(sshdLike.pid));
    expect((await h!.panel.request('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
    for (const c of ['memory', 'cpu', 'cpuacct', 'pids']) expect(existsSync(group(c, a.username))).toBe(false);
    expect(sshdLike.exitCode).toBeNull();
    expect(readFileSync(`/proc/${sshdLike.pid}/cgroup`, 'utf8')).toMatch(/^\d+:memory:\/$/m);
  });
});
