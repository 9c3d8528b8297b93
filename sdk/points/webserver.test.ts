import { describe, expect, it } from 'vitest';
import { normalizeDomainName } from './webserver.js';

describe('normalizeDomainName', () => {
  it('accepts FQDNs and stores them lowercase, IDNs as punycode, without a trailing dot', () => {
    expect(normalizeDomainName('Example.COM')).toBe('example.com');
    expect(normalizeDomainName('blog.example.com.')).toBe('blog.example.com');
    expect(normalizeDomainName('Bücher.example')).toBe('xn--bcher-kva.example');
    expect(normalizeDomainName('xn--bcher-kva.example')).toBe('xn--bcher-kva.example');
    expect(normalizeDomainName('a-b.c-d.example')).toBe('a-b.c-d.example');
    expect(normalizeDomainName('example.xn--p1ai')).toBe('example.xn--p1ai');
  });

  it('refuses everything else', () => {
    const bad: unknown[] = [
      '',
      'localhost',
      '*.example.com',
      '127.0.0.1',
      'example.123',
      '-a.example',
      'a-.example',
      'a..example',
      '.example.com',
      'a.example\n',
      'a.example;',
      'a.exa mple',
      'a_b.example',
      'a/b.example',
      'user@example.com',
      'a.example:80',
      `${'a'.repeat(64)}.example`,
      `${'a.'.repeat(130)}example`,
      'a.example}',
      '"a.example"',
      'a.example%0a',
      null,
      42,
      ['a.example'],
      { d: 'a.example' },
    ];
    for (const value of bad) expect(normalizeDomainName(value), JSON.stringify(value)).toBeNull();
  });
});
