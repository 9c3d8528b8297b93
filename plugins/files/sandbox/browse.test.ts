import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDir } from './browse.js';

describe('listDir', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'vp-list-'));
    for (const [dir, count] of [
      ['small', 3],
      ['large', 1500],
    ] as const) {
      mkdirSync(path.join(home, dir, 'sub'), { recursive: true });
      for (let i = 0; i < count; i++) writeFileSync(path.join(home, dir, `f${i}.txt`), 'abc');
      writeFileSync(path.join(home, dir, 'odd\nname "é".txt'), 'x', { mode: 0o640 });
      symlinkSync('/etc/shadow', path.join(home, dir, 'link'));
    }
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it.each([
    ['small', 3],
    ['large', 1500],
  ] as const)('lists the %s folder the same way, links not followed', async (dir, count) => {
    const { entries } = await listDir({ home, ownerUid: null }, { path: `/${dir}` });
    expect(entries).toHaveLength(count + 3);
    expect(entries[0]).toMatchObject({ name: 'sub', type: 'directory' });
    expect(entries.find((e) => e.name === 'link')).toMatchObject({ type: 'symlink', size: '/etc/shadow'.length });
    expect(entries.find((e) => e.name === 'odd\nname "é".txt')).toMatchObject({
      type: 'file',
      size: 1,
      permissions: '640',
    });
    const f = entries.find((e) => e.name === 'f1.txt')!;
    expect(f).toMatchObject({ size: 3, type: 'file', permissions: '644' });
    expect(Math.abs(Date.parse(f.modified) - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('pages through folders first, then names, stating only the page, and hides the trash at the top', async () => {
    const all = (await listDir({ home, ownerUid: null }, { path: '/large' })).entries.map((e) => e.name);
    const page = await listDir({ home, ownerUid: null }, { path: '/large', offset: 1, limit: 3 });
    expect(page).toEqual({ path: '/large', total: all.length, entries: expect.any(Array) });
    expect(page.entries.map((e) => e.name)).toEqual(all.slice(1, 4));
    expect(all.slice(0, 2)).toEqual(['sub', 'f0.txt']);
    expect((await listDir({ home, ownerUid: null }, { path: '/large', offset: 5000 })).entries).toEqual([]);
    mkdirSync(path.join(home, '.velopanel-trash'), { recursive: true });
    const top = (await listDir({ home, ownerUid: null }, { path: '/' })).entries.map((e) => e.name);
    expect(top).toEqual(['large', 'small']);
  });
});
