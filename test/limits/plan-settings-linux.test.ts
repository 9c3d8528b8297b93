// A plan made through /api/plans (linux mode, real crontab) gives its accounts its own cron job
// limit and shell instead of the access plugin's `free_*` keys: past max_cron_jobs a job is
// refused with the seed-style 403 and no crontab line, and the plan's shell is the account's.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { requireRoot } from '../bed/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const root = requireRoot();
const prefix = `vps${randomBytes(2).toString('hex')}`;
const crontab = (user: string) => {
  const r = spawnSync('crontab', ['-l', '-u', user]);
  return r.status === 0 ? r.stdout.toString() : null;
};

describe.skipIf(root.skip)("a custom plan's cron limit and shell", () => {
  let h: HostingPanel;
  let a: any;
  let sshdConfig = '';
  const api = (method: string, p: string, body?: unknown) =>
    h.panel.request(method as any, p, body === undefined ? {} : { body });
  beforeAll(async () => {
    sshdConfig = path.join(mkdtempSync(path.join(os.tmpdir(), 'plan-settings-')), 'sshd_config');
    writeFileSync(sshdConfig, 'PasswordAuthentication no\n');
    // The free keys would allow 3 jobs and an sftp-only shell; the plan says 1 and full.
    h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      extra: ['access', 'backups'],
      plugins: { access: { free_max_cron_jobs: 3, free_shell: 'sftp-only', sshd_config: sshdConfig } },
    });
    expect(
      (
        await api('POST', '/api/plans', {
          name: 'crony',
          disk_quota_mb: 100,
          bandwidth_quota_mb: 100,
          max_cron_jobs: 1,
          shell: 'full',
        })
      ).status,
    ).toBe(200);
    const res = await api(
      'POST',
      '/api/accounts',
      accountBody({ username: `${prefix}a`, domain: `${prefix}a.test`, plan: 'crony' }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    a = res.body.data;
  });
  afterAll(async () => {
    if (a) await api('DELETE', `/api/accounts/${a.id}`);
    await h?.stop();
    removeLeftoverUsers(prefix);
    rmSync(path.dirname(sshdConfig), { recursive: true, force: true });
  });

  it("refuses a cron job past the plan's max_cron_jobs with 403", async () => {
    expect((await api('GET', `/api/accounts/${a.id}/cron`)).body.data.max_jobs).toBe(1);
    expect((await api('POST', `/api/accounts/${a.id}/cron`, { schedule: '0 * * * *', command: 'true' })).status).toBe(
      201,
    );
    const over = await api('POST', `/api/accounts/${a.id}/cron`, { schedule: '5 * * * *', command: 'date' });
    expect({ status: over.status, error: over.body.error }).toEqual({
      status: 403,
      error: 'Cron job limit of the plan reached (1/1)',
    });
    expect(crontab(a.username)).not.toContain('5 * * * * date');
  });

  it("gives the account the plan's shell", async () => {
    const res = await api('GET', `/api/accounts/${a.id}/shell`);
    expect(res.body.data).toMatchObject({ shell: 'full', source: 'plan', plan_shell: 'full' });
  });

  it("holds a restore that recreates the account to the plan's cron limit too", async () => {
    const plan = (await api('GET', '/api/plans')).body.data.find((p: any) => p.name === 'crony');
    expect((await api('PATCH', `/api/plans/${plan.id}`, { max_cron_jobs: 2 })).status).toBe(200);
    expect((await api('POST', `/api/accounts/${a.id}/cron`, { schedule: '5 * * * *', command: 'date' })).status).toBe(
      201,
    );
    const made = await api('POST', `/api/backups/accounts/${a.id}`);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect((await api('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
    expect((await api('PATCH', `/api/plans/${plan.id}`, { max_cron_jobs: 1 })).status).toBe(200);
    const restored = await api('POST', `/api/backups/accounts/${a.id}/restore/${made.body.data.filename}`);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.data.items).toContainEqual({
      item: 'settings:access',
      status: 'failed',
      error: "access.cron: 2 jobs exceed the crony plan's limit of 1",
    });
    a = (await api('GET', '/api/accounts')).body.data.find((x: any) => x.username === a.username);
    expect((await api('GET', `/api/accounts/${a.id}/cron`)).body.data.jobs).toEqual([]);
  });
});
