import { describe, expect, it } from 'vitest';
import type { DomainRow } from './store.js';
import { wwwNameOf } from './vhosts.js';

const row = (domain_name: string, domain_type: DomainRow['domain_type']): DomainRow => ({
  id: 1,
  account_id: 1,
  domain_name,
  domain_type,
  document_root: '/home/jo/public_html',
  alias_of: null,
  created_at: '2026-01-01 00:00:00',
});

describe('wwwNameOf', () => {
  it('gives primary and addon domains their www. name', () => {
    expect(wwwNameOf(row('example.test', 'primary'))).toBe('www.example.test');
    expect(wwwNameOf(row('xn--bcher-kva.example', 'addon'))).toBe('www.xn--bcher-kva.example');
  });

  it('gives none to subdomains, aliases, names already starting with www., or when the name would be too long', () => {
    expect(wwwNameOf(row('shop.example.test', 'subdomain'))).toBeNull();
    expect(wwwNameOf(row('other.test', 'alias'))).toBeNull();
    expect(wwwNameOf(row('www.example.test', 'primary'))).toBeNull();
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.test`;
    expect(long.length).toBe(253);
    expect(wwwNameOf(row(long, 'primary'))).toBeNull();
  });
});
