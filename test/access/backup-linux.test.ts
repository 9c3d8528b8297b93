// Keys, cron jobs and an admin-set shell travel in a backup (the `access` settings section) and
// come back on restore: rows, authorized_keys and the crontab as before.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const root = requireRoot();
const prefix = `vpb${randomBytes(2).toString('hex')}`;
const crontab = (user: string) => spawnSync('crontab', ['-l', '-u', user]).stdout.toString();

describe.skipIf(root.skip)('access settings in backups (linux mode)', () => {
  let h: HostingPanel;
  let a: any;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'access-backup-'));
  const api = (method: string, p: string, body?: unknown) =>
    h.panel.request(method, p, body === undefined ? {} : { body });
  beforeAll(async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kept@backup', '-f', path.join(dir, 'k')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host')]);
    const match = path.join(dir, 'velopanel.conf');
    writeFileSync(path.join(dir, 'sshd_config'), `HostKey ${path.join(dir, 'host')}\nInclude ${match}\n`);
    h = await startHostingPanel({
      engine: 'veloserve',
      mode: 'linux',
      extra: ['access', 'backups'],
      plugins: {
        access: {
          sshd_config: path.join(dir, 'sshd_config'),
          match_file: match,
          sshd_pid_file: path.join(dir, 'none.pid'),
        },
      },
    });
    a = (await api('POST', '/api/accounts', accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }))).body
      .data;
  });
  afterAll(async () => {
    await h?.stop();
    removeLeftoverUsers(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores keys, jobs and shell as they were at the backup', async () => {
    expect(
      (
        await api('POST', `/api/accounts/${a.id}/ssh-keys`, {
          public_key: readFileSync(path.join(dir, 'k.pub'), 'utf8'),
        })
      ).status,
    ).toBe(201);
    const job = (
      await api('POST', `/api/accounts/${a.id}/cron`, {
        schedule: '@hourly',
        command: 'echo 100% > tmp/p',
        email: 'ops@example.com',
      })
    ).body.data;
    expect(
      (await api('POST', `/api/accounts/${a.id}/cron`, { schedule: '0 4 * * 0', command: 'echo off', enabled: false }))
        .status,
    ).toBe(201);
    expect((await api('PUT', `/api/accounts/${a.id}/shell`, { shell: 'nologin' })).status).toBe(200);
    const keysBefore = (await api('GET', `/api/accounts/${a.id}/ssh-keys`)).body.data.keys;
    const tabBefore = crontab(a.username);
    const made = await api('POST', `/api/backups/accounts/${a.id}`);
    expect(made.status, JSON.stringify(made.body)).toBe(200);

    await api('DELETE', `/api/accounts/${a.id}/cron/${job.id}`);
    await api('DELETE', `/api/accounts/${a.id}/ssh-keys/${keysBefore[0].id}`);
    await api('PUT', `/api/accounts/${a.id}/shell`, { shell: null });
    expect(crontab(a.username)).not.toContain('100');

    const restored = await api('POST', `/api/backups/accounts/${a.id}/restore/${made.body.data.filename}`);
    expect(restored.body.data?.items, JSON.stringify(restored.body)).toContainEqual({
      item: 'settings:access',
      status: 'restored',
    });
    const keys = (await api('GET', `/api/accounts/${a.id}/ssh-keys`)).body.data;
    expect(keys).toMatchObject({ shell: 'nologin', source: 'admin' });
    expect(keys.keys.map((k: any) => [k.fingerprint, k.comment])).toEqual(
      keysBefore.map((k: any) => [k.fingerprint, k.comment]),
    );
    expect(readFileSync(path.join(a.home_dir, '.ssh', 'authorized_keys'), 'utf8')).toContain('kept@backup');
    expect(crontab(a.username).replace(/# job \d+/g, '')).toBe(tabBefore.replace(/# job \d+/g, ''));
    expect(
      (await api('GET', `/api/accounts/${a.id}/cron`)).body.data.jobs.map((j: any) => [j.schedule, j.enabled]),
    ).toEqual([
      ['@hourly', true],
      ['0 4 * * 0', false],
    ]);
  });
});
