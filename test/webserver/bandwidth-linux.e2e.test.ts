// Bandwidth in linux mode (real users, nginx's master as root, workers as the web group): the
// per-domain logs are written in a directory of the panel's that no tenant can read or change,
// and the bytes still reach the account.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { requireRoot } from '../bed/index.js';
import { collect, fetchBytes, usage } from './bandwidth-helpers.js';
import { accountBody, startHostingPanel, type HostingPanel } from './helpers.js';

const root = requireRoot();
const prefix = `vpb${randomBytes(3).toString('hex')}`;
const ids = (name: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))!
    .split(':')
    .slice(2, 4)
    .map(Number) as [number, number];

describe.skipIf(root.skip)('bandwidth in linux mode', () => {
  let h: HostingPanel;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx', mode: 'linux', extra: ['bandwidth'] });
  });
  afterAll(async () => {
    await h?.stop();
    removeLeftoverUsers(prefix);
  });

  it('counts the bytes, and a tenant can neither read nor truncate its log', async () => {
    const acc = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }),
      })
    ).body.data;
    const bytes = await fetchBytes(h.nginx!.port, acc.primary_domain, '/');
    expect((await collect(h)).bytes).toBe(bytes);
    expect(await usage(h, acc.id)).toBe(bytes);
    const dir = h.nginx!.pluginConfig.access_log_dir as string;
    const log = path.join(dir, `${acc.id}_${acc.primary_domain}.log`);
    expect(statSync(dir).mode & 0o777).toBe(0o750);
    expect(statSync(dir).uid).toBe(0);
    const [uid, gid] = ids(acc.username);
    for (const [cmd, args] of [
      ['cat', [log]],
      ['truncate', ['-s', '0', log]],
    ] as const) {
      const r = spawnSync(cmd, [...args], { uid, gid, encoding: 'utf8' });
      expect(r.status, `${cmd} as the tenant`).not.toBe(0);
      expect(r.stderr).toMatch(/Permission denied/);
    }
    expect(statSync(log).size).toBeGreaterThan(0);
  });
});
