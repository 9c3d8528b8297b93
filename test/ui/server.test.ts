// The ui plugin over HTTP: the app at `/` beside the API, content types, caching, the strict
// Content-Security-Policy, contributed pages' assets, and nothing served outside its folders.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, uiNavigation } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { uiConfig } from './support/client.js';

/** GET a raw path (no URL normalisation, unlike fetch). */
function rawGet(
  url: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath, headers, agent: false }, (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (d) => (body += d))
          .on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('ui plugin: serving the app', () => {
  let panel: TestPanel;
  let assets: string;
  let html: string;

  beforeAll(async () => {
    assets = mkdtempSync(path.join(os.tmpdir(), 'velopanel-ui-extra-'));
    mkdirSync(path.join(assets, 'pages'));
    writeFileSync(
      path.join(assets, 'pages', 'mirror.js'),
      'export default function render(root, { h }) { root.append(h("h1", null, "Mirror")); }\n',
    );
    writeFileSync(path.join(assets, '.secret'), 'hidden');
    symlinkSync('/etc/passwd', path.join(assets, 'passwd.js'));
    const contributor = definePlugin({
      manifest: { id: 'mirror', version: '1.0.0', sdk: '^1.0.0', provides: ['ui-navigation'] },
      start(ctx) {
        ctx.extensions.provide(uiNavigation, 'mirror', {
          label: 'Mirror',
          path: '/mirror',
          section: 'server',
          roles: ['admin'],
          assetsDir: assets,
          module: 'pages/mirror.js',
        });
        ctx.extensions.provide(uiNavigation, 'bad', { label: 'Bad', path: '/api/steal' });
      },
    });
    panel = await startTestPanel({ plugins: ['ui'], inline: [contributor], config: { plugins: uiConfig() } as never });
    html = (await rawGet(panel.url, '/')).body;
  });

  afterAll(async () => {
    await panel?.stop();
    rmSync(assets, { recursive: true, force: true });
  });

  it('serves index.html at / and at every page path, with the strict headers', async () => {
    for (const p of ['/', '/accounts', '/files?account=1&path=/public_html', '/some/deep/page']) {
      const res = await rawGet(panel.url, p);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe(html);
    }
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    expect(html).toMatch(/<script type="module" src="\/ui\/[0-9a-f]{12}\/js\/main\.js"><\/script>/);
  });

  it('serves versioned assets with their content types, a year of caching and revalidation', async () => {
    const refs = [...html.matchAll(/(?:src|href)="(\/ui\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toHaveLength(3);
    const types: Record<string, string> = {
      '.js': 'text/javascript; charset=utf-8',
      '.css': 'text/css; charset=utf-8',
      '.svg': 'image/svg+xml',
    };
    for (const ref of refs) {
      const res = await rawGet(panel.url, ref);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(types[path.extname(ref)]);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['x-frame-options']).toBe('DENY');
      const again = await rawGet(panel.url, ref, { 'if-none-match': String(res.headers.etag) });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
    }
    const main = refs.find((r) => r.endsWith('main.js'))!;
    const imported = /from '\.\/(base\/api\.js)'/.exec((await rawGet(panel.url, main)).body)?.[1];
    expect((await rawGet(panel.url, main.replace('main.js', imported!))).status).toBe(200);
  });

  it('keeps the API under /api: unknown API paths and other methods get the JSON envelope', async () => {
    const api = await panel.request('GET', '/api/nothing-here');
    expect(api.status).toBe(404);
    expect(api.body).toMatchObject({ ok: false, error: 'No route for GET /api/nothing-here' });
    const post = await panel.request('POST', '/accounts', { as: 'anon' });
    expect(post.status).toBe(404);
    expect(post.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('answers 404 for missing assets and for every way out of its folders', async () => {
    const build = /\/ui\/([0-9a-f]{12})\//.exec(html)![1]!;
    for (const p of [
      '/ui/missing.js',
      '/favicon.ico',
      `/ui/${build}/js/nothing.js`,
      '/ui/../package.json',
      '/ui/%2e%2e/%2e%2e/package.json',
      `/ui/${build}/js/..%2f..%2f..%2fpackage.json`,
      '/ui/..%5c..%5cpackage.json',
      '/ui/%00app.css',
      '/ui/%E0%A4%A',
      '/ui/plugins/mirror/.secret',
      '/ui/plugins/mirror/passwd.js',
      '/ui/plugins/mirror/../../../../etc/passwd',
      '/ui/plugins/nobody/x.js',
    ]) {
      const res = await rawGet(panel.url, p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect(res.body).not.toMatch(/root:|"name": "velopanel"/);
    }
  });

  it('lists contributed navigation for the roles it names and serves the plugin\u2019s page module', async () => {
    const admin = await panel.request('GET', '/api/ui/navigation');
    expect(admin.body.data).toEqual([
      {
        plugin: 'mirror',
        id: 'mirror',
        label: 'Mirror',
        path: '/mirror',
        section: 'server',
        order: 500,
        roles: ['admin'],
        module_url: '/ui/plugins/mirror/pages/mirror.js',
        stylesheet_url: null,
      },
    ]);
    expect((await panel.request('GET', '/api/ui/navigation', { as: 'user' })).body.data).toEqual([]);
    expect((await panel.request('GET', '/api/ui/navigation', { as: 'anon' })).status).toBe(401);
    const mod = await rawGet(panel.url, '/ui/plugins/mirror/pages/mirror.js');
    expect(mod.status).toBe(200);
    expect(mod.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(mod.headers['cache-control']).toBe('no-cache');
  });

  it('stops serving while an admin has it disabled, and serves again when enabled', async () => {
    expect((await panel.request('POST', '/api/plugins/ui/disable')).status).toBe(200);
    const off = await rawGet(panel.url, '/');
    expect(off.status).toBe(404);
    expect(off.headers['content-type']).toMatch(/application\/json/);
    expect((await panel.request('POST', '/api/plugins/ui/enable')).status).toBe(200);
    expect((await rawGet(panel.url, '/')).status).toBe(200);
  });
});
