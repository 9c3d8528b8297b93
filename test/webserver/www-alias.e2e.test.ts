// `www.` names through a real nginx: a primary or addon domain also serves www.<domain> (no domain
// row, so GET /api/domains and the domain limit stay as the contract says), a subdomain or a name
// that already starts with www. does not, a www name another account holds is left to it, and
// removing a domain removes its www name. The vhost spec carries the name, which is where the SSL
// plugin takes a certificate's SANs from.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainDirectory } from '../../sdk/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from './helpers.js';
import { getVia } from './private-nginx.js';

describe('www. names served with their domain', () => {
  let h: HostingPanel;
  let a: any;
  const get = (host: string) => getVia(h.nginx!.port, host);
  const post = (body: Record<string, unknown>) => h.panel.request('POST', '/api/domains', { body });
  const account = async (username: string, domain: string, over: Record<string, unknown> = {}) =>
    (await h.panel.request('POST', '/api/accounts', { body: accountBody({ username, domain, ...over }) })).body.data;
  const names = async () => (await h.panel.request('GET', '/api/domains')).body.data.map((d: any) => d.domain_name);

  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('serves www.<primary> from the primary root, without a domain row', async () => {
    a = await account('wwwa', 'wwwa.test');
    expect((await get('www.wwwa.test')).body).toContain('<h1>wwwa.test</h1>');
    writeFileSync(path.join(a.home_dir, 'public_html', 'index.html'), 'site a');
    expect(await get('www.wwwa.test')).toEqual({ status: 200, body: 'site a' });
    expect(await names()).toEqual(['wwwa.test']);
    expect(readFileSync(path.join(h.nginx!.sitesDir, 'wwwa.test.conf'), 'utf8')).toContain(
      'server_name wwwa.test www.wwwa.test;',
    );
    const primary = (await h.panel.request('GET', `/api/domains/account/${a.id}`)).body.data[0];
    const spec = await h.panel.kernel.services.find(domainDirectory)!.vhostSpec(primary.id);
    expect(spec?.aliases).toEqual(['www.wwwa.test']);
  });

  it('serves www.<addon> from the addon root, but no www name for a subdomain', async () => {
    const addon = (await post({ account_id: a.id, domain_name: 'wwwa-blog.test', domain_type: 'addon' })).body.data;
    writeFileSync(path.join(addon.document_root, 'index.html'), 'blog');
    expect(await get('www.wwwa-blog.test')).toEqual({ status: 200, body: 'blog' });
    const sub = (await post({ account_id: a.id, domain_name: 'shop.wwwa.test', domain_type: 'subdomain' })).body.data;
    writeFileSync(path.join(sub.document_root, 'index.html'), 'shop');
    expect(await get('shop.wwwa.test')).toEqual({ status: 200, body: 'shop' });
    expect((await get('www.shop.wwwa.test')).status).toBe(404);
    expect(await names()).toEqual(['wwwa.test', 'wwwa-blog.test', 'shop.wwwa.test']);
  });

  it('lets the same account give www.<name> a site of its own, and takes it back when that goes', async () => {
    const own = (await post({ account_id: a.id, domain_name: 'www.wwwa-blog.test', domain_type: 'subdomain' })).body
      .data;
    writeFileSync(path.join(own.document_root, 'index.html'), 'www of the blog');
    expect(await get('www.wwwa-blog.test')).toEqual({ status: 200, body: 'www of the blog' });
    expect((await get('www.www.wwwa-blog.test')).status).toBe(404);
    expect((await h.panel.request('DELETE', `/api/domains/${own.id}`)).status).toBe(200);
    expect(await get('www.wwwa-blog.test')).toEqual({ status: 200, body: 'blog' });
  });

  it('refuses another account the www name of a domain it does not own', async () => {
    const b = await account('wwwb', 'www.wwwb.test');
    expect((await get('www.wwwb.test')).status).toBe(200);
    expect((await get('www.www.wwwb.test')).status).toBe(404);
    expect(readFileSync(path.join(h.nginx!.sitesDir, 'www.wwwb.test.conf'), 'utf8')).toContain(
      'server_name www.wwwb.test;',
    );
    const res = await post({ account_id: b.id, domain_name: 'www.wwwa.test', domain_type: 'addon' });
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 409,
      error: 'Domain www.wwwa.test already exists on this server (it is the www name of wwwa.test)',
    });
    expect(await get('www.wwwa.test')).toEqual({ status: 200, body: 'site a' });
  });

  it("leaves a www name that is already another account's domain to it, and serves it once that domain goes", async () => {
    const b = (await h.panel.request('GET', '/api/accounts')).body.data.find((x: any) => x.username === 'wwwb');
    const held = (await post({ account_id: b.id, domain_name: 'www.wwwd.test', domain_type: 'addon' })).body.data;
    writeFileSync(path.join(held.document_root, 'index.html'), 'held by b');
    // wwwd.test is above b's domain: only an admin's explicit placement makes this state.
    const d = await account('wwwd', 'wwwd.test', { allow_cross_account: true });
    writeFileSync(path.join(d.home_dir, 'public_html', 'index.html'), 'site d');
    expect(await get('www.wwwd.test')).toEqual({ status: 200, body: 'held by b' });
    expect(readFileSync(path.join(h.nginx!.sitesDir, 'wwwd.test.conf'), 'utf8')).toContain('server_name wwwd.test;');
    expect((await h.panel.request('DELETE', `/api/domains/${held.id}`)).status).toBe(200);
    expect(await get('www.wwwd.test')).toEqual({ status: 200, body: 'site d' });
  });

  it('removes the www name with its domain and with its account', async () => {
    const blog = (await h.panel.request('GET', `/api/domains/account/${a.id}`)).body.data.find(
      (x: any) => x.domain_name === 'wwwa-blog.test',
    );
    expect((await h.panel.request('DELETE', `/api/domains/${blog.id}`)).status).toBe(200);
    expect((await get('www.wwwa-blog.test')).status).toBe(404);
    expect((await h.panel.request('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
    expect((await get('www.wwwa.test')).status).toBe(404);
    expect((await get('wwwa.test')).status).toBe(404);
  });
});
