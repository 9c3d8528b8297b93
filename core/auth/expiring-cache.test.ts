import { describe, expect, it } from 'vitest';
import { ExpiringCache } from './expiring-cache.js';

describe('ExpiringCache', () => {
  it('forgets entries at their expiry', () => {
    const c = new ExpiringCache<string>(10);
    c.set('a', 'A', 1000);
    expect(c.get('a', 999)).toBe('A');
    expect(c.get('a', 1000)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('stays bounded, evicting the least recently used', () => {
    const c = new ExpiringCache<number>(3);
    for (const k of ['a', 'b', 'c']) c.set(k, 1, Infinity);
    c.get('a');
    c.set('d', 1, Infinity);
    expect(c.size).toBe(3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    for (let i = 0; i < 100; i++) c.set(`k${i}`, i, Infinity);
    expect(c.size).toBe(3);
  });

  it('deletes by value', () => {
    const c = new ExpiringCache<{ user: number }>(10);
    c.set('t1', { user: 1 }, Infinity);
    c.set('t2', { user: 2 }, Infinity);
    c.set('t3', { user: 1 }, Infinity);
    c.deleteWhere((v) => v.user === 1);
    expect([c.get('t1'), c.get('t2')?.user, c.get('t3')]).toEqual([undefined, 2, undefined]);
  });
});
