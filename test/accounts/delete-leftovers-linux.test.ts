// Nothing of a deleted account outlives it (linux mode, root, real users): a process it keeps in
// another root (where userdel does not look) is stopped, its files in /tmp, /var/tmp and /dev/shm
// go (a setuid copy of bash first of all), and the next account never gets its uid or gid back.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { systemIds, useLinuxPanel } from './linux-panel.js';
import { SLEEP, tenantProcess } from './tenant-procs.js';

const root = requireRoot();
const prefix = `vpo${randomBytes(3).toString('hex')}`;

describe.skipIf(root.skip)('deleting an account leaves nothing of it running or owned (linux mode)', () => {
  const { request, create } = useLinuxPanel(prefix, () => {
    for (const p of ['/var/tmp', '/tmp', '/dev/shm'])
      spawnSync('find', [p, '-maxdepth', '1', '-name', `${prefix}*`, '-exec', 'rm', '-rf', '--', '{}', '+']);
  });

  it('stops a process in another root, removes its shared temp files and never hands its uid to the next account', async () => {
    const gone = await create('a');
    const own = systemIds(gone.username);
    const hidden = tenantProcess(SLEEP, '/', own);
    const files = [
      `/var/tmp/${prefix}-bash`,
      `/tmp/${prefix}-note`,
      `/dev/shm/${prefix}-shm`,
      `/tmp/${prefix}-dir/inner`,
    ];
    try {
      await hidden.ready;
      const made = spawnSync(
        'sh',
        [
          '-c',
          `cp /bin/bash ${files[0]} && chmod 4755 ${files[0]} && echo x > ${files[1]} && echo y > ${files[2]}` +
            ` && mkdir /tmp/${prefix}-dir && touch ${files[3]}`,
        ],
        { ...own, encoding: 'utf8' },
      );
      expect(made.stderr).toBe('');
      expect(statSync(files[0]!).mode & 0o4000).toBe(0o4000);
      // One it can neither reach nor delete (a root-only folder): it stays, without its setgid bit.
      const locked = `/tmp/${prefix}-locked`;
      mkdirSync(locked, { mode: 0o700 });
      copyFileSync('/bin/bash', `${locked}/bash`);
      chownSync(`${locked}/bash`, own.uid, own.gid);
      chmodSync(`${locked}/bash`, 0o2755);

      const res = await request('DELETE', `/api/accounts/${gone.id}`);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
      expect(hidden.running()).toBe(false);
      expect(await hidden.exited).toBe('SIGKILL');
      for (const f of [...files, `/tmp/${prefix}-dir`])
        expect({ f, exists: existsSync(f) }).toEqual({ f, exists: false });
      expect(statSync(`/tmp/${prefix}-locked/bash`).mode & 0o7777).toBe(0o755);
    } finally {
      await hidden.stop();
    }

    const next = await create('b');
    const fresh = systemIds(next.username);
    expect(fresh.uid).toBeGreaterThan(own.uid);
    expect(fresh.gid).toBeGreaterThan(own.gid);
    expect(fresh.uid).toBe(fresh.gid);
    expect((await request('DELETE', `/api/accounts/${next.id}`)).status).toBe(200);
  });
});
