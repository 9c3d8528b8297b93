// End to end with real php-fpm 8.2 behind real nginx (the bed's), real accounts in linux mode:
// an account switched to FPM runs its PHP as its own user and cannot read another account's
// files; php.ini values reach ini_get; hostile values are refused and never written; suspend,
// CGI and delete take the pool away.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot, useServices } from '../../../test/bed/index.js';
import { fetchVhost } from '../../../test/bed/helpers/http.js';
import { removeLeftoverUsers } from '../../../test/accounts/linux-users.js';
import { bedNginx } from '../../../test/webserver/bed-nginx.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';

const bed = useServices('nginx', 'phpfpm');
const root = requireRoot();
const prefix = `vpp${randomBytes(3).toString('hex')}`;
const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

const PAGE = `<?php
header('Content-Type: application/json');
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
$other = file_get_contents($_GET['f'] ?? '/nonexistent');
$keys = ['memory_limit', 'max_execution_time', 'date.timezone', 'display_errors', 'error_reporting', 'upload_max_filesize', 'open_basedir'];
echo json_encode(['user' => posix_getpwuid(posix_geteuid())['name'], 'read' => $other !== false, 'error' => implode(' | ', $warnings),
  'ini' => array_combine($keys, array_map('ini_get', $keys))]);
`;

