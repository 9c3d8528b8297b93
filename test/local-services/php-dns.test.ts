// Issue 22: in local mode the panel also runs php-fpm (one pool per account, as the panel's own
// user, sockets under the data dir) behind its nginx, and PowerDNS (sqlite under the data dir,
// loopback ports) behind the dns plugin. A PHP page written through the files API is served on
// `local_http_port`; a new domain's zone answers `dig`; both come back when they die.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, startPanel, type PanelProcess } from './panel-process.js';
import { adminToken, api, isAlive, killAndWaitForRestart, services, vhost } from './panel-api.js';

const run = promisify(execFile);

async function soa(port: number, name: string): Promise<string> {
  const { stdout } = await run(
    'dig',
    ['+short', '+time=2', '+tries=1', '@127.0.0.1', '-p', String(port), name, 'SOA'],
    { timeout: 10_000 },
  );
  return stdout.trim();
}

/** Bounded: what `probe` answers once it satisfies `ok`, or its last answer. */
async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last = await probe();
  for (let i = 0; i < 100 && !ok(last); i++) {
    await sleep(200);
    last = await probe();
  }
  return last;
}

describe('managed php-fpm and PowerDNS on npm start (local mode)', () => {
  let panel: PanelProcess;
  let token: string;
  beforeAll(async () => {
    buildOnce();
    panel = await startPanel();
    await fetch(`${panel.url}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'SecureAdmin123' }),
    });
    token = await adminToken(panel.url);
    const account = await api(panel.url, token, 'POST', '/api/accounts', {
      username: 'janedoe',
      domain: 'jane.example',
      email: 'jane@example.com',
      password: 'UserPass123',
      plan: 'free',
    });
    expect(account.json).toMatchObject({ ok: true });
    const addon = await api(panel.url, token, 'POST', '/api/domains', {
      account_id: 1,
      domain_name: 'shop.example',
      domain_type: 'addon',
    });
    expect(addon.json).toMatchObject({ ok: true });
  }, 300_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('serves a PHP page written through the files API on the local nginx port', async () => {
    const write = await api(panel.url, token, 'POST', '/api/files/write', {
      account_id: 1,
      path: '/public_html/index.php',
      content: '<?php echo 6*7;',
    });
    expect(write.json).toMatchObject({ ok: true });
    expect(await vhost(panel.httpPort, 'jane.example', '/index.php')).toEqual({ status: 200, body: '42' });
    // the account's own pool, as the panel's user, its socket under the data dir
    const config = await api(panel.url, token, 'GET', '/api/php/config/1');
    expect(config.json.data).toMatchObject({
      mode: 'fpm',
      applied: true,
      socket: path.join(panel.dataDir, 'services', 'php-fpm', 'sock', 'vp-janedoe.sock'),
    });
  });

  it("answers SOA for the account's domains from the managed PowerDNS", async () => {
    for (const name of ['jane.example', 'shop.example']) {
      expect(
        await eventually(
          () => soa(panel.dnsPort, name),
          (a) => a !== '',
        ),
      ).toMatch(new RegExp(`\\shostmaster\\.${name.replace('.', '\\.')}\\.\\s`));
    }
  });

  it('lists php-fpm and PowerDNS with state, socket or port, and version', async () => {
    const byName = Object.fromEntries((await services(panel.url, token)).map((x) => [x.name, x]));
    expect(byName['php-fpm']).toMatchObject({
      state: 'running',
      socket: path.join(panel.dataDir, 'services', 'php-fpm', 'velopanel.sock'),
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(byName.pdns).toMatchObject({
      state: 'running',
      port: panel.dnsPort,
      version: expect.stringMatching(/^\d+\.\d+/),
    });
    expect(panel.output()).toMatch(/managed services: .*php-fpm \(socket [^)]+\), pdns \(port \d+\)/);
  });

  it('restarts php-fpm and PowerDNS when they die, and they serve again', async () => {
    const fpm = await killAndWaitForRestart(panel.url, token, 'php-fpm');
    expect(fpm.after).toMatchObject({ state: 'running', restarts: fpm.before.restarts + 1 });
    expect(await vhost(panel.httpPort, 'jane.example', '/index.php')).toEqual({ status: 200, body: '42' });
    const pdns = await killAndWaitForRestart(panel.url, token, 'pdns');
    expect(pdns.after).toMatchObject({ state: 'running', restarts: pdns.before.restarts + 1 });
    expect(await soa(panel.dnsPort, 'jane.example')).toContain('hostmaster.jane.example.');
  });

  it('stops them with the panel', async () => {
    const pids = (await services(panel.url, token))
      .filter((x) => x.name === 'php-fpm' || x.name === 'pdns')
      .map((x) => x.pid);
    expect(pids).toHaveLength(2);
    expect(await panel.stop()).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
