// The web server never follows a tenant's link out of its own files (linux mode, real users, a
// real nginx running as the web group): a symlink alice plants in public_html to bob's
// wp-config.php answers 403, and so does a document root alice swapped for a link to bob's;
// bob's own page still answers 200, and a link alice makes to her own file still works.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { accountBody, startHostingPanel, type HostingPanel } from './helpers.js';
import { getVia } from './private-nginx.js';

const root = requireRoot();
const prefix = `vps${randomBytes(3).toString('hex')}`;
const SECRET = "define('DB_PASSWORD', 'bobs-secret-1234');";
const ids = (name: string) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))!
    .split(':')
    .slice(2, 4)
    .map(Number) as [number, number];

describe.skipIf(root.skip)('symlinks between tenants, through a real nginx', () => {
  let h: HostingPanel;
  let alice: any;
  let bob: any;
  const get = (host: string, p: string) => getVia(h.nginx!.port, host, p);
  /** Run a command as the account (what a tenant does over SSH or from its PHP). */
  const as = (acc: any, cmd: string, args: string[]) => {
    const [uid, gid] = ids(acc.username);
    const r = spawnSync(cmd, args, { uid, gid, encoding: 'utf8' });
    expect(r.status, `${cmd} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  };

  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx', mode: 'linux' });
    for (const tag of ['a', 'b']) {
      const res = await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}${tag}`, domain: `${prefix}${tag}.test` }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      if (tag === 'a') alice = res.body.data;
      else bob = res.body.data;
    }
    // bob's config, readable by the web group as a WordPress install leaves it
    const config = path.join(bob.home_dir, 'public_html', 'wp-config.php');
    writeFileSync(config, `<?php ${SECRET}\n`, { mode: 0o640 });
    writeFileSync(path.join(bob.home_dir, 'public_html', 'index.html'), 'bob site', { mode: 0o640 });
    const web = Number(
      readFileSync('/etc/group', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('www-data:'))!
        .split(':')[2],
    );
    for (const f of ['wp-config.php', 'index.html'])
      chownSync(path.join(bob.home_dir, 'public_html', f), ids(bob.username)[0], web);
    as(alice, 'ln', ['-s', '--', config, path.join(alice.home_dir, 'public_html', 'leak.txt')]);
  });

  afterAll(async () => {
    await h?.stop();
    removeLeftoverUsers(prefix);
  });

  it("answers 403 for alice's link to bob's file, and still serves bob's own page", async () => {
    const leak = await get(alice.primary_domain, '/leak.txt');
    expect(leak.body).not.toContain('bobs-secret');
    expect(leak.status).toBe(403);
    expect(await get(bob.primary_domain, '/index.html')).toEqual({ status: 200, body: 'bob site' });
    expect(await get(bob.primary_domain, '/')).toEqual({ status: 200, body: 'bob site' });
    const vhost = readFileSync(path.join(h.nginx!.sitesDir, `${alice.primary_domain}.conf`), 'utf8');
    expect(vhost).toContain(`disable_symlinks if_not_owner "from=${alice.home_dir}";`);
    expect((await h.panel.request('GET', '/api/veloserve/status')).body.data.tenant_symlinks).toMatchObject({
      refused: true,
    });
  });

  it('follows a link alice makes to her own file', async () => {
    writeFileSync(path.join(alice.home_dir, 'notes.txt'), 'alice notes');
    chownSync(path.join(alice.home_dir, 'notes.txt'), ...ids(alice.username));
    as(alice, 'ln', [
      '-s',
      '--',
      path.join(alice.home_dir, 'notes.txt'),
      path.join(alice.home_dir, 'public_html', 'notes.txt'),
    ]);
    expect(await get(alice.primary_domain, '/notes.txt')).toEqual({ status: 200, body: 'alice notes' });
  });

  it("answers 403 when alice swaps an addon's document root for a link to bob's", async () => {
    const res = await h.panel.request('POST', '/api/domains', {
      body: { account_id: alice.id, domain_name: `shop.${alice.primary_domain}`, domain_type: 'subdomain' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    as(alice, 'rm', ['-rf', '--', res.body.data.document_root]);
    as(alice, 'ln', ['-s', '--', path.join(bob.home_dir, 'public_html'), res.body.data.document_root]);
    const swapped = await get(`shop.${alice.primary_domain}`, '/wp-config.php');
    expect(swapped.body).not.toContain('bobs-secret');
    const page = await get(`shop.${alice.primary_domain}`, '/index.html');
    expect(page).toMatchObject({ status: 403 });
    expect(page.body).not.toContain('bob site');
  });
});
