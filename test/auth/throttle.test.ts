import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '../../core/auth/login-throttle.js';
import { startBarePanel, type BarePanel } from './helpers.js';

const admin = { username: 'admin', password: 'MySecurePass123' };
const wrong = (username: string) => ({ username, password: 'definitely-wrong' });

/** A login sent from another loopback address (the whole 127/8 is local on Linux). */
function loginFrom(url: string, localAddress: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/auth/login`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('login throttling (hostile class 13)', () => {
  let panel: BarePanel;
  beforeAll(async () => {
    panel = await startBarePanel();
    await panel.call('POST', '/api/auth/setup', { body: admin });
  });
  afterAll(async () => {
    await panel.stop();
  });

  it('100 parallel wrong logins for one user from one address: only the allowance is checked, the rest get 429', async () => {
    const fresh = await startBarePanel();
    try {
      await fresh.call('POST', '/api/auth/setup', { body: admin });
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => fresh.call('POST', '/api/auth/login', { body: wrong('admin') })),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length).toBe(DEFAULT_THROTTLE.perPair);
      expect(statuses.filter((s) => s === 429).length).toBe(100 - DEFAULT_THROTTLE.perPair);
      const locked = await fresh.call('POST', '/api/auth/login', {
        body: { username: 'ADMIN', password: admin.password },
      });
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({
        ok: false,
        code: 'RATE_LIMITED',
        error: expect.stringMatching(
          /^Too many failed login attempts for this username from your address; try again in \d+ minutes?$/,
        ),
      });
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await fresh.stop();
    }
  });

  it('an anonymous client on another address (127.0.0.2) cannot lock the admin out', async () => {
    const fresh = await startBarePanel();
    try {
      await fresh.call('POST', '/api/auth/setup', { body: admin });
      expect((await fresh.call('POST', '/api/auth/login', { body: admin })).status).toBe(200);
      const attack = await Promise.all(
        Array.from({ length: 100 }, () => loginFrom(fresh.url, '127.0.0.2', wrong('admin'))),
      );
      expect(attack.every((s) => s === 401 || s === 429)).toBe(true);
      expect(attack.filter((s) => s === 401).length).toBeLessThanOrEqual(DEFAULT_THROTTLE.perPair);
      // From the address it logged in from before, and from one it never used (slowed down, not refused).
      expect((await fresh.call('POST', '/api/auth/login', { body: admin })).status).toBe(200);
      expect(await loginFrom(fresh.url, '127.0.0.3', admin)).toBe(200);
      expect(await loginFrom(fresh.url, '127.0.0.2', admin)).toBe(429);
    } finally {
      await fresh.stop();
    }
  });

  it('refuses oversized and mistyped credentials with 400 before any password work', async () => {
    const cases: [unknown, RegExp][] = [
      [{ username: 'u'.repeat(65), password: 'x' }, /^username: /],
      [{ username: 'someone', password: 'p'.repeat(1025) }, /^password: /],
      [{ username: ['admin'], password: 'x' }, /^username: /],
      [{ username: 'admin', password: { $ne: '' } }, /^password: /],
      [{ username: null, password: 'x' }, /^username: /],
      [{ username: 'admin' }, /^password: is required/],
    ];
    for (const [body, message] of cases) {
      const res = await panel.call('POST', '/api/auth/login', { body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    const huge = await panel.call('POST', '/api/auth/login', {
      body: { username: 'x', password: 'p'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
  });

  it('locks an address across usernames, and spoofed X-Forwarded-For / CF-Connecting-IP do not help (class 12)', async () => {
    const fresh = await startBarePanel();
    try {
      for (let i = 0; i < DEFAULT_THROTTLE.perIp; i++) {
        const headers = {
          'x-forwarded-for': `198.51.100.${i}`,
          'cf-connecting-ip': `203.0.113.${i}`,
          'x-real-ip': `192.0.2.${i}`,
        };
        expect((await fresh.call('POST', '/api/auth/login', { body: wrong(`user${i}`), headers })).status).toBe(401);
      }
      const res = await fresh.call('POST', '/api/auth/login', {
        body: wrong('brand-new-name'),
        headers: { 'x-forwarded-for': '192.0.2.200' },
      });
      expect(res.status).toBe(429);
      expect(res.body.error).toMatch(/from your address/);
    } finally {
      await fresh.stop();
    }
  });

  it('counts per real client behind a trusted proxy', async () => {
    const proxied = await startBarePanel({ config: { trusted_proxies: ['127.0.0.1'] } });
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < DEFAULT_THROTTLE.perIp; i++)
        expect(
          (await proxied.call('POST', '/api/auth/login', { body: wrong(`name${i}`), headers: from('198.51.100.9') }))
            .status,
        ).toBe(401);
      expect(
        (await proxied.call('POST', '/api/auth/login', { body: wrong('another'), headers: from('198.51.100.9') }))
          .status,
      ).toBe(429);
      expect(
        (await proxied.call('POST', '/api/auth/login', { body: wrong('another'), headers: from('198.51.100.10') }))
          .status,
      ).toBe(401);
    } finally {
      await proxied.stop();
    }
  });
});
