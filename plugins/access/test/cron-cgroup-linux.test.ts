// A cron job of an account starts inside the account's control groups (cgroup v1, linux mode, a
// real crontab, the placement sweep stretched to an hour so it plays no part): the job's shell
// writes its own pid into its group's cgroup.procs, which the account may write for its own
// processes only. It cannot put itself into another account's group, nor leave its own.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftoverUsers } from '../../../test/accounts/linux-users.js';
import { groupFiles, jobLines, runLikeCron } from './cron-run.js';
import { requireRoot } from '../../../test/bed/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';

const root = requireRoot();
const prefix = `vpk${randomBytes(2).toString('hex')}`;
const ids = (name: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))!
    .split(':')
    .slice(2, 4)
    .map(Number) as [number, number];
const crontab = (user: string) => spawnSync('crontab', ['-l', '-u', user]).stdout.toString();

describe.skipIf(root.skip)('cron jobs start inside the account cgroups', () => {
  let h: HostingPanel;
  const acc: any[] = [];
  const api = (method: string, p: string, body?: unknown) =>
    h.panel.request(method as any, p, body === undefined ? {} : { body });
  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      extra: ['access'],
      plugins: { accounts: { limits_sweep_every: 'every 1h' } },
    });
    for (const t of ['a', 'b']) {
      const res = await api(
        'POST',
        '/api/accounts',
        accountBody({ username: `${prefix}${t}`, domain: `${prefix}${t}.test` }),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      acc.push(res.body.data);
    }
  });
  afterAll(async () => {
    for (const a of acc) await api('DELETE', `/api/accounts/${a.id}`);
    await h?.stop();
    removeLeftoverUsers(prefix);
  });

  it("runs a job whose processes are in the account's groups from their start", async () => {
    const [a] = acc;
    expect(
      (
        await api('POST', `/api/accounts/${a.id}/cron`, {
          schedule: '0 * * * *',
          command: 'cat /proc/self/cgroup > tmp/cg.txt',
        })
      ).status,
    ).toBe(201);
    for (const f of groupFiles(a.username)) expect(statSync(f).uid).toBe(ids(a.username)[0]);
    const [uid, gid] = ids(a.username);
    const line = jobLines(crontab(a.username))[0]!;
    expect(runLikeCron(line, { uid, gid, home: a.home_dir, name: a.username })).toBe(0);
    const cg = readFileSync(path.join(a.home_dir, 'tmp', 'cg.txt'), 'utf8');
    for (const c of ['memory', 'cpu', 'pids'])
      expect(cg).toMatch(new RegExp(`^\\d+:([^:]*,)?${c}(,[^:]*)?:/velopanel/${a.username}$`, 'm'));
  });

  it("cannot enter another account's group, nor leave its own", () => {
    const [a, b] = acc;
    const [uid, gid] = ids(a.username);
    const into = spawnSync('sh', ['-c', `echo $$ > /sys/fs/cgroup/memory/velopanel/${b.username}/cgroup.procs`], {
      uid,
      gid,
      encoding: 'utf8',
    });
    expect(into.status).not.toBe(0);
    expect(into.stderr).toMatch(/Permission denied/);
    const out = spawnSync(
      'sh',
      [
        '-c',
        `echo $$ > /sys/fs/cgroup/memory/velopanel/${a.username}/cgroup.procs && echo $$ > /sys/fs/cgroup/memory/cgroup.procs`,
      ],
      { uid, gid, encoding: 'utf8' },
    );
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/Permission denied/);
  });
});
