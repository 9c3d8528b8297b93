// Hostile class 7 (symlinks): links planted by the tenant to /etc/shadow, to another tenant's
// home and to the panel's own config, used for every operation, as the last component and on the way.
import { execFileSync } from 'node:child_process';
import { lchownSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

describe.each(MODES)('links planted by the tenant are never followed (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  let before: Record<string, string>;
  // /etc/shadow itself changes while other suites add system users: check its mode and our payload only.
  const state = () => ({
    ...treeState(bed.root, bed.home(1), bed.panelConfig),
    shadow: (lstatSync('/etc/shadow').mode & 0o7777).toString(8),
  });
  const call = (method: string, route: string, body: object) =>
    bed.panel.request(method, `/api/files/${route}`, { body: { account_id: 1, ...body } });
  const get = (route: string, p: string) =>
    bed.panel.request('GET', `/api/files/${route}?account_id=1&path=${encodeURIComponent(p)}`, { as: 'user' });

  beforeAll(async () => {
    bed = await startModeBed(mode);
    const links: [string, string][] = [
      ['/etc/shadow', 'shadow'],
      [bed.home(2), 'tenant'],
      [path.join(bed.home(2), 'secret.txt'), 'tenantfile'],
      [bed.panelConfig, 'config'],
      [path.dirname(bed.panelConfig), 'public_html/cfgdir'],
    ];
    for (const [target, name] of links) {
      symlinkSync(target, path.join(bed.home(1), name));
      if (bed.user) lchownSync(path.join(bed.home(1), name), bed.user.uid, bed.user.gid);
    }
    before = state();
  });
  afterAll(async () => {
    await bed.stop();
  });

  const refused = (res: { status: number; body: { error: string } }, what: string) => {
    expect(res.status, what).toBe(403);
    expect(res.body.error, what).toMatch(/is a symbolic link; the file manager never follows links/);
  };

  it('refuses reads, downloads and listings through a link', async () => {
    for (const p of ['/shadow', '/config', '/tenantfile', '/tenant/secret.txt', '/public_html/cfgdir/velopanel.toml']) {
      refused(await get('read', p), `read ${p}`);
      refused(await get('download', p), `download ${p}`);
    }
    refused(await get('list', '/tenant'), 'list /tenant');
    refused(await get('list', '/public_html/cfgdir'), 'list cfgdir');
  });

  it('refuses writes, mkdir, chmod and uploads through a link', async () => {
    for (const p of ['/shadow', '/config', '/tenantfile', '/tenant/evil.txt', '/public_html/cfgdir/velopanel.toml']) {
      refused(await call('POST', 'write', { path: p, content: 'root::0:0::/root:/bin/sh\n' }), `write ${p}`);
      refused(await call('POST', 'chmod', { path: p, mode: '777' }), `chmod ${p}`);
    }
    refused(await call('POST', 'chmod', { path: '/tenant', mode: '777' }), 'chmod /tenant');
    refused(await call('POST', 'mkdir', { path: '/tenant/evil' }), 'mkdir /tenant/evil');
    const form = new FormData();
    form.append('file', new Blob(['pwned']), 'evil.php');
    const res = await fetch(`${bed.panel.url}/api/files/upload?account_id=1&path=/tenant`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${bed.panel.tokens.user}` },
    });
    refused({ status: res.status, body: await res.json() }, 'upload into /tenant');
  });

  it('refuses delete, rename, copy and archive operations through a link', async () => {
    refused(await call('DELETE', 'delete', { path: '/tenant/secret.txt' }), 'delete through link');
    refused(await call('POST', 'rename', { from: '/tenant/secret.txt', to: '/mine.txt' }), 'rename out through link');
    refused(await call('POST', 'rename', { from: '/public_html', to: '/tenant/public_html' }), 'rename into link');
    refused(await call('POST', 'copy', { from: '/tenant/secret.txt', to: '/mine.txt' }), 'copy out through link');
    refused(await call('POST', 'copy', { from: '/public_html', to: '/tenant/copy' }), 'copy into link');
    refused(await call('POST', 'extract', { path: '/tenant/site.zip', destination: '/x' }), 'extract from link');
    refused(
      await call('POST', 'compress', { paths: ['/tenant/secret.txt'], destination: '/x.tar.gz' }),
      'compress through link',
    );
    refused(
      await call('POST', 'compress', { paths: ['/public_html'], destination: '/tenant/x.tar.gz' }),
      'compress into link',
    );
  });

  it('changed nothing: /etc/shadow, the other tenant and the panel config are as they were', () => {
    expect(state()).toEqual(before);
    expect(readFileSync('/etc/shadow', 'utf8')).not.toContain('root::0:0');
  });

  it('archives and copies the link itself, never its target', async () => {
    let res = await call('POST', 'compress', { paths: ['/public_html', '/shadow'], destination: '/site.tar.gz' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ path: '/site.tar.gz', skipped_links: 2 });
    const listing = execFileSync('tar', ['-tzvf', path.join(bed.home(1), 'site.tar.gz')], { encoding: 'utf8' });
    expect(listing).not.toMatch(/cfgdir|shadow|velopanel/);
    const content = execFileSync('tar', ['-xzOf', path.join(bed.home(1), 'site.tar.gz')], { encoding: 'utf8' });
    expect(content).not.toContain('panel-secret');
    res = await call('POST', 'copy', { from: '/tenantfile', to: '/stolen' });
    expect(res.status).toBe(200);
    expect(lstatSync(path.join(bed.home(1), 'stolen')).isSymbolicLink()).toBe(true);
    refused(await get('read', '/stolen'), 'read the copied link');
  });

  it('deletes and renames the link itself, leaving its target intact', async () => {
    let res = await call('POST', 'rename', { from: '/config', to: '/config-link' });
    expect(res.status).toBe(200);
    res = await call('DELETE', 'delete', { path: '/config-link' });
    expect(res.body.data).toEqual({ path: '/config-link', removed: 1 });
    res = await call('DELETE', 'delete', { path: '/tenant' });
    expect(res.status).toBe(200);
    expect(readFileSync(bed.panelConfig, 'utf8')).toContain('panel-secret');
    expect(readFileSync(path.join(bed.home(2), 'secret.txt'), 'utf8')).toBe('alice2 secret\n');
    expect(lstatSync('/etc/shadow').isFile()).toBe(true);
  });
});
