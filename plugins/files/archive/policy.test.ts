import { describe, expect, it } from 'vitest';
import { checkMember, planner } from './policy.js';

const file = (name: string, extra = {}) => ({ name, type: 'file', mode: 0o644, size: 3, ...extra });

describe('archive member policy', () => {
  it('accepts plain files and folders, dropping ./ and the root entry', () => {
    expect(checkMember(file('./site/a.txt'))).toEqual({
      parts: ['site', 'a.txt'],
      kind: 'file',
      mode: 0o644,
      size: 3,
      mtime: null,
    });
    expect(checkMember(file('b.txt', { mode: 0, mtime: -1 }))).toMatchObject({ mode: 0, mtime: -1 });
    expect(checkMember({ name: './', type: 'directory', mode: 0o755, size: 0 })).toBeNull();
  });

  it.each([
    [file('../x'), "must not contain '..'"],
    [file('/etc/x'), 'absolute name'],
    [file('C:/x'), 'drive letter'],
    [file('a\\b'), 'drive letter'],
    [file('a\nb'), 'control characters'],
    [file('x', { mode: 0o4755 }), 'setuid'],
    [file('x', { type: 'symlink' }), 'symbolic link'],
    [file('x', { type: 'link' }), 'hard link'],
    [file('x', { type: 'fifo' }), 'FIFO'],
    [file('x', { type: 'block-device' }), 'device node'],
    [file('x', { type: 'gnu-weird' }), 'unsupported type'],
    [file('x', { size: -1 }), 'invalid size'],
    [file(''), 'empty name'],
  ])('refuses %j', (member, message) => {
    expect(() => checkMember(member)).toThrow(message);
  });

  it('plans totals in bytes and in disk blocks (implied folders included), first-level names, and caps the member count', () => {
    const p = planner(2, 1024);
    p.add(file('a/1'));
    p.add(file('b'));
    expect(p.plan).toEqual({ members: 2, bytes: 6, disk: 3 * 1024, roots: ['a', 'b'] });
    expect(() => p.add(file('c'))).toThrow('more than 2 members');
  });
});
