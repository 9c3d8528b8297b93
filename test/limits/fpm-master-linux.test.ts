// Per-account php-fpm masters (php `account_masters`, linux mode, root, the bed's php-fpm 8.2 and
// nginx, cgroup v1 here): the master enters the account's groups before it runs, so a PHP
// request's worker is in the account's group at once (the placement sweep is stretched to an
// hour, so it plays no part), a memory hog in PHP is contained by the plan's memory_mb, suspend
// stops the master and unsuspend starts it, and delete removes it with the groups.
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { fetchVhost } from '../bed/helpers/http.js';
import { requireRoot, useServices } from '../bed/index.js';
import { bedNginx } from '../webserver/bed-nginx.js';
import { accountBody, openTempDir, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const bed = useServices('nginx', 'phpfpm');
const root = requireRoot();
const prefix = `vpm${randomBytes(3).toString('hex')}`;
const CG = '/sys/fs/cgroup';
const inGroup = (pid: number, u: string) => {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  return ['memory', 'cpu', 'pids'].every((c) =>
    new RegExp(`^\\d+:([^:]*,)?${c}(,[^:]*)?:/velopanel/${u}$`, 'm').test(lines),
  );
};
const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

describe.skipIf(bed.skip || root.skip)('per-account php-fpm masters start inside the account cgroups', () => {
  let h: HostingPanel;
  let a: any;
  let masters: string;
  let homes: string;
  let dataDir: string;
  let start: (perAccount?: boolean) => Promise<HostingPanel>;
  const get = (file: string) => fetchVhost({ port: bed.nginx.httpPort, host: a.primary_domain, path: `/${file}` });
  const config = async () => (await h.panel.request('GET', `/api/php/config/${a.id}`)).body.data;

  beforeAll(async () => {
    masters = mkdtempSync(path.join(os.tmpdir(), 'velopanel-masters-'));
    const nginx = bedNginx(bed.nginx);
    const f = bed.phpfpm;
    homes = openTempDir('velopanel-homes-');
    dataDir = openTempDir('velopanel-data-');
    start = (perAccount = true) =>
      startHostingPanel({
        engine: 'nginx',
        mode: 'linux',
        nginx,
        extra: ['php', 'system'],
        homeBase: homes,
        config: { data_dir: dataDir } as never,
        plugins: {
          accounts: { free_memory_mb: 64, free_max_processes: 30, limits_sweep_every: 'every 1h' },
          php: {
            pool_dir: f.poolDir,
            fpm_config: f.confPath,
            fpm_prefix: f.prefix,
            pid_file: path.join(f.prefix, 'php-fpm.pid'),
            socket_dir: f.socketDir,
            web_user: f.listenOwner,
            account_masters: perAccount,
            account_master_dir: masters,
            account_master_check_every: 'every 1s',
          },
        },
      });
    h = await start();
    const res = await h.panel.request('POST', '/api/accounts', {
      body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    a = res.body.data;
    const [uid, gid] = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${a.username}:`))!
      .split(':')
      .slice(2, 4)
      .map(Number) as [number, number];
    a.uid = uid;
    const pages = {
      'pid.php': '<?php echo getmypid();',
      'hog.php': "<?php $s = str_repeat('x', 150 * 1024 * 1024); echo strlen($s);",
    };
    for (const [name, body] of Object.entries(pages)) {
      writeFileSync(path.join(a.home_dir, 'public_html', name), body, { mode: 0o644 });
      chownSync(path.join(a.home_dir, 'public_html', name), uid, gid);
    }
  });

  afterAll(async () => {
    if (a) await h?.panel.request('DELETE', `/api/accounts/${a.id}`).catch(() => undefined);
    await h?.stop();
    // A pool left by a failed test would name a deleted user and break later reloads of the shared master.
    const left = readdirSync(bed.phpfpm.poolDir).filter((f) => f.startsWith(`vp-${prefix}`));
    for (const f of left) rmSync(path.join(bed.phpfpm.poolDir, f));
    if (left.length) process.kill(bed.phpfpm.pid, 'SIGUSR2');
    removeLeftoverUsers(prefix);
    for (const d of [masters, homes, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it("starts the account's own master inside its groups when it switches to FPM", async () => {
    const res = await h.panel.request('POST', `/api/php/version/${a.id}`, { body: { version: '8.2', mode: 'fpm' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({
      mode: 'fpm',
      applied: true,
      master: { kind: 'account', cgroup_placement: 'at start', pid: expect.any(Number) },
    });
    const pid = res.body.data.master.pid as number;
    expect(inGroup(pid, a.username)).toBe(true);
    expect(readFileSync(path.join(masters, a.username, 'pool.d', `vp-${a.username}.conf`), 'utf8')).toContain(
      `user = ${a.username}`,
    );
    // the shared master got no pool of the account
    expect(existsSync(path.join(bed.phpfpm.poolDir, `vp-${a.username}.conf`))).toBe(false);
    const info = (await h.panel.request('GET', '/api/system/info')).body.data;
    expect(info.cgroups.placement).toContain('per-account PHP-FPM masters');
  });

  it("runs a PHP request in a worker that is in the account's group from birth, without a sweep", async () => {
    const r = await get('pid.php');
    expect(r.status, r.body).toBe(200);
    const worker = Number(r.body);
    expect(uidOf(worker)).toBe(a.uid);
    expect(inGroup(worker, a.username)).toBe(true);
    expect(
      readFileSync(path.join(CG, 'memory', 'velopanel', a.username, 'cgroup.procs'), 'utf8').split('\n'),
    ).toContain(String(worker));
  });

  it('contains a memory hog in PHP by the plan memory_mb', async () => {
    const ini = await h.panel.request('POST', `/api/php/ini/${a.id}`, { body: { settings: { memory_limit: '256M' } } });
    expect(ini.status, JSON.stringify(ini.body)).toBe(200);
    const r = await get('hog.php');
    expect(r.status).toBeGreaterThanOrEqual(500);
    const mem = path.join(CG, 'memory', 'velopanel', a.username);
    expect(readFileSync(path.join(mem, 'memory.oom_control'), 'utf8')).toMatch(/oom_kill [1-9]/);
    expect(Number(readFileSync(path.join(mem, 'memory.max_usage_in_bytes'), 'utf8'))).toBeLessThanOrEqual(
      64 * 1024 * 1024,
    );
    // the master lives on and serves the next request
    expect((await get('pid.php')).status).toBe(200);
  });

  it("rewrites the pool when the plan's php_workers changes", async () => {
    const pool = path.join(masters, a.username, 'pool.d', `vp-${a.username}.conf`);
    expect(readFileSync(pool, 'utf8')).toContain('pm.max_children = 3');
    const free = (await h.panel.request('GET', '/api/plans')).body.data.find((p: any) => p.name === 'free');
    const res = await h.panel.request('PATCH', `/api/plans/${free.id}`, { body: { php_workers: 2 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await h.panel.kernel.jobs.wait(res.body.data.job_id);
    const job = (await h.panel.request('GET', `/api/jobs/${res.body.data.job_id}`)).body.data;
    expect(job.state, JSON.stringify(job)).toBe('succeeded');
    expect(readFileSync(pool, 'utf8')).toContain('pm.max_children = 2');
    expect((await get('pid.php')).status).toBe(200);
  });

  it('stops the master on suspend and starts it again, in the groups, on unsuspend', async () => {
    const pid = (await config()).master.pid as number;
    expect((await h.panel.request('POST', `/api/accounts/${a.id}/suspend`)).status).toBe(200);
    expect(alive(pid)).toBe(false);
    expect(existsSync(path.join(masters, a.username))).toBe(false);
    expect((await config()).master.pid).toBe(null);
    expect((await h.panel.request('POST', `/api/accounts/${a.id}/unsuspend`)).status).toBe(200);
    const again = (await config()).master.pid as number;
    expect(again).not.toBe(pid);
    expect(inGroup(again, a.username)).toBe(true);
    expect((await get('pid.php')).status).toBe(200);
  });

  it('starts a master that was killed again, in the groups, at the next check', async () => {
    const pid = (await config()).master.pid as number;
    process.kill(pid, 'SIGKILL');
    let again: number | null = null;
    for (let i = 0; i < 200 && (again === null || again === pid); i++)
      again = (await config()).master.pid ?? (await sleep(50), null);
    expect(again).not.toBe(pid);
    expect(inGroup(again!, a.username)).toBe(true);
    expect((await get('pid.php')).status).toBe(200);
  });

  it('starts a master that died again, in the groups, when the panel starts', async () => {
    process.kill((await config()).master.pid, 'SIGKILL');
    await h.stop();
    h = await start();
    // the php plugin reconciles its pools once the panel is ready, after the accounts plugin
    let pid: number | null = null;
    for (let i = 0; i < 200 && pid === null; i++) pid = (await config()).master.pid ?? (await sleep(50), null);
    expect(pid).toEqual(expect.any(Number));
    expect(inGroup(pid!, a.username)).toBe(true);
    expect((await get('pid.php')).status).toBe(200);
  });

  it('stops the master when per-account masters are turned off, and the shared master serves the pool', async () => {
    const pid = (await config()).master.pid as number;
    await h.stop();
    h = await start(false);
    // the php plugin reconciles once the panel is ready
    const served = async () =>
      existsSync(path.join(bed.phpfpm.poolDir, `vp-${a.username}.conf`)) && (await config()).applied === true;
    for (let i = 0; i < 200 && !(await served()); i++) await sleep(50);
    expect(alive(pid)).toBe(false);
    expect(existsSync(path.join(masters, a.username))).toBe(false);
    expect((await config()).master).toMatchObject({ kind: 'shared' });
    const r = await get('pid.php');
    expect(r.status, r.body).toBe(200);
    // a worker of the shared master is moved in by the sweep only: not from birth
    expect(uidOf(Number(r.body))).toBe(a.uid);
    await h.stop();
    h = await start(true);
    let again: number | null = null;
    for (let i = 0; i < 200 && again === null; i++) again = (await config()).master.pid ?? (await sleep(50), null);
    expect(inGroup(again!, a.username)).toBe(true);
    expect(existsSync(path.join(bed.phpfpm.poolDir, `vp-${a.username}.conf`))).toBe(false);
    expect((await get('pid.php')).status).toBe(200);
  });

  it('removes the master and the groups with the account', async () => {
    const pid = (await config()).master.pid as number;
    expect((await h.panel.request('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
    expect(alive(pid)).toBe(false);
    expect(existsSync(path.join(masters, a.username))).toBe(false);
    expect(existsSync(path.join(CG, 'memory', 'velopanel', a.username))).toBe(false);
    a = undefined;
  });
});
