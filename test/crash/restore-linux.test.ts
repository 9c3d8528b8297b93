// Linux mode for real (root): a restore killed between its two renames, with a system user whose
// files the restore chowns. After the restart the verified restored copy is the home — owned by
// the account, the home itself with the owner and mode it had — and nothing is left beside it.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { requireRoot } from '../bed/index.js';
import { accountBody } from '../webserver/helpers.js';
import { crashBed } from './bed.js';
import { childReconciled, killAt } from './kill-panel.js';

const root = requireRoot();
const prefix = `vpk${randomBytes(3).toString('hex')}`;

describe.skipIf(root.skip)('a restore killed between its renames (linux mode)', () => {
  const bed = crashBed('linux');
  let account: any;
  let filename: string;
  beforeAll(async () => {
    const first = await bed.restart();
    account = (
      await first.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}a`, domain: `${prefix}.test` }),
      })
    ).body.data;
    writeFileSync(path.join(account.home_dir, 'public_html', 'index.html'), 'backed up');
    filename = (await first.panel.request('POST', '/api/backups/accounts/1')).body.data.filename;
    await first.stop();
  });
  afterAll(() => removeLeftoverUsers(prefix));

  it('puts the restored home in place, owned by the account, with nothing beside it', async () => {
    const home = statSync(account.home_dir);
    writeFileSync(path.join(account.home_dir, 'public_html', 'index.html'), 'changed since');
    await killAt('backups.restore.home-aside', bed.options(), async (child) => {
      await childReconciled(child);
      expect(await child.request('POST', `/api/backups/accounts/1/restore/${filename}`)).toBeNull();
    });
    expect(readdirSync(bed.homes).filter((n) => n.startsWith('.vp-')).length).toBe(2);
    const after = await bed.restart();
    try {
      const { accounts, notes } = await bed.recovered(after.panel);
      const index = path.join(account.home_dir, 'public_html', 'index.html');
      expect(readFileSync(index, 'utf8')).toBe('backed up');
      const uid = Number(
        readFileSync('/etc/passwd', 'utf8')
          .split('\n')
          .find((l) => l.startsWith(`${account.username}:`))!
          .split(':')[2],
      );
      expect(statSync(index).uid).toBe(uid);
      expect(statSync(account.home_dir)).toMatchObject({ uid: home.uid, gid: home.gid, mode: home.mode });
      expect(accounts).toMatchObject({ recreated_homes: [], missing_homes: [], failed: [] });
      expect(readdirSync(bed.homes).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(notes).toEqual([
        `${account.username}: a restore was interrupted while swapping in its home; the verified restored copy is now in place of ${account.home_dir}`,
      ]);
    } finally {
      await after.stop();
    }
  });
});
