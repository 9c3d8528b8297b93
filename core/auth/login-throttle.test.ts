import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

const limits = {
  windowMs: 60_000,
  perIp: 5,
  perPair: 3,
  slowAfter: 2,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  knownMs: 3_600_000,
};

function refused(fn: () => unknown): { status: number; message: string; retryAfter: number } | null {
  try {
    fn();
    return null;
  } catch (e: any) {
    return { status: e.status, message: e.message, retryAfter: e.details.retryAfter };
  }
}

describe('LoginThrottle', () => {
  it('counts attempts when they begin, so attempts still in flight use up the allowance', () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 3; i++) t.begin('10.0.0.1', 'Admin', 1000);
    const r = refused(() => t.begin('10.0.0.1', 'admin', 2000));
    expect(r).toEqual({
      status: 429,
      message: 'Too many failed login attempts for this username from your address; try again in 1 minute',
      retryAfter: 59,
    });
    expect(refused(() => t.begin('10.0.0.1', 'admin', 61_000))).toBeNull();
  });

  it('never locks a username for other addresses: they are delayed, more with each failure, up to the cap', () => {
    const t = new LoginThrottle(limits);
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) delays.push(t.begin(`10.0.0.${i}`, 'admin', 0));
    expect(delays).toEqual([0, 0, 100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000, 1000]);
  });

  it('keeps an address the user logged in from working: no delay, and a busy address does not refuse it', () => {
    const t = new LoginThrottle(limits);
    t.begin('10.0.0.1', 'bob', 0);
    t.succeed('10.0.0.1', 'bob', 0);
    for (let i = 0; i < 5; i++) t.begin('10.0.0.1', `other${i}`, 0);
    for (let i = 0; i < 9; i++) t.begin(`10.0.0.${i + 2}`, 'bob', 0);
    expect(refused(() => t.begin('10.0.0.1', 'someone-else', 10))?.message).toMatch(/from your address/);
    expect(t.begin('10.0.0.1', 'BOB', 10)).toBe(0);
    expect(t.begin('10.0.0.99', 'bob', 10)).toBe(1000);
  });

  it('locks an address across usernames', () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 5; i++) t.begin('192.0.2.1', `user${i}`, 0);
    expect(refused(() => t.begin('192.0.2.1', 'someone-else', 10))?.message).toMatch(
      /^Too many failed login attempts from your address/,
    );
    expect(refused(() => t.begin('192.0.2.2', 'someone-else', 10))).toBeNull();
  });

  it('takes a successful attempt back and clears the pair', () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 2; i++) t.begin('10.0.0.1', 'bob', 0);
    t.begin('10.0.0.1', 'bob', 0);
    t.succeed('10.0.0.1', 'bob', 0);
    for (let i = 0; i < 3; i++) expect(refused(() => t.begin('10.0.0.1', 'bob', 10))).toBeNull();
  });
});
