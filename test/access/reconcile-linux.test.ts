// Start-up of the access plugin on the same data: a crontab lost while the panel was down (a
// vetoed delete, a hand edit) is installed again from the rows, a shell change cut short is
// finished, and rows of accounts that no longer exist are dropped.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { accountBody, restartSetup, startHostingPanel } from '../webserver/helpers.js';

const root = requireRoot();
const prefix = `vpr${randomBytes(2).toString('hex')}`;
const crontab = (user: string) => {
  const r = spawnSync('crontab', ['-l', '-u', user]);
  return r.status === 0 ? r.stdout.toString() : null;
};

describe.skipIf(root.skip)('access plugin start-up (linux mode)', () => {
  const bed = restartSetup(() => removeLeftoverUsers(prefix));

  it('reinstalls lost crontabs from the rows and drops rows of deleted accounts', async () => {
    const { nginx, dataDir, homes } = bed;
    // An sshd configuration including the panel's Match file (no sshd runs here).
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dataDir, 'host')]);
    const match = path.join(dataDir, 'velopanel.conf');
    writeFileSync(path.join(dataDir, 'sshd_config'), `HostKey ${path.join(dataDir, 'host')}\nInclude ${match}\n`);
    const access = {
      sshd_config: path.join(dataDir, 'sshd_config'),
      match_file: match,
      sshd_pid_file: path.join(dataDir, 'none.pid'),
    };
    const opts = {
      engine: 'nginx' as const,
      mode: 'linux' as const,
      nginx,
      homeBase: homes,
      config: { data_dir: dataDir },
      extra: ['access'],
      plugins: { access },
    };
    const first = await startHostingPanel(opts);
    let name = '';
    try {
      const a = (
        await first.panel.request('POST', '/api/accounts', {
          body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }),
        })
      ).body.data;
      name = a.username;
      expect(
        (
          await first.panel.request('POST', `/api/accounts/${a.id}/cron`, {
            body: { schedule: '@daily', command: 'echo kept' },
          })
        ).status,
      ).toBe(201);
      const t = '2026-01-01 00:00:00';
      await first.panel.kernel.knex('access_cron_jobs').insert({
        account_id: 4242,
        schedule: '@daily',
        command: 'echo orphan',
        enabled: true,
        email: null,
        created_at: t,
        updated_at: t,
      });
      // A shell change that stopped after its row (a crash): start-up finishes it.
      await first.panel.kernel.knex('access_shells').insert({ account_id: a.id, shell: 'nologin' });
    } finally {
      await first.stop();
    }
    spawnSync('crontab', ['-u', name, '-r']);
    expect(crontab(name)).toBeNull();
    const second = await startHostingPanel(opts);
    try {
      for (let i = 0; i < 200 && !crontab(name); i++) await sleep(50);
      expect(crontab(name)).toContain('@daily echo kept\n');
      expect(readFileSync(match, 'utf8')).toContain(`Match User ${name}\n    PubkeyAuthentication no`);
      expect(readFileSync('/etc/passwd', 'utf8')).toMatch(new RegExp(`^${name}:.*:/usr/sbin/nologin$`, 'm'));
      for (
        let i = 0;
        i < 100 && (await second.panel.kernel.knex('access_cron_jobs').where({ account_id: 4242 })).length;
        i++
      )
        await sleep(50);
      expect(await second.panel.kernel.knex('access_cron_jobs').where({ account_id: 4242 })).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
