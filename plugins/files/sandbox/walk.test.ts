import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHome, openRegular, pinEntry, walk } from './walk.js';

describe('no-follow walk', () => {
  let root: string;
  let home: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'vp-walk-'));
    home = path.join(root, 'home');
    mkdirSync(path.join(home, 'a', 'b'), { recursive: true });
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(path.join(root, 'outside', 'secret'), 'outside');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a symlink anywhere on the way, naming it', async () => {
    symlinkSync(path.join(root, 'outside'), path.join(home, 'a', 'link'));
    const h = await openHome(home);
    await expect(walk(h, ['a', 'link'])).rejects.toThrow("'/a/link' is a symbolic link");
    await expect(walk(h, ['a', 'nope'])).rejects.toThrow("'/a/nope' does not exist");
    await h.close();
    await expect(openHome(path.join(home, 'a', 'link'))).rejects.toThrow('not a real directory');
  });

  it('keeps working on the folder it opened after the path is swapped for a link', async () => {
    const h = await openHome(home);
    const dir = await walk(h, ['a', 'b']);
    renameSync(path.join(home, 'a', 'b'), path.join(home, 'a', 'b.real'));
    symlinkSync(path.join(root, 'outside'), path.join(home, 'a', 'b'));
    await fs.writeFile(dir.at('new.txt'), 'inside', { flag: 'wx' });
    expect(readFileSync(path.join(home, 'a', 'b.real', 'new.txt'), 'utf8')).toBe('inside');
    expect(existsSync(path.join(root, 'outside', 'new.txt'))).toBe(false);
    await dir.close();
    await h.close();
  });

  it('pins the link itself, and refuses foreign hard links on open', async () => {
    symlinkSync(path.join(root, 'outside', 'secret'), path.join(home, 'l'));
    linkSync(path.join(root, 'outside', 'secret'), path.join(home, 'hl'));
    const h = await openHome(home);
    const pinned = await pinEntry(h, 'l');
    expect(pinned.st.isSymbolicLink()).toBe(true);
    await fs.chmod(`/proc/self/fd/${pinned.fd}`, 0o777).catch(() => undefined);
    await expect(openRegular(h, 'l', { home, ownerUid: null })).rejects.toThrow('symbolic link');
    await expect(openRegular(h, 'hl', { home, ownerUid: null })).rejects.toThrow('has 2 hard links');
    expect((await fs.stat(path.join(root, 'outside', 'secret'))).mode & 0o777).not.toBe(0o777);
    await h.close();
  });
});
