// `POST /api/files/rename` (and a copy's last step) never replaces a name, even one the account's own processes create
// between the panel's existence check and the move (held there with the pause point
// `files.rename.checked`, in local mode where the operation runs in this process). In both modes
// a file keeps its inode, mode and owner, a folder moves whole, and a taken name answers 409.
import { chownSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdAt } from '../../sdk/index.js';
import { AGENT_TIMEOUT, MODES, startModeBed, type FilesBed } from './bed.js';

describe.each(MODES)('rename without replacing (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const rename = (from: string, to: string) =>
    bed.panel.request('POST', '/api/files/rename', { body: { account_id: 1, from, to }, as: 'user' });
  const file = (rel: string) => path.join(bed.home(1), rel);
  const own = (rel: string) => {
    if (bed.user) chownSync(file(rel), bed.user.uid, bed.user.gid);
  };
  const put = (rel: string, content: string) => {
    writeFileSync(file(rel), content, { mode: 0o640 });
    own(rel);
  };

  beforeAll(async () => {
    bed = await startModeBed(mode);
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('moves a file as the same inode, mode and owner, leaving no second name', async () => {
    put('public_html/a.txt', 'alpha\n');
    const before = statSync(file('public_html/a.txt'));
    const res = await rename('/public_html/a.txt', '/public_html/b.txt');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ from: '/public_html/a.txt', to: '/public_html/b.txt' });
    const after = statSync(file('public_html/b.txt'));
    expect([after.ino, after.mode, after.uid, after.nlink]).toEqual([before.ino, before.mode, before.uid, 1]);
    expect(() => lstatSync(file('public_html/a.txt'))).toThrow();
  });

  // In linux mode the kernel will not hard-link another owner's file for the account
  // (protected_hardlinks): the move then takes the name with a placeholder of its own.
  it('moves a file the account does not own, keeping its owner', async () => {
    writeFileSync(file('public_html/roots.txt'), 'root-owned\n', { mode: 0o644 });
    const before = statSync(file('public_html/roots.txt'));
    expect((await rename('/public_html/roots.txt', '/public_html/roots-moved.txt')).status).toBe(200);
    const after = statSync(file('public_html/roots-moved.txt'));
    expect([after.ino, after.uid, after.nlink, readFileSync(file('public_html/roots-moved.txt'), 'utf8')]).toEqual([
      before.ino,
      before.uid,
      1,
      'root-owned\n',
    ]);
    expect(readdirSync(file('public_html')).filter((n) => n.startsWith('roots'))).toEqual(['roots-moved.txt']);
  });

  it('moves a folder whole and refuses a name that exists, changing nothing', async () => {
    mkdirSync(file('public_html/dir'));
    own('public_html/dir');
    put('public_html/dir/inner.txt', 'inner\n');
    expect((await rename('/public_html/dir', '/moved')).status).toBe(200);
    expect(readFileSync(file('moved/inner.txt'), 'utf8')).toBe('inner\n');
    put('public_html/taken.txt', 'keep me\n');
    const taken = await rename('/public_html/b.txt', '/public_html/taken.txt');
    expect({ status: taken.status, error: taken.body.error }).toEqual({
      status: 409,
      error: "'/public_html/taken.txt' already exists",
    });
    expect(readFileSync(file('public_html/taken.txt'), 'utf8')).toBe('keep me\n');
    expect(readFileSync(file('public_html/b.txt'), 'utf8')).toBe('alpha\n');
    expect((await rename('/moved', '/public_html')).status).toBe(409);
    expect(readdirSync(file('moved'))).toEqual(['inner.txt']);
  });
});

describe("rename racing the account's own processes (local mode: the operation runs in this process)", () => {
  let bed: FilesBed;
  const rename = (from: string, to: string) =>
    bed.panel.request('POST', '/api/files/rename', { body: { account_id: 1, from, to }, as: 'user' });
  const file = (rel: string) => path.join(bed.home(1), rel);
  const put = (rel: string, content: string) => writeFileSync(file(rel), content);

  beforeAll(async () => {
    bed = await startModeBed('local');
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('does not overwrite a file created between the check and the move', async () => {
    put('public_html/draft.txt', 'draft\n');
    const hold = holdAt('files.rename.checked');
    const move = rename('/public_html/draft.txt', '/public_html/final.txt');
    await hold.reached;
    put('public_html/final.txt', 'written meanwhile by the site\n');
    hold.release();
    const res = await move;
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 409,
      error: "'/public_html/final.txt' already exists",
    });
    expect(readFileSync(file('public_html/final.txt'), 'utf8')).toBe('written meanwhile by the site\n');
    expect(readFileSync(file('public_html/draft.txt'), 'utf8')).toBe('draft\n');
  });

  it('does not replace a folder created between the check and the move', async () => {
    mkdirSync(file('src'));
    put('src/x.txt', 'x\n');
    const hold = holdAt('files.rename.checked');
    const move = rename('/src', '/dest');
    await hold.reached;
    mkdirSync(file('dest'));
    hold.release();
    expect((await move).status).toBe(409);
    expect(readdirSync(file('dest'))).toEqual([]);
    expect(readdirSync(file('src'))).toEqual(['x.txt']);
  });

  it('does not let a finished copy replace a file created while it was copied', async () => {
    put('orig.txt', 'original\n');
    const hold = holdAt('files.copy.staged');
    const copy = bed.panel.request('POST', '/api/files/copy', {
      body: { account_id: 1, from: '/orig.txt', to: '/dup.txt' },
      as: 'user',
    });
    await hold.reached;
    put('dup.txt', 'the site wrote this\n');
    hold.release();
    expect((await copy).status).toBe(409);
    expect(readFileSync(file('dup.txt'), 'utf8')).toBe('the site wrote this\n');
    expect(readdirSync(bed.home(1)).filter((n) => n.startsWith('.vp-copy-'))).toEqual([]);
  });
});
