// Start-up reconciliation in linux mode for real (root): system users that vanished behind the
// panel's back are made again — with their former uid when it is free, locked when the account is
// suspended, without a password (the report says so) — a vanished home gets its skeleton with the
// right owners and modes, and a panel-made user no account knows is reported but left alone.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireRoot } from '../../../test/bed/index.js';
import { restartSetup, startHostingPanel, waitReconciled } from '../../../test/webserver/helpers.js';
import { startFirstLinuxPanel } from './linux-restart.js';
import { getVia } from '../../../test/webserver/private-nginx.js';
import { removeLeftoverUsers, shadowField } from '../../../test/accounts/linux-users.js';

const root = requireRoot();
const prefix = `vpr${randomBytes(3).toString('hex')}`;
const passwd = (name: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
    ?.split(':') ?? null;
const groupId = (name: string) =>
  Number(
    readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`))
      ?.split(':')[2],
  );
const sh = (cmd: string, ...args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
};

describe.skipIf(root.skip)('start-up reconciliation of system users and homes (linux mode)', () => {
  const bed = restartSetup(() => removeLeftoverUsers(prefix));

  it('makes vanished users and homes again, reports it, and leaves unknown users alone', async () => {
    const { nginx, homes } = bed;
    const { opts, first, create } = await startFirstLinuxPanel(bed, prefix);
    const [a, s, c] = [await create('a'), await create('s'), await create('c')];
    writeFileSync(path.join(a.home_dir, 'public_html', 'index.html'), 'a still serves');
    await first.panel.request('POST', `/api/accounts/${s.id}/suspend`);
    const uidOf = (x: any) => Number(passwd(x.username)![2]);
    const [uidA, uidC] = [uidOf(a), uidOf(c)];
    await first.stop();

    // a: the user vanished, its home stayed. s (suspended): user and home gone. c: user gone and
    // its uid taken by someone else meanwhile. o: a panel-made user no account knows.
    for (const x of [a, s, c]) sh('userdel', '--', x.username);
    rmSync(s.home_dir, { recursive: true });
    sh('useradd', '--no-create-home', '--uid', String(uidC), '--', `${prefix}t`);
    sh(
      'useradd',
      '--no-create-home',
      '--home-dir',
      path.join(homes, `${prefix}o`),
      '--comment',
      'VeloPanel account',
      '--',
      `${prefix}o`,
    );

    const second = await startHostingPanel(opts);
    try {
      const report = (await waitReconciled(second.panel)).accounts;
      expect(report).toMatchObject({
        rolled_back: [],
        recreated_users: [a.username, s.username, c.username],
        recreated_homes: [s.username],
        missing_users: [],
        missing_homes: [],
        orphan_users: [`${prefix}o`],
        orphan_homes: [],
        failed: [],
      });
      const notes = report.notes.join('\n');
      for (const x of [a, s, c]) expect(notes).toContain(`${x.username}: system user made again`);
      expect(notes).toContain('without a password, since the old one cannot be recovered');
      expect(notes).toContain(
        `${a.username}: system user made again (uid ${uidA}) without a password, since the old one cannot be recovered;` +
          ` it cannot log in over SSH or SFTP until a password is set with POST /api/accounts/${a.id}/password`,
      );
      expect(notes).toContain(`${c.username}: the former uid/gid ${uidC}/`);

      expect(uidOf(a)).toBe(uidA);
      expect(statSync(path.join(a.home_dir, 'public_html', 'index.html')).uid).toBe(uidA);
      expect(await getVia(nginx.port, a.primary_domain)).toEqual({ status: 200, body: 'a still serves' });

      const uidC2 = uidOf(c);
      expect(uidC2).not.toBe(uidC);
      for (const p of ['', 'public_html', 'public_html/index.html', 'tmp'])
        expect(statSync(path.join(c.home_dir, p)).uid, p).toBe(uidC2);
      const row = await second.panel.kernel.knex('accounts_accounts').where({ id: c.id }).first();
      expect(row.uid).toBe(uidC2);

      expect(shadowField(s.username)).toMatch(/^!/);
      const web = groupId('www-data');
      const st = (p: string) => statSync(path.join(s.home_dir, p));
      expect(st('')).toMatchObject({ uid: uidOf(s), gid: web });
      expect(st('').mode & 0o7777).toBe(0o750);
      expect(st('public_html').mode & 0o7777).toBe(0o2750);
      expect(st('logs').mode & 0o7777).toBe(0o750);
      expect(st('tmp').mode & 0o7777).toBe(0o700);
      expect(st('public_html/index.html')).toMatchObject({ uid: uidOf(s), gid: web });
      expect((await getVia(nginx.port, s.primary_domain)).status).toBe(503);
      expect(passwd(`${prefix}o`)).not.toBeNull();

      // Deleting a recreated account works as any other.
      expect((await second.panel.request('DELETE', `/api/accounts/${s.id}`)).status).toBe(200);
      expect(passwd(s.username)).toBeNull();
    } finally {
      await second.stop();
    }
  });
});
