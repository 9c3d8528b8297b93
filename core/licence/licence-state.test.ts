import { describe, expect, it } from 'vitest';
import { evaluateLicence } from './licence-state.js';
import { TierTable } from './tiers.js';
import type { LicenceCheck } from './verify.js';

const DAY = 86_400_000;
const free = { max_accounts: 5, max_domains: 10 };
// The tier table as the accounts, domains, php, backups plugins and the auth module declare it.
const table = new TierTable();
table.declare('accounts', {
  limits: { max_accounts: { tiers: { community: 1, pro: 50, business: null }, communitySetting: 'max_accounts_free' } },
});
table.declare('domains', {
  limits: {
    max_domains: { tiers: { community: 10, pro: null, business: null }, communitySetting: 'max_domains_free' },
  },
});
table.declare('php', { features: { 'php.cgi': 'community', 'php.fpm': 'community', 'php.lsapi': 'pro' } });
table.declare('backups', { features: { 'backups.local': 'community', 'backups.remote': 'pro' } });
table.declare('auth', { features: { 'resellers.plugins': 'business' } });
table.configure('accounts', { max_accounts_free: 5 });
const now = Date.parse('2026-06-01T00:00:00Z');
const check = (claims: Record<string, unknown>): LicenceCheck => ({
  ok: true,
  kid: 'k',
  test: false,
  claims: {
    customer: 'Acme',
    tier: 'pro',
    nbf: (now - 30 * DAY) / 1000,
    exp: (now + 30 * DAY) / 1000,
    ...claims,
  } as any,
});

describe('evaluateLicence', () => {
  it("knows only the limits and features plugins declare; the Community figure comes from the owner's setting", () => {
    const bare = new TierTable();
    expect(evaluateLicence(check({ limits: { max_widgets: 3 } }), now, bare).view).toMatchObject({
      limits: {},
      features: [],
    });
    bare.declare('widgets', {
      limits: {
        max_widgets: { tiers: { community: 2, pro: 20, business: null }, communitySetting: 'max_widgets_free' },
      },
      features: { 'widgets.blue': 'pro' },
    });
    expect(
      bare.declare('other', { limits: { max_widgets: { tiers: { community: 9, pro: 9, business: 9 } } } }),
    ).toEqual(["licence limit 'max_widgets' of 'other' is already declared by 'widgets' (ignored)"]);
    expect(evaluateLicence(null, now, bare).view).toMatchObject({ limits: { max_widgets: 2 }, features: [] });
    bare.configure('widgets', { max_widgets_free: 4 });
    expect(evaluateLicence(null, now, bare).view.limits).toEqual({ max_widgets: 4 });
    const pro = evaluateLicence(check({}), now, bare).view;
    expect(pro).toMatchObject({ limits: { max_widgets: 20 }, features: ['widgets.blue'] });
    expect(evaluateLicence(check({ limits: { max_widgets: 3 } }), now, bare).view.limits).toEqual({ max_widgets: 3 });
  });

  it('runs as Community with the configured free limits without a licence', () => {
    const s = evaluateLicence(null, now, table);
    expect(s.view).toMatchObject({ tier: 'community', state: 'none', limits: free });
    expect(s.view.has('backups.local')).toBe(true);
    expect(s.view.has('php.lsapi')).toBe(false);
  });

  it('gives a valid licence its tier, limits and features', () => {
    const s = evaluateLicence(check({}), now, table);
    expect(s.view).toMatchObject({
      tier: 'pro',
      state: 'valid',
      customer: 'Acme',
      limits: { max_accounts: 50, max_domains: null },
    });
    expect(s.view.has('php.lsapi')).toBe(true);
    expect(s.view.has('backups.remote')).toBe(true);
    expect(s.view.has('resellers.plugins')).toBe(false);
    expect(s.nextChange).toBe(now + 30 * DAY);
  });

  it('lets the licence override limits and add features; Business has every feature', () => {
    const s = evaluateLicence(check({ limits: { max_accounts: 120 }, features: ['dns.wildcard'] }), now, table);
    expect(s.view.limits).toEqual({ max_accounts: 120, max_domains: null });
    expect(s.view.has('dns.wildcard')).toBe(true);
    const b = evaluateLicence(check({ tier: 'business' }), now, table);
    expect(b.view.limits).toEqual({ max_accounts: null, max_domains: null });
    expect(b.view.has('anything.at-all')).toBe(true);
  });

  it('keeps the tier during the grace period, then falls back to Community', () => {
    const expired = { exp: (now - 3 * DAY) / 1000 };
    const grace = evaluateLicence(check({ ...expired, grace_days: 7 }), now, table);
    expect(grace.view).toMatchObject({ tier: 'pro', state: 'grace' });
    expect(grace.message).toMatch(/^licence expired on .*; grace period until /);
    expect(grace.nextChange).toBe(now + 4 * DAY);
    const over = evaluateLicence(check({ ...expired, grace_days: 2 }), now, table);
    expect(over.view).toMatchObject({ tier: 'community', state: 'expired', limits: free });
    expect(over.message).toMatch(/grace period ended .*running as Community/);
    expect(evaluateLicence(check({ exp: (now - 15 * DAY) / 1000 }), now, table).view.state).toBe('expired');
  });

  it('refuses a licence before its not-before date', () => {
    const s = evaluateLicence(check({ nbf: (now + DAY) / 1000 }), now, table);
    expect(s.view).toMatchObject({ tier: 'community', state: 'invalid' });
    expect(s.nextChange).toBe(now + DAY);
  });

  it('reports why an invalid licence is ignored', () => {
    const s = evaluateLicence({ ok: false, reason: 'licence signature is invalid' }, now, table);
    expect(s.view).toMatchObject({ tier: 'community', state: 'invalid', limits: free });
    expect(s.message).toBe('licence signature is invalid');
  });
});
