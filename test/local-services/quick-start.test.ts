// Issue 22: `npm start` really hosts. The API reference's quick-start script, unchanged but for
// $PANEL, against `npm start` on a fresh data dir: the page of step 5 is served by the panel's own
// nginx, the database of step 6 takes a login as its user, the addon domain of step 4 (written
// as `/home/johndoe/blog`) serves from that home. Without MariaDB, step 6 is a clear 503 and
// every other step still passes; without php-fpm and PowerDNS, FPM mode and DNS are 503s too.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, ROOT, runQuickStart, startPanel, type PanelProcess } from './panel-process.js';
import { adminToken, api, isAlive, killAndWaitForRestart, services, vhost } from './panel-api.js';

type Answer = { ok: boolean; data?: Record<string, unknown>; error?: string; code?: string };

/** Steps 1, 3–7 and 8 print one JSON answer each (step 2 keeps its token). */
function steps(answers: unknown[]): Record<number, Answer> {
  expect(answers).toHaveLength(7);
  const [s1, s3, s4, s5, s6, s7, s8] = answers as Answer[];
  return { 1: s1!, 3: s3!, 4: s4!, 5: s5!, 6: s6!, 7: s7!, 8: s8! };
}

function expectCommonSteps(s: Record<number, Answer>, dataDir: string): void {
  expect(s[1]).toMatchObject({ ok: true, data: { username: 'admin', role: 'admin' } });
  expect(s[3]).toMatchObject({
    ok: true,
    data: { username: 'johndoe', home_dir: path.join(dataDir, 'home', 'johndoe') },
  });
  // the contract's /home/johndoe/blog is the real home under the data dir, answered as such
  expect(s[4]).toMatchObject({
    ok: true,
    data: { domain_name: 'blog.example.com', document_root: path.join(dataDir, 'home', 'johndoe', 'blog') },
  });
  expect(s[5]).toMatchObject({ ok: true, data: { path: '/public_html/index.html' } });
  // no ACME account configured: the clear 400, and no traffic to a public CA
  expect(s[7]).toMatchObject({ ok: false, code: 'VALIDATION', error: expect.stringContaining('acme_email') });
  expect(s[8]).toMatchObject({ ok: true, data: { accounts: { count: 1 }, domains: { count: 2 } } });
}

