// End to end through a real nginx: an account's site, addon and alias are served, suspension
// shows the suspended page (ACME challenges still answered), deletion leaves the default 404.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from './helpers.js';
import { getVia } from './private-nginx.js';

describe('accounts and domains served by nginx', () => {
  let h: HostingPanel;
  let account: any;
  const body = accountBody({ username: 'alice', domain: 'alice-site.test' });
  const get = (host: string, p = '/') => getVia(h.nginx!.port, host, p);

  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('creates the account with its home, default page and vhost', async () => {
    const res = await h.panel.request('POST', '/api/accounts', { body });
    expect(res.status).toBe(200);
    account = res.body.data;
    expect(account).toMatchObject({
      username: 'alice',
      primary_domain: 'alice-site.test',
      email: body.email,
      plan: 'free',
      status: 'active',
      disk_quota_mb: 500,
      bandwidth_quota_mb: 10000,
      disk_used_mb: 0,
      home_dir: path.join(h.homeBase, 'alice'),
    });
    expect(account.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    for (const d of ['public_html', 'logs', 'tmp']) expect(existsSync(path.join(account.home_dir, d))).toBe(true);
    const page = await get('alice-site.test');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>alice-site.test</h1>');
  });

  it('serves what the account writes to public_html', async () => {
    writeFileSync(path.join(account.home_dir, 'public_html', 'index.html'), '<p>hello from alice</p>');
    expect(await get('alice-site.test')).toEqual({ status: 200, body: '<p>hello from alice</p>' });
  });

  it('serves an addon domain from its own root and an alias from the primary root', async () => {
    const addon = await h.panel.request('POST', '/api/domains', {
      body: { account_id: account.id, domain_name: 'alice-blog.test', domain_type: 'addon' },
    });
    expect(addon.status).toBe(200);
    expect(addon.body.data).toMatchObject({
      domain_name: 'alice-blog.test',
      domain_type: 'addon',
      document_root: path.join(account.home_dir, 'alice-blog.test'),
    });
    writeFileSync(path.join(addon.body.data.document_root, 'index.html'), 'the blog');
    expect(await get('alice-blog.test')).toEqual({ status: 200, body: 'the blog' });

    const alias = await h.panel.request('POST', '/api/domains', {
      body: { account_id: account.id, domain_name: 'alice-alias.test', domain_type: 'alias' },
    });
    expect(alias.status).toBe(200);
    expect(alias.body.data.alias_of).toBeGreaterThan(0);
    expect(await get('alice-alias.test')).toEqual({ status: 200, body: '<p>hello from alice</p>' });

    const sub = await h.panel.request('POST', '/api/domains', {
      body: { account_id: account.id, domain_name: 'shop.alice-site.test', domain_type: 'subdomain' },
    });
    expect(sub.status).toBe(200);
    writeFileSync(path.join(sub.body.data.document_root, 'index.html'), 'the shop');
    expect(await get('shop.alice-site.test')).toEqual({ status: 200, body: 'the shop' });

    const list = await h.panel.request('GET', `/api/domains/account/${account.id}`);
    expect(list.body.data.map((d: any) => d.domain_type).sort()).toEqual(['addon', 'alias', 'primary', 'subdomain']);
  });

  it('shows the suspended page while suspended, still answering ACME challenges, and restores the site', async () => {
    const wellKnown = path.join(account.home_dir, 'public_html', '.well-known', 'acme-challenge');
    mkdirSync(wellKnown, { recursive: true });
    writeFileSync(path.join(wellKnown, 'tok123'), 'key-authorization');

    const res = await h.panel.request('POST', `/api/accounts/${account.id}/suspend`);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('suspended');
    for (const host of ['alice-site.test', 'alice-alias.test', 'alice-blog.test']) {
      const page = await get(host);
      expect(page.status).toBe(503);
      expect(page.body).toContain('This account has been suspended');
    }
    expect(await get('alice-site.test', '/.well-known/acme-challenge/tok123')).toEqual({
      status: 200,
      body: 'key-authorization',
    });

    const back = await h.panel.request('POST', `/api/accounts/${account.id}/unsuspend`);
    expect(back.body.data.status).toBe('active');
    expect(await get('alice-site.test')).toEqual({ status: 200, body: '<p>hello from alice</p>' });
    expect(await get('alice-blog.test')).toEqual({ status: 200, body: 'the blog' });
  });

  it('deletes the account: every host falls back to the default 404 and the home is gone', async () => {
    const res = await h.panel.request('DELETE', `/api/accounts/${account.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: account.id, deleted: true });
    for (const host of ['alice-site.test', 'alice-alias.test', 'alice-blog.test', 'shop.alice-site.test'])
      expect((await get(host)).status).toBe(404);
    expect(existsSync(account.home_dir)).toBe(false);
    expect(readdirSync(h.nginx!.sitesDir)).toEqual([]);
    expect((await h.panel.request('GET', '/api/domains')).body.data).toEqual([]);
    expect((await h.panel.request('GET', `/api/accounts/${account.id}`)).status).toBe(404);
  });
});
