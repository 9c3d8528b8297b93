// Delete of a folder is all-or-nothing for the user: the folder is moved into the panel's trash
// (<home>/.velopanel-trash, hidden and out of reach of every route) with one rename and emptied
// afterwards, as the account in linux mode. A refusal before the rename changes nothing; what a
// crash leaves in the trash is emptied at start-up.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarGz } from './archive-fixtures.js';
import { AGENT_TIMEOUT, isRoot, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

const TRASH = '.velopanel-trash';

/** Wait (bounded) until the trash of `home` holds nothing; returns what is left. */
async function trashEmptied(home: string): Promise<string[]> {
  const left = () => (existsSync(path.join(home, TRASH)) ? readdirSync(path.join(home, TRASH)) : []);
  for (let i = 0; i < 1200 && left().length > 0; i++) await sleep(50);
  return left();
}

describe.each(MODES)('delete through the trash (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const call = (method: string, route: string, body: object) =>
    bed.panel.request(method, `/api/files/${route}`, { body: { account_id: 1, ...body }, as: 'user' });
  const own = (p: string) => {
    if (bed.user) execFileSync('chown', ['-R', `${bed.user.uid}:${bed.user.gid}`, '--', p]);
  };
  const site = (name: string) => {
    const root = path.join(bed.home(1), name);
    mkdirSync(path.join(root, 'css'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<h1>x</h1>');
    writeFileSync(path.join(root, 'css', 'a.css'), 'a{}');
    own(root);
    return root;
  };

  beforeAll(async () => {
    bed = await startModeBed(mode, {
      // What a crash between the rename and the purge leaves behind.
      beforeStart: (accounts) => {
        const left = path.join(accounts.get(1)!.home_dir, TRASH, 'crashed', 'deep');
        mkdirSync(left, { recursive: true });
        writeFileSync(path.join(left, 'x.txt'), 'x');
        const a = accounts.get(1)!;
        if (a.uid !== null) execFileSync('chown', ['-R', `${a.uid}:${a.gid}`, '--', path.join(a.home_dir, TRASH)]);
      },
    });
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('empties at start-up what a crash left in the trash', async () => {
    expect(await trashEmptied(bed.home(1))).toEqual([]);
  });

  it('moves a deleted folder out of sight at once and empties the trash afterwards, as the account', async () => {
    site('site');
    const res = await call('DELETE', 'delete', { path: '/site' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ path: '/site', removed: 4 });
    expect(existsSync(path.join(bed.home(1), 'site'))).toBe(false);
    const list = await bed.panel.request('GET', '/api/files/list?account_id=1&path=/', { as: 'user' });
    expect(list.body.data.entries.map((e: { name: string }) => e.name)).not.toContain(TRASH);
    expect(await trashEmptied(bed.home(1))).toEqual([]);
    if (bed.user) expect(statSync(path.join(bed.home(1), TRASH)).uid).toBe(bed.user.uid);
  });

  it('keeps the trash out of reach of every route', async () => {
    writeFileSync(path.join(bed.home(1), 'a.tar.gz'), await tarGz([{ name: `${TRASH}/x.txt`, data: 'x' }]));
    own(path.join(bed.home(1), 'a.tar.gz'));
    const before = treeState(bed.home(1));
    const reserved = /^(path|from|to|paths|destination): '\/\.velopanel-trash' is reserved by the panel$/;
    const attempts: [string, Promise<{ status: number; body: { error: string } }>][] = [
      ['list', bed.panel.request('GET', `/api/files/list?account_id=1&path=/${TRASH}`, { as: 'user' })],
      ['read', bed.panel.request('GET', `/api/files/read?account_id=1&path=/${TRASH}/x`, { as: 'user' })],
      ['write', call('POST', 'write', { path: `/${TRASH}/x`, content: 'x' })],
      ['mkdir', call('POST', 'mkdir', { path: `/${TRASH}/x` })],
      ['chmod', call('POST', 'chmod', { path: `/${TRASH}`, mode: '777' })],
      ['delete', call('DELETE', 'delete', { path: `/${TRASH}` })],
      ['rename', call('POST', 'rename', { from: '/public_html', to: `/${TRASH}/p` })],
      ['copy', call('POST', 'copy', { from: `/${TRASH}`, to: '/t' })],
      ['compress', call('POST', 'compress', { paths: [`/${TRASH}`], destination: '/t.tar.gz' })],
      ['extract into', call('POST', 'extract', { path: '/a.tar.gz', destination: `/${TRASH}` })],
    ];
    for (const [what, pending] of attempts) {
      const res = await pending;
      expect(res.status, what).toBe(400);
      expect(res.body.error, what).toMatch(reserved);
    }
    const res = await call('POST', 'extract', { path: '/a.tar.gz', destination: '/' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(`archive member '${TRASH}' would land on '/${TRASH}', which is reserved by the panel`);
    expect(treeState(bed.home(1))).toEqual(before);
  });

  it('refuses a folder it could only half delete, changing nothing', async () => {
    const deep = site('deep');
    mkdirSync(path.join(deep, ...Array.from({ length: 258 }, () => 'd')), { recursive: true });
    own(deep);
    let before = treeState(bed.home(1));
    let res = await call('DELETE', 'delete', { path: '/deep' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/is nested deeper than 256 levels$/);
    expect(treeState(bed.home(1))).toEqual(before);
    if (!bed.user) return;
    // Linux mode: a root-owned folder inside the tree the account cannot empty.
    const locked = site('locked');
    mkdirSync(path.join(locked, 'root-only'), { mode: 0o700 });
    writeFileSync(path.join(locked, 'root-only', 'r.txt'), 'r');
    before = treeState(bed.home(1));
    res = await call('DELETE', 'delete', { path: '/locked' });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("Permission denied on '/locked/root-only'");
    expect(treeState(bed.home(1))).toEqual(before);
  });

  it.runIf(isRoot)('changes nothing when the rename into the trash fails', async () => {
    site('kept');
    const trash = path.join(bed.home(1), TRASH);
    const before = treeState(bed.home(1));
    execFileSync('chattr', ['+i', '--', trash]);
    try {
      const res = await call('DELETE', 'delete', { path: '/kept' });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe("Permission denied on '/kept'");
    } finally {
      execFileSync('chattr', ['-i', '--', trash]);
    }
    expect(treeState(bed.home(1))).toEqual(before);
    chownSync(trash, bed.user?.uid ?? 0, bed.user?.gid ?? 0);
  });
});
