import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FragmentDirectory } from './vhost-fragments.js';
import { MANAGED_MARKER } from './webserver-engines.js';

const frag = (name: string, body: string) => ({ name, content: `${MANAGED_MARKER}\n${body}\n` });

describe('FragmentDirectory', () => {
  let dir: string;
  let fd: FragmentDirectory;
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vp-fragments-'));
    fd = new FragmentDirectory(dir, '.conf');
    fd.prepare();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('swaps in new and changed files and forgets the old versions on commit', () => {
    fd.swap({ write: [frag('a.test.conf', 'one'), frag('b.test.conf', 'two')], remove: [] }).commit();
    const swap = fd.swap({ write: [frag('a.test.conf', 'uno')], remove: ['b.test.conf'] });
    expect(swap).toMatchObject({ written: 1, removed: 1 });
    swap.commit();
    expect(readdirSync(dir)).toEqual(['a.test.conf']);
    expect(read('a.test.conf')).toContain('uno');
  });

  it('puts back exactly the previous set on rollback', () => {
    fd.swap({ write: [frag('a.test.conf', 'one'), frag('b.test.conf', 'two')], remove: [] }).commit();
    const swap = fd.swap({
      write: [frag('a.test.conf', 'changed'), frag('c.test.conf', 'new')],
      remove: ['b.test.conf'],
    });
    expect(read('a.test.conf')).toContain('changed');
    swap.rollback();
    expect(readdirSync(dir).sort()).toEqual(['a.test.conf', 'b.test.conf']);
    expect(read('a.test.conf')).toContain('one');
    expect(read('b.test.conf')).toContain('two');
  });

  it('lists only managed files and restores an operator file it replaced', () => {
    writeFileSync(path.join(dir, 'operator.conf'), '# mine\n');
    writeFileSync(path.join(dir, 'notes.txt'), MANAGED_MARKER);
    expect([...fd.readAll().keys()]).toEqual([]);
    const swap = fd.swap({ write: [frag('operator.conf', 'x')], remove: [] });
    swap.rollback();
    expect(read('operator.conf')).toBe('# mine\n');
  });

  it('sees a file changed behind its back even after caching it', () => {
    fd.swap({ write: [frag('a.test.conf', 'one')], remove: [] }).commit();
    expect(fd.readAll().get('a.test.conf')).toContain('one');
    writeFileSync(path.join(dir, 'a.test.conf'), `${MANAGED_MARKER}\nedited\n`);
    expect(fd.readAll().get('a.test.conf')).toContain('edited');
    rmSync(path.join(dir, 'a.test.conf'));
    expect(fd.readAll().size).toBe(0);
    expect(fd.readAll(['a.test.conf', 'missing.conf']).size).toBe(0);
  });

  it('undoes a swap a crash interrupted', () => {
    fd.swap({ write: [frag('a.test.conf', 'one')], remove: [] }).commit();
    fd.swap({ write: [frag('a.test.conf', 'two'), frag('b.test.conf', 'x')], remove: [] });
    writeFileSync(path.join(dir, 'c.test.conf.vp-new'), 'half');
    expect(new FragmentDirectory(dir, '.conf').prepare()).toBe(1);
    expect(read('a.test.conf')).toContain('one');
    expect(existsSync(path.join(dir, 'c.test.conf.vp-new'))).toBe(false);
  });

  it('refuses names with path parts or the wrong suffix', () => {
    for (const name of ['../x.conf', 'a/b.conf', 'a.toml', '.hidden.conf', 'A.conf'])
      expect(() => fd.swap({ write: [frag(name, 'x')], remove: [] })).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});