describe.skipIf(bed.skip || root.skip)('PHP-FPM pools behind nginx, end to end', () => {
  let h: HostingPanel;
  let a: any;
  let b: any;
  const pool = (acc: any) => path.join(bed.phpfpm.poolDir, `vp-${acc.username}.conf`);
  const page = async (acc: any, file: string) => {
    const r = await fetchVhost({
      port: bed.nginx.httpPort,
      host: acc.primary_domain,
      path: `/whoami.php?f=${encodeURIComponent(file)}`,
    });
    let json: any = null;
    try {
      json = JSON.parse(r.body);
    } catch {
      /* not the page's output */
    }
    return { status: r.status, json, body: r.body };
  };
  const setMode = (acc: any, mode: string) =>
    h.panel.request('POST', `/api/php/version/${acc.id}`, { body: { version: '8.2', mode } });

  beforeAll(async () => {
    const nginx = bedNginx(bed.nginx);
    const f = bed.phpfpm;
    h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      nginx,
      extra: ['php'],
      plugins: {
        php: {
          pool_dir: f.poolDir,
          fpm_config: f.confPath,
          fpm_prefix: f.prefix,
          pid_file: path.join(f.prefix, 'php-fpm.pid'),
          socket_dir: f.socketDir,
          web_user: f.listenOwner,
        },
      },
    });
    for (const tag of ['a', 'b']) {
      const res = await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}${tag}`, domain: `${prefix}${tag}.test` }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const acc = res.body.data;
      const docroot = path.join(acc.home_dir, 'public_html');
      writeFileSync(path.join(docroot, 'whoami.php'), PAGE, { mode: 0o644 });
      writeFileSync(path.join(docroot, 'secret.txt'), `secret of ${tag}`, { mode: 0o640 });
      const [uid, gid] = read('/etc/passwd')!
        .split('\n')
        .find((l) => l.startsWith(`${acc.username}:`))!
        .split(':')
        .slice(2, 4)
        .map(Number) as [number, number];
      for (const file of ['whoami.php', 'secret.txt']) chownSync(path.join(docroot, file), uid, gid);
      if (tag === 'a') a = { ...acc, uid, gid };
      else b = { ...acc, uid, gid };
    }
  });

  afterAll(async () => {
    await h?.stop();
    // A pool left by a failed test would name a deleted user and break later reloads of the shared master.
    const left = readdirSync(bed.phpfpm.poolDir).filter((f) => f.startsWith(`vp-${prefix}`));
    for (const f of left) rmSync(path.join(bed.phpfpm.poolDir, f));
    if (left.length) process.kill(bed.phpfpm.pid, 'SIGUSR2');
    removeLeftoverUsers(prefix);
  });

  it('switches an account to FPM: its PHP runs as its user and cannot read the other account', async () => {
    const res = await setMode(a, 'fpm');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'fpm', version: '8.2', applied: true, reason: null, engine: 'nginx' });
    const vhost = read(path.join(bed.nginx.sitesDir, `${a.primary_domain}.conf`))!;
    expect(vhost).toContain(`fastcgi_pass "unix:${res.body.data.socket}";`);
    expect(vhost).toContain('fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;');

    const r = await page(a, path.join(b.home_dir, 'public_html', 'secret.txt'));
    expect(r.status, r.body).toBe(200);
    expect(r.json.user).toBe(a.username);
    expect(r.json.read).toBe(false);
    expect(r.json.error).toContain('open_basedir restriction in effect');
    expect(r.json.ini.open_basedir).toBe(`${a.home_dir}/:${a.home_dir}/tmp/`);
    // the second wall: the account's user itself has no permission on the other home
    const peek = spawnSync('cat', ['--', path.join(b.home_dir, 'public_html', 'secret.txt')], {
      uid: a.uid,
      gid: a.gid,
    });
    expect(peek.status).not.toBe(0);
    expect(peek.stderr.toString()).toMatch(/Permission denied/);
  });

  it('gives the other account its own pool, as its own user', async () => {
    expect((await setMode(b, 'fpm')).body.data.applied).toBe(true);
    const r = await page(b, path.join(a.home_dir, 'public_html', 'secret.txt'));
    expect(r.json).toMatchObject({ user: b.username, read: false });
    expect((await page(b, path.join(b.home_dir, 'public_html', 'secret.txt'))).json.read).toBe(true);
  });

  it('applies php.ini settings, visible through ini_get', async () => {
    const settings = {
      memory_limit: '192M',
      max_execution_time: 77,
      'date.timezone': 'Europe/Berlin',
      display_errors: 'Off',
      error_reporting: 'E_ALL & ~E_DEPRECATED',
      upload_max_filesize: '20M',
      post_max_size: '24M',
    };
    const res = await h.panel.request('POST', `/api/php/ini/${a.id}`, { body: { settings } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.applied).toBe(true);
    const r = await page(a, '/nonexistent');
    expect(r.json.ini).toMatchObject({
      memory_limit: '192M',
      max_execution_time: '77',
      'date.timezone': 'Europe/Berlin',
      error_reporting: String(32767 & ~8192),
      upload_max_filesize: '20M',
    });
    expect(['', '0', 'Off']).toContain(r.json.ini.display_errors);
  });

  it('refuses pool and ini values carrying a newline or user = root, writing nothing', async () => {
    const before = read(pool(a));
    const attempts: [string, unknown][] = [
      [`/api/php/ini/${a.id}`, { settings: { memory_limit: '128M\nuser = root' } }],
      [`/api/php/ini/${a.id}`, { settings: { user: 'root' } }],
      [`/api/php/ini/${a.id}`, { settings: { 'date.timezone': 'UTC\n[vp-evil]\nuser = root' } }],
      [`/api/php/ini/${a.id}`, { settings: { error_reporting: 'E_ALL\nuser = root' } }],
      [`/api/php/version/${a.id}`, { version: '8.2\nuser = root', mode: 'fpm' }],
      [`/api/php/version/${a.id}`, { version: '8.2', mode: 'fpm', user: 'root' }],
    ];
    for (const [url, body] of attempts) {
      const res = await h.panel.request('POST', url, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(read(pool(a))).toBe(before);
    expect(readdirSync(bed.phpfpm.poolDir).filter((f) => f.includes('evil'))).toEqual([]);
    expect((await page(a, '/nonexistent')).json).toMatchObject({ user: a.username, ini: { memory_limit: '192M' } });
  });

  it('disables the pool while the account is suspended and restores it after', async () => {
    await h.panel.request('POST', `/api/accounts/${a.id}/suspend`);
    expect(read(pool(a))).toBeNull();
    expect((await page(a, '/nonexistent')).status).toBe(503);
    expect((await h.panel.request('GET', `/api/php/config/${a.id}`)).body.data).toMatchObject({
      mode: 'fpm',
      applied: false,
    });
    await h.panel.request('POST', `/api/accounts/${a.id}/unsuspend`);
    expect((await page(a, '/nonexistent')).json.user).toBe(a.username);
  });

  it('switches back to CGI: the pool goes, and the answer says nginx cannot run php-cgi', async () => {
    const res = await setMode(a, 'cgi');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'cgi', applied: false, socket: null, binary: '/usr/bin/php-cgi8.2' });
    expect(res.body.data.reason).toContain('nginx engine cannot run PHP in cgi mode');
    expect(read(pool(a))).toBeNull();
    expect(read(path.join(bed.nginx.sitesDir, `${a.primary_domain}.conf`))).not.toContain('fastcgi_pass');
    const r = await page(a, '/nonexistent');
    expect(r.body).not.toContain(`"user":"${a.username}"`);
    // Without a PHP handler the source must not leak as text.
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('<?php');
  });

  it('removes the pool with the account', async () => {
    expect(read(pool(b))).not.toBeNull();
    expect((await h.panel.request('DELETE', `/api/accounts/${b.id}`)).status).toBe(200);
    expect(read(pool(b))).toBeNull();
    expect((await h.panel.request('DELETE', `/api/accounts/${a.id}`)).status).toBe(200);
  });
});
