// Linux mode with a real throwaway account user: every operation runs in a child process as that
// user, so new files belong to it, and the kernel refuses what the user itself may not do.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarGz } from './archive-fixtures.js';
import { AGENT_TIMEOUT, isRoot, startModeBed, treeState, type FilesBed } from './bed.js';

describe.runIf(isRoot)('linux mode: operations run as the account user', AGENT_TIMEOUT, () => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const owner = (rel: string) => {
    const st = statSync(path.join(bed.home(1), rel));
    return { uid: st.uid, gid: st.gid, mode: (st.mode & 0o7777).toString(8) };
  };
  const call = (method: string, route: string, body: object) =>
    bed.panel.request(method, `/api/files/${route}`, { body: { account_id: 1, ...body }, as: 'user' });

  beforeAll(async () => {
    bed = await startModeBed('linux');
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('creates files and folders owned by the account with sane modes', async () => {
    const me = { uid: bed.user!.uid, gid: bed.user!.gid };
    expect((await call('POST', 'write', { path: '/public_html/index.html', content: '<h1>hi</h1>' })).status).toBe(200);
    expect(owner('public_html/index.html')).toEqual({ ...me, mode: '644' });
    expect((await call('POST', 'mkdir', { path: '/public_html/a/b' })).status).toBe(200);
    expect(owner('public_html/a')).toEqual({ ...me, mode: '755' });
    expect(owner('public_html/a/b')).toEqual({ ...me, mode: '755' });
    const form = new FormData();
    form.append('file', new Blob(['data']), 'up.bin');
    const up = await fetch(`${bed.panel.url}/api/files/upload?account_id=1&path=/public_html/a`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${bed.panel.tokens.user}` },
    });
    expect(up.status).toBe(200);
    expect(owner('public_html/a/up.bin')).toEqual({ ...me, mode: '644' });
    expect((await call('POST', 'copy', { from: '/public_html', to: '/copy' })).status).toBe(200);
    expect(owner('copy/a/up.bin')).toEqual({ ...me, mode: '644' });
    writeFileSync(path.join(bed.home(1), 'x.tar.gz'), await tarGz([{ name: 'x/y.txt', data: 'y', mode: 0o600 }]));
    expect((await call('POST', 'extract', { path: '/x.tar.gz', destination: '/out' })).status).toBe(200);
    expect(owner('out/x/y.txt')).toEqual({ ...me, mode: '600' });
    expect((await call('POST', 'compress', { paths: ['/out'], destination: '/out.tar.gz' })).status).toBe(200);
    expect(owner('out.tar.gz')).toEqual({ ...me, mode: '644' });
  });

  it('meets the kernel as the second wall: root-owned files inside the home stay out of reach', async () => {
    const locked = path.join(bed.home(1), 'root-only');
    mkdirSync(locked, { mode: 0o700 });
    writeFileSync(path.join(bed.home(1), 'root.conf'), 'root secret\n', { mode: 0o600 });
    writeFileSync(path.join(locked, 'inner.txt'), 'inner\n', { mode: 0o644 });
    const before = treeState(bed.home(1));
    const checks: [string, Promise<{ status: number; body: { error: string } }>][] = [
      ['read', bed.panel.request('GET', '/api/files/read?account_id=1&path=/root.conf', { as: 'user' })],
      ['chmod', call('POST', 'chmod', { path: '/root.conf', mode: '644' })],
      ['list', bed.panel.request('GET', '/api/files/list?account_id=1&path=/root-only', { as: 'user' })],
      ['write inside', call('POST', 'write', { path: '/root-only/evil.txt', content: 'x' })],
      ['delete inside', call('DELETE', 'delete', { path: '/root-only/inner.txt' })],
    ];
    for (const [what, pending] of checks) {
      const res = await pending;
      expect(res.status, what).toBe(403);
      expect(res.body.error, what).toMatch(/^Permission denied on '\/root/);
    }
    expect(treeState(bed.home(1))).toEqual(before);
  });

  it('refuses an account that has no system user rather than acting as root', async () => {
    const res = await bed.panel.request('GET', '/api/files/list?account_id=2&path=/', { as: 'admin' });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('This account has no system user to run file operations as');
  });
});
