// Linux mode for real (root): the system user, its home and modes, a password set from a hash,
// the web server reading what other tenants cannot, lock on suspend, everything gone on delete.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { getVia } from '../webserver/private-nginx.js';
import { removeLeftoverUsers, shadowField, waitForDiskUsage } from './linux-users.js';

const prefix = `vpl${randomBytes(3).toString('hex')}`;
const passwd = (name: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
    ?.split(':') ?? null;
const groupId = (name: string) =>
  Number(
    readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`))
      ?.split(':')[2],
  );

describe('accounts in linux mode', () => {
  let h: HostingPanel;
  let a: any;
  let b: any;
  const password = 'Linux-Pass-123 $(id) `x` "q"';
  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      plugins: { accounts: { disk_usage_every: 'every 1s' } },
    });
  });
  afterAll(async () => {
    await h?.stop();
    removeLeftoverUsers(prefix);
  });

  it('creates a real user with its home, skeleton and modes', async () => {
    const res = await h.panel.request('POST', '/api/accounts', {
      body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test`, password }),
    });
    expect(res.status).toBe(200);
    a = res.body.data;
    const entry = passwd(a.username)!;
    expect(entry[5]).toBe(a.home_dir);
    expect(entry[6]).toBe('/bin/bash');
    const uid = Number(entry[2]);
    const gid = Number(entry[3]);
    const web = groupId('www-data');
    const mode = (p: string) => statSync(path.join(a.home_dir, p));
    expect(mode('')).toMatchObject({ uid, gid: web });
    expect(mode('').mode & 0o7777).toBe(0o750);
    expect(mode('public_html')).toMatchObject({ uid, gid: web });
    expect(mode('public_html').mode & 0o7777).toBe(0o2750);
    expect(mode('logs').mode & 0o7777).toBe(0o750);
    expect(mode('tmp').mode & 0o7777).toBe(0o700);
    expect(mode('tmp')).toMatchObject({ uid, gid });
    expect(mode('public_html/index.html').mode & 0o777).toBe(0o644);
  });

  it('sets the password from a SHA-512 hash that verifies', () => {
    const field = shadowField(a.username)!;
    expect(field).toMatch(/^\$6\$/);
    const salt = field.split('$')[2]!;
    const check = spawnSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: `${password}\n` });
    expect(check.stdout.toString().trim()).toBe(field);
  });

  it('lets the web server read the site and keeps other tenants out', async () => {
    expect((await getVia(h.nginx!.port, `${prefix}a.test`)).status).toBe(200);
    const res = await h.panel.request('POST', '/api/accounts', {
      body: accountBody({ username: `${prefix}b`, domain: `${prefix}b.test` }),
    });
    b = res.body.data;
    const other = passwd(b.username)!;
    const peek = spawnSync('cat', ['--', path.join(a.home_dir, 'public_html', 'index.html')], {
      uid: Number(other[2]),
      gid: Number(other[3]),
    });
    expect(peek.status).not.toBe(0);
    expect(peek.stderr.toString()).toMatch(/Permission denied/);
  });

  it('creates an addon document root as the account user', async () => {
    const res = await h.panel.request('POST', '/api/domains', {
      body: { account_id: a.id, domain_name: `${prefix}-addon.test`, domain_type: 'addon' },
    });
    expect(res.status).toBe(200);
    const st = statSync(res.body.data.document_root);
    expect(st.uid).toBe(Number(passwd(a.username)![2]));
    writeFileSync(path.join(res.body.data.document_root, 'index.html'), 'addon in linux mode');
    expect(await getVia(h.nginx!.port, `${prefix}-addon.test`)).toEqual({ status: 200, body: 'addon in linux mode' });
  });

  it('measures disk usage with a periodic job', async () => {
    writeFileSync(path.join(a.home_dir, 'public_html', 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 1));
    expect(await waitForDiskUsage(h.panel, a.id, 3)).toBeGreaterThanOrEqual(3);
  });

  it('locks the user on suspend and unlocks it on unsuspend', async () => {
    await h.panel.request('POST', `/api/accounts/${a.id}/suspend`);
    expect(shadowField(a.username)).toMatch(/^!\$6\$/);
    expect((await getVia(h.nginx!.port, `${prefix}a.test`)).status).toBe(503);
    await h.panel.request('POST', `/api/accounts/${a.id}/unsuspend`);
    expect(shadowField(a.username)).toMatch(/^\$6\$/);
    expect((await getVia(h.nginx!.port, `${prefix}a.test`)).status).toBe(200);
  });

  it('removes user, group and home on delete', async () => {
    for (const acc of [a, b]) {
      expect((await h.panel.request('DELETE', `/api/accounts/${acc.id}`)).status).toBe(200);
      expect(passwd(acc.username)).toBeNull();
      expect(readFileSync('/etc/group', 'utf8')).not.toMatch(new RegExp(`^${acc.username}:`, 'm'));
      expect(existsSync(acc.home_dir)).toBe(false);
    }
  });
});
