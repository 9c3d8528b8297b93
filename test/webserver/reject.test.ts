// A vhost nginx rejects never replaces the live one: the API answers with nginx's own message, the
// files on disk are byte-for-byte the old ones, no temp file is left, and the site keeps serving.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, vhostContributors } from '../../sdk/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from './helpers.js';
import { getVia } from './private-nginx.js';

let breakAll = false;
const breaker = definePlugin({
  manifest: { id: 'breaker', version: '1.0.0', sdk: '^1.0.0', provides: ['vhost-contributors'] },
  start(ctx) {
    ctx.extensions.provide(vhostContributors, 'breaker', {
      contribute(spec) {
        if (breakAll || spec.domain.startsWith('broken'))
          spec.tls = { certificate: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' };
      },
    });
  },
});

describe('a rejected vhost never replaces the live one', () => {
  let h: HostingPanel;
  let account: any;
  const sites = () =>
    Object.fromEntries(
      readdirSync(h.nginx!.sitesDir).map((f) => [f, readFileSync(path.join(h.nginx!.sitesDir, f), 'utf8')]),
    );
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx', inline: [breaker] });
    account = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'keeper', domain: 'keeper.test' }),
      })
    ).body.data;
    writeFileSync(path.join(account.home_dir, 'public_html', 'index.html'), 'still here');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("refuses a broken addon: 502 with nginx's message, no row, no directory, live files untouched", async () => {
    const before = sites();
    const res = await h.panel.request('POST', '/api/domains', {
      body: { account_id: account.id, domain_name: 'broken-addon.test', domain_type: 'addon' },
    });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatch(
      /nginx rejected the new configuration: nginx: \[emerg\] cannot load certificate "\/nonexistent\/cert\.pem"/,
    );
    expect(sites()).toEqual(before);
    expect(existsSync(path.join(account.home_dir, 'broken-addon.test'))).toBe(false);
    expect((await h.panel.request('GET', `/api/domains/account/${account.id}`)).body.data).toHaveLength(1);
    expect(await getVia(h.nginx!.port, 'keeper.test')).toEqual({ status: 200, body: 'still here' });
  });

  it('keeps the old config serving when a regenerate produces something nginx rejects', async () => {
    const before = sites();
    breakAll = true;
    try {
      const res = await h.panel.request('POST', '/api/veloserve/regenerate');
      expect(res.status).toBe(502);
      expect(res.body.error).toMatch(/cannot load certificate/);
      const suspend = await h.panel.request('POST', `/api/accounts/${account.id}/suspend`);
      expect(suspend.status).toBe(502);
      expect((await h.panel.request('GET', `/api/accounts/${account.id}`)).body.data.status).toBe('active');
    } finally {
      breakAll = false;
    }
    expect(sites()).toEqual(before);
    expect(readdirSync(h.nginx!.sitesDir).filter((f) => !f.endsWith('.conf'))).toEqual([]);
    expect(await getVia(h.nginx!.port, 'keeper.test')).toEqual({ status: 200, body: 'still here' });
  });

  it('regenerates an unchanged set without rewriting anything', async () => {
    const file = path.join(h.nginx!.sitesDir, 'keeper.test.conf');
    const inode = statSync(file).ino;
    const res = await h.panel.request('POST', '/api/veloserve/regenerate');
    expect(res.body.data).toEqual({ engine: 'nginx', changed: 0, unchanged: 1, removed: 0, reloaded: false });
    expect(statSync(file).ino).toBe(inode);
  });

  it('puts back a server block edited or deleted behind its back, and leaves operator files alone', async () => {
    const file = path.join(h.nginx!.sitesDir, 'keeper.test.conf');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('try_files $uri $uri/ @file;', 'autoindex on;'));
    writeFileSync(path.join(h.nginx!.sitesDir, 'operator.conf'), '# operator file\n');
    writeFileSync(path.join(h.nginx!.sitesDir, 'ghost.test.conf'), good.replaceAll('keeper.test', 'ghost.test'));
    const res = await h.panel.request('POST', '/api/veloserve/regenerate');
    expect(res.body.data).toMatchObject({ changed: 1, removed: 1, reloaded: true });
    expect(readdirSync(h.nginx!.sitesDir).sort()).toEqual(['keeper.test.conf', 'operator.conf']);
    expect(readFileSync(file, 'utf8')).toBe(good);
  });
});