describe('the quick-start on npm start (local mode, managed services)', () => {
  let panel: PanelProcess;
  beforeAll(async () => {
    buildOnce();
    panel = await startPanel();
  }, 300_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('the README shows the contract script the test runs', () => {
    const script = readFileSync(path.join(import.meta.dirname, 'quick-start.sh'), 'utf8');
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(script);
  });

  it('passes verbatim: the page is served by Host, the database takes its user, the addon serves from the contract path', async () => {
    const s = steps(runQuickStart(panel.url));
    expectCommonSteps(s, panel.dataDir);
    expect(s[6]).toMatchObject({
      ok: true,
      data: { engine: 'mysql', database: 'johndoe_wordpress', user: 'johndoe_wordpress' },
    });

    expect(await vhost(panel.httpPort, 'example.com')).toEqual({
      status: 200,
      body: '<h1>Welcome to example.com</h1>',
    });
    writeFileSync(path.join(panel.dataDir, 'home', 'johndoe', 'blog', 'index.html'), 'the blog');
    expect(await vhost(panel.httpPort, 'blog.example.com')).toEqual({ status: 200, body: 'the blog' });
    expect((await vhost(panel.httpPort, 'unknown.example')).status).toBe(404);

    const conn = await createConnection({
      socketPath: path.join(panel.dataDir, 'services', 'mariadb', 'mysqld.sock'),
      user: 'johndoe_wordpress',
      password: 'DbPass12345',
      database: 'johndoe_wordpress',
    });
    const [rows] = await conn.query('SELECT DATABASE() AS db');
    await conn.end();
    expect(rows).toEqual([{ db: 'johndoe_wordpress' }]);
  });

  it('restarts a managed server that dies, and it serves again', async () => {
    const token = await adminToken(panel.url);
    const { before, after } = await killAndWaitForRestart(panel.url, token, 'nginx');
    expect(after).toMatchObject({ state: 'running', restarts: before.restarts + 1 });
    expect(await vhost(panel.httpPort, 'example.com')).toEqual({
      status: 200,
      body: '<h1>Welcome to example.com</h1>',
    });
  });

  it('lists every managed service with state, port and version (admin), and stops them with the panel', async () => {
    const token = await adminToken(panel.url);
    const res = await fetch(`${panel.url}/api/system/services`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as {
      data: {
        managed: boolean;
        services: Array<{ name: string; state: string; pid: number; port: number | null; version: string }>;
      };
    };
    expect(body.data.managed).toBe(true);
    const byName = Object.fromEntries(body.data.services.map((x) => [x.name, x]));
    expect(byName.nginx).toMatchObject({
      state: 'running',
      port: panel.httpPort,
      version: expect.stringMatching(/^\d/),
    });
    expect(byName.mariadb).toMatchObject({ state: 'running', version: expect.stringMatching(/^\d/) });
    expect(byName.postgresql).toMatchObject({
      state: 'running',
      port: expect.any(Number),
      version: expect.stringMatching(/^\d/),
    });
    expect(panel.output()).toMatch(
      new RegExp(
        `managed services: nginx \\(port ${panel.httpPort}\\), mariadb \\(socket [^)]+\\), postgresql \\(port \\d+\\)`,
      ),
    );
    const pids = body.data.services.map((x) => x.pid);
    expect(await panel.stop()).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

describe('the quick-start without MariaDB, php-fpm or PowerDNS installed', () => {
  let panel: PanelProcess;
  beforeAll(async () => {
    buildOnce();
    panel = await startPanel({
      mariadb_binary: '/nonexistent/mariadbd',
      php_fpm_binary: '/nonexistent/php-fpm',
      pdns_binary: '/nonexistent/pdns_server',
    });
  }, 300_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('answers step 6 with a 503 naming what to install; every other step passes', async () => {
    const s = steps(runQuickStart(panel.url));
    expectCommonSteps(s, panel.dataDir);
    expect(s[6]).toEqual({
      ok: false,
      code: 'UNAVAILABLE',
      request_id: expect.any(String),
      error: 'MariaDB is unavailable: /nonexistent/mariadbd is not installed; scripts/install-services.sh installs it',
    });
    expect(await vhost(panel.httpPort, 'example.com')).toEqual({
      status: 200,
      body: '<h1>Welcome to example.com</h1>',
    });
  });

  it('answers PHP-FPM and DNS with a 503 naming what to install, and lists them as unavailable', async () => {
    const token = await adminToken(panel.url);
    const fpm = await api(panel.url, token, 'POST', '/api/php/version/1', { version: '8.2', mode: 'fpm' });
    expect(fpm).toMatchObject({
      status: 503,
      json: {
        code: 'UNAVAILABLE',
        error: 'php-fpm is unavailable: /nonexistent/php-fpm is not installed; scripts/install-services.sh installs it',
      },
    });
    const zone = await api(panel.url, token, 'GET', '/api/dns/zones/example.com');
    expect(zone).toMatchObject({
      status: 503,
      json: {
        code: 'UNAVAILABLE',
        error:
          'DNS is unavailable: PowerDNS is unavailable: /nonexistent/pdns_server is not installed; scripts/install-services.sh installs it',
      },
    });
    const byName = Object.fromEntries((await services(panel.url, token)).map((x) => [x.name, x]));
    expect(byName['php-fpm']).toMatchObject({
      state: 'unavailable',
      reason: expect.stringContaining('/nonexistent/php-fpm'),
    });
    expect(byName.pdns).toMatchObject({
      state: 'unavailable',
      reason: expect.stringContaining('/nonexistent/pdns_server'),
    });
    // nothing changed: the account keeps its PHP as it was
    expect((await api(panel.url, token, 'GET', '/api/php/config/1')).json.data).toMatchObject({
      mode: 'cgi',
      source: 'server default',
    });
  });
});
