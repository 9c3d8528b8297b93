import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

describe('KeyedLock', () => {
  it('runs work of one key one at a time, in order, and other keys alongside', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = lock.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
      return 1;
    });
    const second = lock.run('a', async () => {
      log.push('a2');
      return 2;
    });
    const other = lock.run('b', async () => {
      log.push('b');
      return 3;
    });
    expect(await other).toBe(3);
    expect(log).toEqual(['a1 start', 'b']);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('keeps going after a failure', async () => {
    const lock = new KeyedLock();
    await expect(
      lock.run('a', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await lock.run('a', async () => 'next')).toBe('next');
  });
});
