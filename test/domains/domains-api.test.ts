// The domains API: types and their rules, default document roots, deletion (vhost gone, alias
// folded out of its primary's block), and who may see or change which domains.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { getVia } from '../webserver/private-nginx.js';

describe('domains API', () => {
  let h: HostingPanel;
  let bound: any; // account 1: the harness's user login is bound to it; admin-owned
  let resold: any; // owned by the harness's reseller
  const post = (body: unknown, as: 'admin' | 'reseller' | 'user' = 'admin') =>
    h.panel.request('POST', '/api/domains', { body, as });
  const names = (res: any) => res.body.data.map((d: any) => d.domain_name).sort();
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
    bound = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'boundacct', domain: 'bound.test' }),
      })
    ).body.data;
    resold = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'resoldacct', domain: 'resold.test' }),
        as: 'reseller',
      })
    ).body.data;
    expect(bound.id).toBe(1);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('validates names, types and the type rules with messages naming the field', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ domain_name: 'not a domain' }, 400, 'domain_name: must be a fully qualified domain name'],
      [{ domain_type: 'wildcard' }, 400, 'domain_type: must be primary, addon, subdomain or alias'],
      [{ domain_type: 'primary' }, 409, 'Account 1 already has a primary domain'],
      [
        { domain_name: 'sub.elsewhere.test', domain_type: 'subdomain' },
        400,
        'domain_name: a subdomain must sit under a domain of the same account',
      ],
      [
        { domain_name: 'www.resold.test', domain_type: 'subdomain' },
        400,
        'domain_name: a subdomain must sit under a domain of the same account',
      ],
      [
        { domain_type: 'alias', document_root: '/srv/x' },
        400,
        `document_root: an alias serves its primary domain's document root (${bound.home_dir}/public_html)`,
      ],
      [{ domain_name: 'resold.test' }, 409, 'Domain resold.test already exists on this server'],
      [{ account_id: 999 }, 404, 'Not found'],
    ];
    for (const [over, status, error] of cases) {
      const res = await post({ account_id: bound.id, domain_name: 'fresh.test', domain_type: 'addon', ...over });
      expect({ status: res.status, error: res.body.error }, JSON.stringify(over)).toEqual({ status, error });
    }
  });

  it('creates addon, subdomain and alias with their default roots and serves them', async () => {
    const addon = (await post({ account_id: bound.id, domain_name: 'Addon.Test', domain_type: 'addon' })).body.data;
    expect(addon).toMatchObject({
      domain_name: 'addon.test',
      document_root: `${bound.home_dir}/addon.test`,
      alias_of: null,
    });
    const custom = (
      await post({
        account_id: bound.id,
        domain_name: 'custom.test',
        domain_type: 'addon',
        document_root: `${bound.home_dir}/sites/custom`,
      })
    ).body.data;
    expect(existsSync(custom.document_root)).toBe(true);
    const sub = (await post({ account_id: bound.id, domain_name: 'blog.addon.test', domain_type: 'subdomain' })).body
      .data;
    expect(sub.document_root).toBe(`${bound.home_dir}/blog.addon.test`);
    const alias = (
      await post({
        account_id: bound.id,
        domain_name: 'bound-alias.test',
        domain_type: 'alias',
        document_root: `${bound.home_dir}/public_html`,
      })
    ).body.data;
    expect(alias).toMatchObject({ domain_type: 'alias', document_root: `${bound.home_dir}/public_html` });
    writeFileSync(path.join(bound.home_dir, 'public_html', 'index.html'), 'bound site');
    expect(await getVia(h.nginx!.port, 'bound-alias.test')).toEqual({ status: 200, body: 'bound site' });
    expect(readFileSync(path.join(h.nginx!.sitesDir, 'bound.test.conf'), 'utf8')).toContain(
      'server_name bound.test bound-alias.test www.bound.test;',
    );
  });

  it('deletes an alias (folded out of the primary block) and an addon (its block removed), never the primary', async () => {
    const list = (await h.panel.request('GET', `/api/domains/account/${bound.id}`)).body.data;
    const byName = Object.fromEntries(list.map((d: any) => [d.domain_name, d]));
    expect((await h.panel.request('DELETE', `/api/domains/${byName['bound-alias.test'].id}`)).body.data).toMatchObject({
      deleted: true,
    });
    expect((await getVia(h.nginx!.port, 'bound-alias.test')).status).toBe(404);
    expect(await getVia(h.nginx!.port, 'bound.test')).toEqual({ status: 200, body: 'bound site' });
    expect((await h.panel.request('DELETE', `/api/domains/${byName['custom.test'].id}`)).status).toBe(200);
    expect(existsSync(path.join(h.nginx!.sitesDir, 'custom.test.conf'))).toBe(false);
    const primary = await h.panel.request('DELETE', `/api/domains/${byName['bound.test'].id}`);
    expect({ status: primary.status, error: primary.body.error }).toEqual({
      status: 409,
      error: 'The primary domain cannot be deleted; delete the account instead',
    });
    expect((await h.panel.request('DELETE', '/api/domains/99999')).status).toBe(404);
  });

  it('shows and changes domains by role: admin all, reseller its accounts, user its bound account', async () => {
    expect(names(await h.panel.request('GET', '/api/domains'))).toEqual([
      'addon.test',
      'blog.addon.test',
      'bound.test',
      'resold.test',
    ]);
    expect(names(await h.panel.request('GET', '/api/domains', { as: 'reseller' }))).toEqual(['resold.test']);
    expect(names(await h.panel.request('GET', '/api/domains', { as: 'user' }))).toEqual([
      'addon.test',
      'blog.addon.test',
      'bound.test',
    ]);
    expect((await h.panel.request('GET', `/api/domains/account/${bound.id}`, { as: 'reseller' })).status).toBe(403);
    expect((await h.panel.request('GET', `/api/domains/account/${resold.id}`, { as: 'user' })).status).toBe(403);
    expect(
      (await post({ account_id: resold.id, domain_name: 'by-user.test', domain_type: 'addon' }, 'user')).status,
    ).toBe(403);
    expect(
      (await post({ account_id: bound.id, domain_name: 'by-reseller.test', domain_type: 'addon' }, 'reseller')).status,
    ).toBe(403);
    expect(
      (await post({ account_id: bound.id, domain_name: 'by-user.test', domain_type: 'addon' }, 'user')).status,
    ).toBe(200);
    expect(
      (await post({ account_id: resold.id, domain_name: 'by-reseller.test', domain_type: 'addon' }, 'reseller')).status,
    ).toBe(200);
    const resellers = (await h.panel.request('GET', '/api/domains', { as: 'reseller' })).body.data;
    const mine = resellers.find((d: any) => d.domain_name === 'by-reseller.test');
    const others = (await h.panel.request('GET', '/api/domains')).body.data.find(
      (d: any) => d.domain_name === 'by-user.test',
    );
    expect((await h.panel.request('DELETE', `/api/domains/${others.id}`, { as: 'reseller' })).status).toBe(403);
    expect((await h.panel.request('DELETE', `/api/domains/${mine.id}`, { as: 'user' })).status).toBe(403);
    expect((await h.panel.request('DELETE', `/api/domains/${mine.id}`, { as: 'reseller' })).status).toBe(200);
    expect((await h.panel.request('GET', '/api/veloserve/status', { as: 'reseller' })).status).toBe(403);
    expect((await h.panel.request('POST', '/api/veloserve/regenerate', { as: 'user' })).status).toBe(403);
  });
});
