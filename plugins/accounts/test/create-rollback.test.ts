// Failure at each step of account creation, in linux mode for real (root): whatever step fails,
// nothing is left — no system user or group, no home, no rows, no vhost, no panel login. Also real
// failures: nginx rejecting the vhost, and the reload command failing.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, vhostContributors } from '../../../sdk/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';
import { startPrivateNginx, type PrivateNginx } from '../../../test/webserver/private-nginx.js';
import { removeLeftoverUsers } from '../../../test/accounts/linux-users.js';

const STEPS = ['reserve', 'user', 'dirs', 'limits', 'password', 'row', 'vhost', 'login', 'activate'];
const prefix = `vpf${randomBytes(3).toString('hex')}`;

/** A contributor that gives hosts named `broken*` a certificate nginx cannot load. */
const breaker = definePlugin({
  manifest: { id: 'breaker', version: '1.0.0', sdk: '^1.0.0', provides: ['vhost-contributors'] },
  start(ctx) {
    ctx.extensions.provide(vhostContributors, 'breaker', {
      contribute(spec) {
        if (spec.domain.startsWith('broken'))
          spec.tls = { certificate: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' };
      },
    });
  },
});

/** Usernames of the creates that failed and were undone, as plugins hear of them (`account.create_failed`). */
const failedCreates: string[] = [];
const recorder = definePlugin({
  manifest: { id: 'recorder', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.hooks.after('account.create_failed', ({ account }) => void failedCreates.push(account.username));
  },
});

function systemHas(name: string): boolean {
  return ['/etc/passwd', '/etc/group', '/etc/shadow'].some((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .some((l) => l.startsWith(`${name}:`)),
  );
}

async function expectNothingLeft(h: HostingPanel, username: string): Promise<void> {
  expect(systemHas(username)).toBe(false);
  for (const group of ['memory/velopanel', 'cpuacct/velopanel', 'pids/velopanel', 'velopanel'])
    expect(existsSync(`/sys/fs/cgroup/${group}/${username}`)).toBe(false);
  expect(readdirSync(h.homeBase)).toEqual([]);
  expect(readdirSync(h.nginx!.sitesDir)).toEqual([]);
  expect((await h.panel.request('GET', '/api/accounts')).body.data).toEqual([]);
  expect((await h.panel.request('GET', '/api/domains')).body.data).toEqual([]);
  expect(await h.panel.kernel.users!.findByUsername(username)).toBeNull();
  const stats = await h.panel.kernel.knex('accounts_accounts').count({ n: '*' }).first();
  expect(Number(stats?.n)).toBe(0);
}

describe('account creation rolls back at every step (linux mode)', () => {
  let nginx: PrivateNginx;
  beforeAll(async () => {
    nginx = await startPrivateNginx();
  });
  afterAll(async () => {
    await nginx?.stop();
    removeLeftoverUsers(prefix);
  });

  it.each(STEPS)('a failure after step "%s" leaves nothing behind', async (step) => {
    const h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      nginx,
      plugins: { accounts: { fail_at: step } },
      inline: [recorder],
    });
    try {
      const username = `${prefix}${STEPS.indexOf(step)}`;
      failedCreates.length = 0;
      const res = await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username, domain: `${username}.test` }),
      });
      expect(res.status).toBe(500);
      expect(res.body.error).toBe(`Injected failure after step '${step}'`);
      await expectNothingLeft(h, username);
      // once its steps are undone, so a plugin may drop what it made early for it (a PHP pool)
      expect(failedCreates).toEqual([username]);
    } finally {
      await h.stop();
    }
  });

  it("a vhost nginx rejects fails the create with nginx's own message and leaves nothing", async () => {
    const h = await startHostingPanel({ engine: 'nginx', mode: 'linux', nginx, inline: [breaker] });
    try {
      const username = `${prefix}v`;
      const res = await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username, domain: 'broken-site.test' }),
      });
      expect(res.status).toBe(502);
      expect(res.body.error).toMatch(
        /^nginx rejected the new configuration: .*cannot load certificate "\/nonexistent\/cert\.pem"/,
      );
      await expectNothingLeft(h, username);
      // A reseller is told what failed, never the server's paths (tenants run code on this host).
      const asReseller = await h.panel.request('POST', '/api/accounts', {
        as: 'reseller',
        body: accountBody({ username, domain: 'broken-site.test' }),
      });
      expect({ status: asReseller.status, error: asReseller.body.error }).toEqual({
        status: 502,
        error: 'nginx rejected the new configuration',
      });
      await expectNothingLeft(h, username);
    } finally {
      await h.stop();
    }
  });

  it('a failing reload fails the create and leaves nothing', async () => {
    const h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      nginx,
      plugins: { nginx: { reload_command: ['/bin/false'] } },
    });
    try {
      const username = `${prefix}r`;
      const res = await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username, domain: `${username}.test` }),
      });
      expect(res.status).toBe(502);
      expect(res.body.error).toBe('nginx reload failed: exit 1');
      await expectNothingLeft(h, username);
    } finally {
      await h.stop();
    }
  });
});
