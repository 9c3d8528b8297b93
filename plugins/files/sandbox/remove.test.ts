import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TRASH_DIR } from '../paths.js';
import { using } from './fd.js';
import { purgeTrash, trashFolder } from './remove.js';
import { walk, withHome } from './walk.js';

const isRoot = process.getuid?.() === 0;

/** Every path below `dir`, relative, sorted (a folder and what is in it). */
function tree(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const r = rel ? `${rel}/${e.name}` : e.name;
      return e.isDirectory() ? [r, ...tree(path.join(dir, e.name), r)] : [r];
    })
    .sort();
}

/** chattr +i for the duration of `fn` (root, on a filesystem with inode flags). */
async function immutable<T>(target: string, fn: () => Promise<T>): Promise<T> {
  execFileSync('chattr', ['+i', '--', target]);
  try {
    return await fn();
  } finally {
    execFileSync('chattr', ['-i', '--', target]);
  }
}

describe('delete through the trash', () => {
  let home: string;
  const ctx = () => ({ home, ownerUid: null });
  const trashSite = () => withHome(ctx(), async (h) => using(await walk(h, []), (d) => trashFolder(h, d, 'site')));

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'vp-trash-'));
    mkdirSync(path.join(home, 'site', 'css'), { recursive: true });
    writeFileSync(path.join(home, 'site', 'index.html'), '<h1>x</h1>');
    writeFileSync(path.join(home, 'site', 'css', 'a.css'), 'a{}');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('counts the folder, moves it into the trash in one rename, and the purge empties the trash', async () => {
    expect(await trashSite()).toEqual({ removed: 4, trashed: true });
    expect(existsSync(path.join(home, 'site'))).toBe(false);
    expect(tree(path.join(home, TRASH_DIR))).toHaveLength(4);
    expect(await purgeTrash(ctx())).toEqual({ removed: 4 });
    expect(tree(path.join(home, TRASH_DIR))).toEqual([]);
  });

  it('takes the trash name back from a link a tenant put there, never following it', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'vp-trash-outside-'));
    try {
      symlinkSync(outside, path.join(home, TRASH_DIR));
      await trashSite();
      expect(readdirSync(outside)).toEqual([]);
      expect(tree(path.join(home, TRASH_DIR))).toHaveLength(4);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('changes nothing when the tree is too deep to be emptied', async () => {
    mkdirSync(path.join(home, 'site', ...Array.from({ length: 258 }, () => 'd')), { recursive: true });
    const before = tree(home);
    await expect(trashSite()).rejects.toThrow('nested deeper than 256 levels');
    expect(tree(home)).toEqual(before);
  });

  it.runIf(isRoot)('changes nothing when the rename into the trash fails', async () => {
    mkdirSync(path.join(home, TRASH_DIR));
    const before = tree(home);
    await immutable(path.join(home, TRASH_DIR), () =>
      expect(trashSite()).rejects.toThrow("Permission denied on '/site'"),
    );
    expect(tree(home)).toEqual(before);
  });

  it.runIf(isRoot)('keeps what a failed purge left, and the next purge removes it', async () => {
    await trashSite();
    const [id] = readdirSync(path.join(home, TRASH_DIR));
    const stuck = path.join(home, TRASH_DIR, id!, 'css', 'a.css');
    await immutable(stuck, () => expect(purgeTrash(ctx())).rejects.toThrow('Permission denied'));
    expect(existsSync(stuck)).toBe(true);
    expect(existsSync(path.join(home, 'site'))).toBe(false);
    expect(await purgeTrash(ctx())).toMatchObject({ removed: expect.any(Number) });
    expect(tree(path.join(home, TRASH_DIR))).toEqual([]);
  });
});
