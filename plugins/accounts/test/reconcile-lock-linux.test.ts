// Start-up reconciliation in linux mode (root) when users and homes exist but drifted: a
// suspended account's user unlocked behind the panel's back is locked again, an active one's user
// locked by hand is unlocked, a skeleton directory removed from a home is made again, and an
// account in step is left alone. The start-up check skips rows from one read of /etc/passwd and
// /etc/shadow (issue 24: 10,000 accounts): this shows that the skip misses none of these repairs.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireRoot } from '../../../test/bed/index.js';
import { restartSetup, startHostingPanel, waitReconciled } from '../../../test/webserver/helpers.js';
import { startFirstLinuxPanel } from './linux-restart.js';
import { removeLeftoverUsers, shadowField } from '../../../test/accounts/linux-users.js';

const root = requireRoot();
const prefix = `vpl${randomBytes(3).toString('hex')}`;
const sh = (cmd: string, ...args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
};
/** The expiry day field of /etc/shadow ('' when none). */
const expiry = (name: string) => {
  const r = spawnSync('getent', ['shadow', name], { encoding: 'utf8' });
  return r.stdout.trim().split(':')[7] ?? '';
};

describe.skipIf(root.skip)('start-up reconciliation of drifted lock state and skeletons (linux mode)', () => {
  const bed = restartSetup(() => removeLeftoverUsers(prefix));

  it('locks, unlocks and fills in what drifted, and touches nothing in step', async () => {
    const { opts, first, create } = await startFirstLinuxPanel(bed, prefix);
    const [s, a, k, q] = [await create('s'), await create('a'), await create('k'), await create('q')];
    expect((await first.panel.request('POST', `/api/accounts/${s.id}/suspend`)).status).toBe(200);
    await first.stop();

    // s (suspended): its user unlocked and unexpired by hand. a (active): its user locked by hand.
    // k: its tmp/ removed. q: in step.
    sh('usermod', '--unlock', '--expiredate', '', '--', s.username);
    sh('usermod', '--lock', '--', a.username);
    rmSync(path.join(k.home_dir, 'tmp'), { recursive: true });
    const quiet = shadowField(q.username);

    const second = await startHostingPanel(opts);
    try {
      const report = (await waitReconciled(second.panel)).accounts;
      expect(report).toMatchObject({
        locked: [s.username],
        unlocked: [a.username],
        recreated_homes: [k.username],
        recreated_users: [],
        failed: [],
      });
      expect(report.notes.join('\n')).toContain(`${k.username}: missing tmp made again in ${k.home_dir}`);
      expect(shadowField(s.username)).toMatch(/^!/);
      expect(expiry(s.username)).not.toBe('');
      expect(shadowField(a.username)).toMatch(/^\$/);
      expect(existsSync(path.join(k.home_dir, 'tmp'))).toBe(true);
      expect(shadowField(q.username)).toBe(quiet);
      expect(JSON.stringify(report)).not.toContain(q.username);
    } finally {
      await second.stop();
    }
  });
});
