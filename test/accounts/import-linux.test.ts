// Bulk import in linux mode (root, real system users): the rows are made 4 at a time, so their
// useradd/groupadd calls run in parallel; every account gets its own user and id, its home owned
// by it, a site nginx serves after the one reload, and a panel login with its password.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getVia } from '../webserver/private-nginx.js';
import { systemIds, useLinuxPanel } from './linux-panel.js';

const prefix = `vpi${randomBytes(3).toString('hex')}`;

describe('account import in linux mode', () => {
  const { request, nginxPort } = useLinuxPanel(prefix);

  it('makes a real user per row, each served and able to log in', async () => {
    const accounts = Array.from({ length: 10 }, (_, i) => ({
      username: `${prefix}${i}`,
      domain: `${prefix}${i}.test`,
      email: `l${i}@example.com`,
      password: `Linux-Import-${i}`,
    }));
    const res = await request('POST', '/api/accounts/import', { body: { accounts } });
    expect(res.body.data).toMatchObject({ status: 'ok', failed: [], reloaded: true });
    const uids = new Set<number>();
    for (const made of res.body.data.created) {
      const { uid } = systemIds(made.username);
      uids.add(uid);
      const home = (await request('GET', `/api/accounts/${made.id}`)).body.data.home_dir;
      expect(statSync(`${home}/tmp`).uid).toBe(uid);
      expect((await getVia(nginxPort(), made.primary_domain)).status).toBe(200);
      const password = accounts.find((a) => a.username === made.username)!.password;
      expect(
        (await request('POST', '/api/auth/login', { body: { username: made.username, password }, as: 'anon' })).status,
      ).toBe(200);
    }
    expect(uids.size).toBe(accounts.length);
  });
});
