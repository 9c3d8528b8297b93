import { describe, expect, it } from 'vitest';
import { checkWebroot, isDomainName } from './domain-name.js';

describe('domain names and webroots', () => {
  it('accepts ASCII host names only', () => {
    for (const ok of [
      'example.com',
      'a.b.c.example',
      'xn--bcher-kva.example',
      'x-1.test',
      'Shop.Example.COM',
      `${'a'.repeat(63)}.test`,
    ])
      expect(isDomainName(ok), ok).toBe(true);
    for (const bad of [
      '',
      'localhost',
      '*.example.com',
      'a..b',
      '-a.test',
      'a-.test',
      'a.test.',
      'bücher.test',
      'a.test\n',
      'a.test;id',
      '../etc',
      `${'a'.repeat(64)}.test`,
      `${'abc.'.repeat(63)}test`,
      '1.2.3.4',
      'a b.test',
      'a.test/x',
      'a_b.test',
    ])
      expect(isDomainName(bad), JSON.stringify(bad)).toBe(false);
  });

  it('keeps a webroot inside the home, prefix trap included', () => {
    expect(checkWebroot('/home/alice', '/home/alice/public_html')).toBe('/home/alice/public_html');
    expect(checkWebroot('/home/alice', '/home/alice')).toBe('/home/alice');
    for (const bad of ['/home/alice2/public_html', '/home/alice/../bob', '/etc', '/home/alice/./x', '/home'])
      expect(() => checkWebroot('/home/alice', bad), bad).toThrow(/^webroot: /);
  });
});
