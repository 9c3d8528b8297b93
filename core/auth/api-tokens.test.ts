import { describe, expect, it } from 'vitest';
import { API_TOKEN_PREFIX, compileAllowList, hashApiToken, ipAllowed, stampMs } from './api-tokens.js';

describe('API token helpers', () => {
  it('checks addresses against allow-lists of addresses and ranges, v4 and v6', () => {
    const list = compileAllowList(['192.0.2.10', '10.0.0.0/8', '2001:db8::/32']);
    expect(ipAllowed(list, '192.0.2.10')).toBe(true);
    expect(ipAllowed(list, '192.0.2.11')).toBe(false);
    expect(ipAllowed(list, '10.200.3.4')).toBe(true);
    expect(ipAllowed(list, '2001:db8:1::5')).toBe(true);
    expect(ipAllowed(list, '2001:db9::5')).toBe(false);
    expect(ipAllowed(list, 'not-an-ip')).toBe(false);
  });

  it('names the bad entry of an allow-list', () => {
    expect(() => compileAllowList(['10.0.0.1', '10.0.0.0/8/1'])).toThrow(
      "allowed_ips.1: '10.0.0.0/8/1' is not an IP address or CIDR range",
    );
    expect(() => compileAllowList(['::1/129'])).toThrow(/allowed_ips\.0/);
    expect(() => compileAllowList(['10.0.0.0/x'])).toThrow(/allowed_ips\.0/);
    expect(() => compileAllowList(['localhost'])).toThrow(/allowed_ips\.0/);
  });

  it('hashes tokens and reads stored times as UTC', () => {
    expect(hashApiToken(`${API_TOKEN_PREFIX}abc`)).toMatch(/^[0-9a-f]{64}$/);
    expect(stampMs('2026-02-28 15:44:05')).toBe(Date.UTC(2026, 1, 28, 15, 44, 5));
  });
});
