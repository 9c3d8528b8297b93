// Deleting an account is complete or rolled back (linux mode for real, real nginx). A failure
// before the point of no return (status, login, lock, vhosts, hooks) leaves the account as it
// was: serving, its user unlocked, its login working. A failure after it (domains, login, user,
// home) leaves the account 'deleting' with the failed step named, and a repeated DELETE finishes.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { requireRoot } from '../bed/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { getVia, startPrivateNginx, type PrivateNginx } from '../webserver/private-nginx.js';
import { removeLeftoverUsers, shadowField } from './linux-users.js';

const root = requireRoot();
const BEFORE = ['mark', 'login-off', 'lock', 'vhosts', 'hooks'];
const AFTER = ['domains', 'login', 'user', 'home'];
const prefix = `vpd${randomBytes(3).toString('hex')}`;
const password = 'Delete-Pass-123';
const hooked: string[] = [];
let vetoing = true;
const vetoer = definePlugin({
  manifest: { id: 'vetoer', version: '1.0.0', sdk: '^1.0.0', dependencies: ['domains'] },
  start(ctx) {
    ctx.hooks.before('account.delete', ({ account }) => {
      hooked.push(account.username);
      return vetoing && account.username.endsWith('veto') ? { veto: 'it still holds data' } : undefined;
    });
  },
});
const passwd = (name: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
    ?.split(':') ?? null;
const passwdUid = (name: string) => passwd(name)?.[2] ?? null;

describe.skipIf(root.skip)('account delete: complete or rolled back (linux mode)', () => {
  let nginx: PrivateNginx;
  beforeAll(async () => {
    nginx = await startPrivateNginx();
  });
  afterAll(async () => {
    await nginx?.stop();
    removeLeftoverUsers(prefix);
  });

  async function withAccount(
    step: string,
    username: string,
    run: (h: HostingPanel, a: any) => Promise<void>,
  ): Promise<void> {
    const h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      nginx,
      inline: [vetoer],
      plugins: { accounts: { fail_delete_at: step } },
    });
    try {
      const a = (
        await h.panel.request('POST', '/api/accounts', {
          body: accountBody({ username, domain: `${username}.test`, password }),
        })
      ).body.data;
      await h.panel.request('POST', '/api/domains', {
        body: { account_id: a.id, domain_name: `${username}-addon.test`, domain_type: 'addon' },
      });
      writeFileSync(path.join(a.home_dir, 'public_html', 'index.html'), 'still here');
      await run(h, a);
    } finally {
      await h.stop();
    }
  }
  const login = (h: HostingPanel, username: string) =>
    h.panel.request('POST', '/api/auth/login', { as: 'anon', body: { username, password } });

  async function expectIntact(h: HostingPanel, a: any, status: 'active' | 'suspended'): Promise<void> {
    expect((await h.panel.request('GET', `/api/accounts/${a.id}`)).body.data.status).toBe(status);
    const page = await getVia(nginx.port, a.primary_domain);
    expect(page.status).toBe(status === 'active' ? 200 : 503);
    if (status === 'active') expect(page.body).toBe('still here');
    expect(readdirSync(nginx.sitesDir).sort()).toEqual([`${a.username}-addon.test.conf`, `${a.username}.test.conf`]);
    expect(shadowField(a.username)).toMatch(status === 'active' ? /^\$6\$/ : /^!\$6\$/);
    // Expired while suspended (so key logins are refused too), never while active.
    expect(
      readFileSync('/etc/shadow', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`${a.username}:`))!
        .split(':')[7],
    ).toBe(status === 'active' ? '' : '1');
    expect((await login(h, a.username)).status).toBe(status === 'active' ? 200 : 403);
    expect(existsSync(path.join(a.home_dir, 'public_html', 'index.html'))).toBe(true);
  }

  async function expectGone(h: HostingPanel, a: any): Promise<void> {
    const res = await h.panel.request('DELETE', `/api/accounts/${a.id}`);
    expect({ status: res.status, body: res.body.data }).toEqual({
      status: 200,
      body: { id: a.id, username: a.username, deleted: true },
    });
    expect(passwdUid(a.username)).toBeNull();
    expect(existsSync(a.home_dir)).toBe(false);
    expect(readdirSync(nginx.sitesDir)).toEqual([]);
    expect((await getVia(nginx.port, a.primary_domain)).status).toBe(404);
    expect((await h.panel.request('GET', '/api/domains')).body.data).toEqual([]);
    expect(await h.panel.kernel.users!.findByUsername(a.username)).toBeNull();
    expect((await h.panel.request('GET', `/api/accounts/${a.id}`)).status).toBe(404);
  }

  it.each(BEFORE)('a failure after "%s" puts the account back as it was; a retry deletes it', async (step) => {
    await withAccount(step, `${prefix}b${BEFORE.indexOf(step)}`, async (h, a) => {
      const res = await h.panel.request('DELETE', `/api/accounts/${a.id}`);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 500,
        error: `Injected failure after delete step '${step}'`,
      });
      await expectIntact(h, a, 'active');
      await expectGone(h, a);
    });
  });

  it.each(AFTER)('a failure after "%s" leaves the account deleting; a repeated DELETE finishes it', async (step) => {
    await withAccount(step, `${prefix}a${AFTER.indexOf(step)}`, async (h, a) => {
      const res = await h.panel.request('DELETE', `/api/accounts/${a.id}`);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 500,
        error: `Deleting account '${a.username}' failed at step '${step}': Injected failure after delete step '${step}'. The account is marked 'deleting'; repeat the DELETE to finish it.`,
      });
      expect((await h.panel.request('GET', `/api/accounts/${a.id}`)).body.data.status).toBe('deleting');
      expect((await getVia(nginx.port, a.primary_domain)).status).toBe(404);
      expect((await login(h, a.username)).status).not.toBe(200);
      expect((await h.panel.request('POST', `/api/accounts/${a.id}/unsuspend`)).status).toBe(409);
      expect(
        (
          await h.panel.request('POST', '/api/domains', {
            body: { account_id: a.id, domain_name: `${a.username}-new.test`, domain_type: 'addon' },
          })
        ).status,
      ).toBe(409);
      await expectGone(h, a);
    });
  });

  it('a suspended account whose delete fails stays suspended: locked, login refused, suspended page', async () => {
    await withAccount('vhosts', `${prefix}s`, async (h, a) => {
      expect((await h.panel.request('POST', `/api/accounts/${a.id}/suspend`)).status).toBe(200);
      expect((await h.panel.request('DELETE', `/api/accounts/${a.id}`)).status).toBe(500);
      await expectIntact(h, a, 'suspended');
      await expectGone(h, a);
    });
  });

  it('a vetoing hook keeps the account intact, naming the plugin; once it agrees, the delete goes through', async () => {
    await withAccount('', `${prefix}veto`, async (h, a) => {
      const res = await h.panel.request('DELETE', `/api/accounts/${a.id}`);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 409,
        error: "Refused by plugin 'vetoer': it still holds data",
      });
      expect(hooked).toContain(a.username);
      await expectIntact(h, a, 'active');
      vetoing = false;
      await expectGone(h, a);
    });
  });

  it('a process running as the user does not block the delete: logins closed, the process stopped, the user removed', async () => {
    await withAccount('', `${prefix}p`, async (h, a) => {
      const [, , uid, gid] = passwd(a.username)!;
      const sleeper = spawn('sleep', ['120'], { uid: Number(uid), gid: Number(gid), stdio: 'ignore' });
      const exited = new Promise((r) => sleeper.once('exit', (_code, signal) => r(signal)));
      try {
        const res = await h.panel.request('DELETE', `/api/accounts/${a.id}`);
        expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
        expect(await exited).toBe('SIGKILL');
        expect(passwd(a.username)).toBeNull();
        expect(existsSync(a.home_dir)).toBe(false);
      } finally {
        sleeper.kill('SIGKILL');
        await exited;
      }
    });
  });
});
