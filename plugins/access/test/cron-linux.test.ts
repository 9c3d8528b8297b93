// Cron jobs in linux mode: the crontab exactly as `crontab -l -u` shows it, hostile fields refused
// (newline, `%`, variable lines: HestiaCP's injection), the plan's limit, suspension and delete,
// jobs run through /bin/sh as cron runs them, and one job run by a real Debian cron daemon.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount } from '../../../sdk/testing/index.js';
import { requireRoot } from '../../../test/bed/index.js';
import { whileImmutable } from '../../../test/bed/helpers/immutable.js';
import { removeLeftoverUsers } from '../../../test/accounts/linux-users.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';
import { enterGroups } from '../crontab.js';
import { groupFiles, jobLines, runLikeCron } from './cron-run.js';

const root = requireRoot();
const prefix = `vpc${randomBytes(2).toString('hex')}`;
const crontab = (user: string) => {
  const r = spawnSync('crontab', ['-l', '-u', user]);
  return r.status === 0 ? r.stdout.toString() : null;
};
const passwd = (name: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))!
    .split(':');

describe.skipIf(root.skip)('cron jobs (linux mode, real crontab)', () => {
  let h: HostingPanel;
  let a: any;
  let user: { uid: number; gid: number; home: string; name: string };
  let sshdConfig = '';
  const api = (method: string, p: string, body?: unknown) =>
    h.panel.request(method as any, p, body === undefined ? {} : { body });

  beforeAll(async () => {
    // An sshd configuration that does not include the panel's Match file (shells are refused).
    sshdConfig = path.join(mkdtempSync(path.join(os.tmpdir(), 'access-cron-')), 'sshd_config');
    writeFileSync(sshdConfig, 'PasswordAuthentication no\n');
    h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      extra: ['access'],
      plugins: { access: { free_max_cron_jobs: 3, sshd_config: sshdConfig } },
    });
    const res = await api('POST', '/api/accounts', accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }));
    expect(res.status).toBe(200);
    a = res.body.data;
    const e = passwd(a.username);
    user = { uid: Number(e[2]), gid: Number(e[3]), home: a.home_dir, name: a.username };
  });
  afterAll(async () => {
    await h?.stop();
    removeLeftoverUsers(prefix);
    rmSync(path.dirname(sshdConfig), { recursive: true, force: true });
  });

  it('writes the crontab from stdin, with % escaped and the job running as the account', async () => {
    const res = await api('POST', `/api/accounts/${a.id}/cron`, {
      schedule: '*/5 * * * *',
      command: 'date +%Y > tmp/year.txt; echo 50% done > tmp/pct.txt',
      email: 'ops@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      schedule: '*/5 * * * *',
      enabled: true,
      email: 'ops@example.com',
      description: 'every 5 minutes',
    });
    expect(crontab(a.username)).toBe(
      [
        '# Managed by VeloPanel: jobs are edited in the panel; changes made here are overwritten.',
        'SHELL=/bin/sh',
        'PATH=/usr/local/bin:/usr/bin:/bin',
        `# job ${res.body.data.id}`,
        'MAILTO=ops@example.com',
        // the job enters the account's control groups first (cgroup v1 here, see test/limits/cron-cgroup-linux.test.ts)
        `*/5 * * * * ${enterGroups(groupFiles(a.username))}date +\\%Y > tmp/year.txt; echo 50\\% done > tmp/pct.txt`,
        '',
      ].join('\n'),
    );
    const lines = jobLines(crontab(a.username)!);
    expect(lines).toHaveLength(1);
    expect(runLikeCron(lines[0]!, user)).toBe(0);
    expect(readFileSync(path.join(a.home_dir, 'tmp', 'year.txt'), 'utf8').trim()).toBe(
      String(new Date().getFullYear()),
    );
    expect(readFileSync(path.join(a.home_dir, 'tmp', 'pct.txt'), 'utf8')).toBe('50% done\n');
    expect(statSync(path.join(a.home_dir, 'tmp', 'pct.txt')).uid).toBe(user.uid);
  });

  it('refuses newlines, variables and stray % in every field, and changes nothing', async () => {
    const before = crontab(a.username);
    const pwn = `/tmp/${prefix}-pwned`;
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ schedule: `* * * * *\n* * * * * touch ${pwn}`, command: 'true' }, /schedule/],
      [{ schedule: '* * * * * FOO=1', command: 'true' }, /schedule/],
      [{ schedule: 'MAILTO=evil@example.com', command: 'true' }, /schedule/],
      [{ schedule: '@reboot', command: 'true' }, /schedule: @reboot/],
      [{ schedule: '61 * * * *', command: 'true' }, /minute "61"/],
      [{ schedule: '* * * * %', command: 'true' }, /schedule/],
      [{ schedule: '* * * * *', command: `true\n* * * * * touch ${pwn}` }, /command: must be one line/],
      [{ schedule: '* * * * *', command: 'true\nMAILTO=evil@example.com' }, /command: must be one line/],
      [{ schedule: '* * * * *', command: 'true\r\nPATH=/tmp' }, /command: must be one line/],
      [{ schedule: '* * * * *', command: `echo \\%; touch ${pwn}` }, /backslash before %/],
      [{ schedule: '* * * * *', command: 'true', email: 'a@example.com\nFOO=1' }, /email/],
      [{ schedule: '* * * * *', command: 'true', email: 'a@example.com FOO=1' }, /email/],
      [{ schedule: '* * * * *', command: 'true', email: '"x"@example.com' }, /email/],
    ];
    for (const [body, message] of bad) {
      const res = await api('POST', `/api/accounts/${a.id}/cron`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    const id = (await api('GET', `/api/accounts/${a.id}/cron`)).body.data.jobs[0].id;
    for (const body of [
      { command: `x\n* * * * * touch ${pwn}` },
      { schedule: '@daily\nFOO=1' },
      { email: 'x@example.com\nSHELL=/tmp/sh' },
    ]) {
      expect((await api('PATCH', `/api/accounts/${a.id}/cron/${id}`, body)).status).toBe(400);
    }
    expect(crontab(a.username)).toBe(before);
    expect((await api('GET', `/api/accounts/${a.id}/cron`)).body.data.jobs).toHaveLength(1);
    expect(existsSync(pwn)).toBe(false);
  });

  it("holds the plan's limit, and leaves disabled jobs out of the crontab", async () => {
    const ids: number[] = [];
    for (const command of ['echo two', 'echo three'])
      ids.push((await api('POST', `/api/accounts/${a.id}/cron`, { schedule: '@daily', command })).body.data.id);
    const over = await api('POST', `/api/accounts/${a.id}/cron`, { schedule: '@hourly', command: 'echo four' });
    expect(over.status).toBe(403);
    expect(over.body.error).toMatch(/limit.*3\/3/);
    expect(jobLines(crontab(a.username)!)).toHaveLength(3);
    const off = await api('PATCH', `/api/accounts/${a.id}/cron/${ids[0]}`, { enabled: false });
    expect(off.body.data).toMatchObject({ enabled: false, description: 'once a day (00:00)' });
    expect(crontab(a.username)).not.toContain('echo two');
    expect((await api('DELETE', `/api/accounts/${a.id}/cron/${ids[1]}`)).status).toBe(200);
    expect(jobLines(crontab(a.username)!)).toHaveLength(1);
  });

  it('takes the crontab away while suspended and gives it back', async () => {
    const before = crontab(a.username);
    expect((await api('POST', `/api/accounts/${a.id}/suspend`)).status).toBe(200);
    expect(crontab(a.username)).toBeNull();
    expect((await api('POST', `/api/accounts/${a.id}/unsuspend`)).status).toBe(200);
    expect(crontab(a.username)).toBe(before);
  });

  it('runs a job with a real Debian cron daemon', async () => {
    const mark = path.join(a.home_dir, 'tmp', 'cron-daemon.txt');
    const res = await api('POST', `/api/accounts/${a.id}/cron`, {
      schedule: '@daily',
      command: 'id -un > tmp/cron-daemon.txt',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(
      (await api('PATCH', `/api/accounts/${a.id}/cron/${res.body.data.id}`, { schedule: '* * * * *' })).status,
    ).toBe(200);
    rmSync('/run/crond.pid', { force: true });
    const cron = spawn('/usr/sbin/cron', ['-f', '-L', '15'], { stdio: 'ignore' });
    try {
      const end = Date.now() + 75_000;
      while (!existsSync(mark) && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
      expect(readFileSync(mark, 'utf8').trim()).toBe(a.username);
    } finally {
      cron.kill('SIGTERM');
    }
  }, 90_000);

  it('refuses a shell sshd would not enforce (no Include of the Match file), changing nothing', async () => {
    const res = await api('PUT', `/api/accounts/${a.id}/shell`, { shell: 'sftp-only' });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/sshd does not read the panel's Match file/);
    expect(passwd(a.username)[6]).toBe('/bin/bash');
    expect(statSync(a.home_dir).uid).toBe(user.uid);
    expect((await api('GET', `/api/accounts/${a.id}/shell`)).body.data).toMatchObject({
      shell: 'full',
      source: 'plan',
    });
  });

  it('records every change in the audit log', async () => {
    const entries = (await api('GET', '/api/audit?limit=100')).body.data as any[];
    const mine = entries.filter((e) => e.target === `account:${a.id}`).map((e) => `${e.method} ${e.route} ${e.ok}`);
    expect(mine).toEqual(
      expect.arrayContaining([
        'POST /api/accounts/:id/cron true',
        'POST /api/accounts/:id/cron false',
        'PATCH /api/accounts/:id/cron/:job_id true',
        'DELETE /api/accounts/:id/cron/:job_id true',
        'TASK access.cron.suspend true',
        'TASK access.cron.unsuspend true',
      ]),
    );
  });

  it("vetoes a delete whose crontab cannot be removed: what failed to the reseller, crontab's words to an admin", async () => {
    const r = await createTestAccount(h.panel, `${prefix}r`);
    const job = await h.panel.request('POST', `/api/accounts/${r.id}/cron`, {
      as: 'reseller',
      body: { schedule: '0 3 * * *', command: 'true' },
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const file = `/var/spool/cron/crontabs/${r.username}`;
    const del = (as: 'admin' | 'reseller') => h.panel.request('DELETE', `/api/accounts/${r.id}`, { as });
    // An immutable crontab file: even root's crontab -r cannot delete it.
    const refused = await whileImmutable(file, async () => [await del('reseller'), await del('admin')]);
    const said = `Refused by plugin 'access': could not remove the crontab of ${r.username}: crontab -r failed for ${r.username}`;
    expect(refused.map((x) => [x.status, x.body.code])).toEqual([
      [409, 'VETOED'],
      [409, 'VETOED'],
    ]);
    expect(refused[0]!.body.error).toBe(said);
    expect(refused[1]!.body.error).toMatch(new RegExp(`^${said}: .*/var/spool/cron/.*Operation not permitted`));
    // The veto put the account back as it was; once crontab can delete, the delete goes through.
    expect(crontab(r.username)).toContain('0 3 * * *');
    expect((await del('reseller')).status).toBe(200);
    expect(existsSync(file)).toBe(false);
  });

  it('removes the crontab with the account', async () => {
    expect(crontab(a.username)).not.toBeNull();
    expect((await api('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
    expect(existsSync(`/var/spool/cron/crontabs/${a.username}`)).toBe(false);
  });
});
