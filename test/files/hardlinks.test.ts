// Hostile class 7 (hard links): a hard link to a root-owned file inside the home (possible where
// fs.protected_hardlinks is off) is never read, chmod-ed, copied or archived; a write detaches it.
import { chownSync, linkSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

describe.each(MODES)('hard links to files the account does not own (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  let before: Record<string, string>;
  const victims = () => [path.join(bed.root, 'root-secret'), path.join(bed.root, 'root-readable')];
  const state = () => treeState(bed.root, bed.home(1));
  const call = (method: string, route: string, body: object) =>
    bed.panel.request(method, `/api/files/${route}`, { body: { account_id: 1, ...body }, as: 'user' });
  const refused = (res: { status: number; body: { error: string } }, what: string, kernelToo = false) => {
    expect(res.status, what).toBe(403);
    // As the account's user the kernel may refuse the open first (the second wall): still a 403.
    expect(res.body.error, what).toMatch(
      kernelToo && mode === 'linux'
        ? /hard links and is not owned|^Permission denied on/
        : /has 2 hard links and is not owned by the account/,
    );
  };

  beforeAll(async () => {
    bed = await startModeBed(mode);
    const [secret, readable] = victims();
    writeFileSync(secret!, 'root:$6$hash:19000:0:99999:7:::\n', { mode: 0o600 });
    writeFileSync(readable!, 'root readable\n', { mode: 0o644 });
    linkSync(secret!, path.join(bed.home(1), 'shadow-link'));
    linkSync(readable!, path.join(bed.home(1), 'public_html', 'readable-link'));
    before = state();
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('refuses to read or download them', async () => {
    for (const p of ['/shadow-link', '/public_html/readable-link']) {
      refused(
        await bed.panel.request('GET', `/api/files/read?account_id=1&path=${p}`, { as: 'user' }),
        `read ${p}`,
        p === '/shadow-link',
      );
      refused(
        await bed.panel.request('GET', `/api/files/download?account_id=1&path=${p}`, { as: 'user' }),
        `download ${p}`,
        p === '/shadow-link',
      );
    }
  });

  it('refuses to chmod them', async () => {
    refused(await call('POST', 'chmod', { path: '/shadow-link', mode: '666' }), 'chmod shadow-link');
    refused(await call('POST', 'chmod', { path: '/public_html/readable-link', mode: '777' }), 'chmod readable-link');
    expect(statSync(victims()[0]!).mode & 0o777).toBe(0o600);
  });

  it('refuses to copy or archive them, before writing anything', async () => {
    refused(await call('POST', 'copy', { from: '/shadow-link', to: '/copy' }), 'copy the link');
    refused(await call('POST', 'copy', { from: '/public_html', to: '/site-copy' }), 'copy a folder holding one');
    refused(
      await call('POST', 'compress', { paths: ['/public_html'], destination: '/site.tar.gz' }),
      'compress a folder holding one',
    );
  });

  it('changed nothing anywhere', () => {
    expect(state()).toEqual(before);
  });

  it('a write replaces the name and never writes through to the root-owned file', async () => {
    const res = await call('POST', 'write', { path: '/shadow-link', content: 'root::0:0:::::\n' });
    expect(res.status).toBe(200);
    expect(readFileSync(victims()[0]!, 'utf8')).toBe('root:$6$hash:19000:0:99999:7:::\n');
    expect(statSync(victims()[0]!).nlink).toBe(1);
    const mine = statSync(path.join(bed.home(1), 'shadow-link'));
    expect(mine.nlink).toBe(1);
    if (bed.user) expect(mine.uid).toBe(bed.user.uid);
  });

  it('a delete removes only the link', async () => {
    const res = await call('DELETE', 'delete', { path: '/public_html/readable-link' });
    expect(res.status).toBe(200);
    expect(readFileSync(victims()[1]!, 'utf8')).toBe('root readable\n');
  });

  // Only linux mode has an account uid to own files; defined there only, so no run reports a skip.
  if (mode === 'linux')
    it("still reads hard links among the account's own files", async () => {
      const own = path.join(bed.home(1), 'own.txt');
      writeFileSync(own, 'mine\n');
      chownSync(own, bed.user!.uid, bed.user!.gid);
      linkSync(own, path.join(bed.home(1), 'own-link.txt'));
      const res = await bed.panel.request('GET', '/api/files/read?account_id=1&path=/own-link.txt', { as: 'user' });
      expect(res.status).toBe(200);
      expect(res.body.data.content).toBe('mine\n');
    });
});
