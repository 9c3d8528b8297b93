import { describe, expect, it } from 'vitest';
import { normalizeDomainName } from './webserver.js';

describe('normalizeDomainName', () => {
  it('accepts FQDNs and stores them lowercase, IDNs as punycode, without a trailing dot', () => {
    const stored: [given: string, stored: string][] = [
      ['Example.COM', 'example.com'],
      ['blog.example.com.', 'blog.example.com'],
      ['Bücher.example', 'xn--bcher-kva.example'],
      ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
      ['a-b.c-d.example', 'a-b.c-d.example'],
      ['example.xn--p1ai', 'example.xn--p1ai'],
    ];
    for (const [given, name] of stored) expect(normalizeDomainName(given), given).toBe(name);
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
