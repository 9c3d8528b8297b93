import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

const limits = { windowMs: 60_000, perIp: 5, perUsername: 3 };

function refused(fn: () => void): { status: number; message: string; retryAfter: number } | null {
  try {
    fn();
    return null;
  } catch (e: any) {
    return { status: e.status, message: e.message, retryAfter: e.details.retryAfter };
  }
}

describe('LoginThrottle', () => {
  it('locks a username after its failures, case-insensitively, until the window ends', () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 3; i++) t.fail(`10.0.0.${i}`, 'Admin', 1000);
    const r = refused(() => t.check('10.0.0.9', 'admin', 2000));
    expect(r).toEqual({ status: 429, message: 'Too many failed login attempts for this username; try again in 1 minute', retryAfter: 59 });
    expect(refused(() => t.check('10.0.0.9', 'admin', 61_000))).toBeNull();
  });

  it('locks an address across usernames', () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 5; i++) t.fail('192.0.2.1', `user${i}`, 0);
    expect(refused(() => t.check('192.0.2.1', 'someone-else', 10))?.message).toMatch(/from your address/);
    expect(refused(() => t.check('192.0.2.2', 'someone-else', 10))).toBeNull();
  });

  it('clears a username on success', () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 3; i++) t.fail('10.0.0.1', 'bob', 0);
    t.succeed('BOB');
    expect(refused(() => t.check('10.0.0.2', 'bob', 10))).toBeNull();
  });
});
